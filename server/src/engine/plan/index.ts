import type { Anchor } from '../parse/locate';
import type { Finding } from '../findings';
import type { FileState, GlobalAnalyzer, Workspace } from '../workspace';
import type { EngineConfig } from '../config/config';
import { IGNORE_ANNOTATION, suppressedByAnnotation } from '../config/suppression';
import type { Resource } from '../model/resource';
import { buildPlan, comparable } from './build';
import { Contribution, emptyContribution, isEmpty } from './extract/contribution';
import { readJsonFile } from './extract/jsonFile';
import { readYamlFile } from './extract/resources';
import type { AddressPlan } from './model';
import { readPlanSettings, PlanSettings } from './settings';
import { PLAN_RULES } from './rules';

export type { AddressPlan, PlanEntry, CniMode, Role, Origin, Setting, Encapsulation, CniNetworkSummary } from './model';
export type { Cidr, Ip, Family } from './cidr';
export { parseCidr, parseIp, formatIp, containsIp, containsCidr, overlaps, blocksOf } from './cidr';

const contributionCache = new WeakMap<FileState, Contribution>();
/** File versions that add something to the plan (most files add nothing). */
const relevant = new WeakSet<FileState>();
const MAX_JSON = 16 * 1024 * 1024;

/** What one file version adds to the plan (cached: an unchanged file is never re-read). */
export function contributionOf(file: FileState): Contribution {
  let c = contributionCache.get(file);
  if (!c) {
    try {
      // JSON gets the YAML size limit too (16 MB default): a CNI config is a few hundred bytes.
      c =
        file.kind === 'json'
          ? file.text.length > MAX_JSON
            ? emptyContribution(file.fileId)
            : readJsonFile(file.fileId, file.text)
          : file.kind === 'yaml'
            ? readYamlFile(file)
            : emptyContribution(file.fileId);
    } catch (e) {
      c = emptyContribution(file.fileId);
      c.findings.push({
        rule: 'cni-config-invalid',
        severity: 'information',
        fileId: file.fileId,
        anchor: { offsets: [0, 0] },
        related: [],
        fixes: [],
        message: `kube-netlint could not read the network settings in this file (${(e as Error).message}); please report it.`,
      });
    }
    contributionCache.set(file, c);
    if (!isEmpty(c)) relevant.add(file);
  }
  return c;
}

function isRelevant(file: FileState): boolean {
  if (!contributionCache.has(file)) contributionOf(file);
  return relevant.has(file);
}

export interface PlanAnalysis {
  plan: AddressPlan;
  contributions: Contribution[];
  settings: PlanSettings;
}

interface Memo {
  files: Set<FileState>;
  config: EngineConfig;
  result: PlanAnalysis;
}
const memo = new WeakMap<Workspace, Memo>();

/** True while the workspace holds exactly the file versions the memo was built from (one light pass, no allocation). */
function stillValid(ws: Workspace, m: Memo): boolean {
  if (m.config !== ws.configuration) return false;
  let n = 0;
  for (const f of ws.allFiles()) {
    if (!isRelevant(f)) continue;
    if (!m.files.has(f)) return false;
    n++;
  }
  return n === m.files.size;
}

function analyse(ws: Workspace): PlanAnalysis {
  const m = memo.get(ws);
  if (m && stillValid(ws, m)) return m.result;
  const files: FileState[] = [];
  for (const f of ws.allFiles()) if (isRelevant(f)) files.push(f);
  files.sort((a, b) => (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0));
  const contributions = files.map(contributionOf);
  const settings = readPlanSettings(ws.configuration.extra);
  const result = { plan: buildPlan(contributions, settings), contributions, settings };
  memo.set(ws, { files: new Set(files), config: ws.configuration, result });
  return result;
}

/**
 * The cluster's address plan as the workspace declares it: every pod/service/node/docker/CNI
 * range with its source (file + anchor) and origin (declared, user setting `plan.*`, implicit
 * default, or assumed), plus the effective pod and service CIDRs (`podCIDRs[0]`,
 * `serviceCIDRs[0]` are always present — assumed when nothing declares them), the per-node
 * block mask (`nodeMask`), the cluster domain, and the CNI mode (`cni[0]`: plugin, bridge,
 * encapsulation). Memoised per workspace state: cheap to call from hovers and other features.
 */
export function getAddressPlan(ws: Workspace): AddressPlan {
  return analyse(ws).plan;
}

/** The plan plus the per-file material the rules and the hover use. */
export function getPlanAnalysis(ws: Workspace): PlanAnalysis {
  return analyse(ws);
}

/** Narrows an anchor to the exact characters of `text` inside it (quoted scalars, lists). */
export function exactAnchor(ws: Workspace, fileId: string, anchor: Anchor, text: string): Anchor {
  const file = ws.file(fileId);
  if (!file || !text) return anchor;
  const [s, e] = file.locator.offsetsOf(anchor);
  const i = file.text.slice(s, e).indexOf(text);
  return i < 0 ? anchor : { offsets: [s + i, s + i + text.length] };
}

/** The address-plan analyzer: extraction problems plus every plan rule, as findings per file. */
export const planAnalyzer: GlobalAnalyzer = {
  id: 'address-plan',
  interestedIn: isRelevant,
  run(ws) {
    const { plan, contributions } = analyse(ws);
    const out = new Map<string, Finding[]>();
    const push = (f: Finding) => {
      if (ignoredByAnnotation(ws, f)) return;
      let l = out.get(f.fileId);
      if (!l) out.set(f.fileId, (l = []));
      l.push(f);
    };
    for (const c of contributions) for (const f of c.findings) if (ws.configuration.rules[f.rule] !== 'off') push(f);
    for (const rule of PLAN_RULES) {
      if (ws.configuration.rules[rule.id] === 'off') continue;
      const seen = new Set<string>();
      try {
        rule.check({
          ws,
          plan,
          contributions,
          comparable: (a, b) => comparable(a, b, plan.scopes.length),
          report: f => {
            const anchor = f.exact ? exactAnchor(ws, f.fileId, f.anchor, f.exact) : f.anchor;
            const key = `${f.fileId}|${JSON.stringify(anchor)}|${f.message}`;
            if (seen.has(key)) return;
            seen.add(key);
            const fixes = (f.fixes ?? []).map(x => ({
              ...x,
              edits: x.edits.map(e => (e.anchor === f.anchor ? { ...e, anchor } : e)),
            }));
            push({
              rule: rule.id,
              severity: f.severity ?? rule.defaultSeverity,
              fileId: f.fileId,
              anchor,
              message: f.message,
              related: f.related ?? [],
              fixes,
            });
          },
        });
      } catch (e) {
        const first = contributions[0];
        if (first)
          push({
            rule: rule.id,
            severity: 'information',
            fileId: first.fileId,
            anchor: { offsets: [0, 0] },
            related: [],
            fixes: [],
            message: `kube-netlint could not evaluate rule ${rule.id} (${(e as Error).message}); please report it.`,
          });
      }
    }
    return out;
  },
};

/**
 * `kube-netlint.io/ignore` on the resource a plan finding sits in (the workspace applies it to
 * per-resource rules; whole-workspace findings have no owner there, so the analyzer does it).
 */
function ignoredByAnnotation(ws: Workspace, f: Finding): boolean {
  const file = ws.file(f.fileId);
  if (!file || !file.resources.some(r => IGNORE_ANNOTATION in r.annotations)) return false;
  const at = 'doc' in f.anchor ? { doc: f.anchor.doc, path: f.anchor.path } : file.locator.pathAt(f.anchor.offsets[0]);
  if (!at) return false;
  const inDoc = file.resources.filter(r => r.doc === at.doc);
  const owner: Resource | undefined =
    inDoc.find(r => r.base.length && r.base.every((s, i) => at.path[i] === s)) ?? inDoc.find(r => !r.base.length);
  return suppressedByAnnotation(owner, f.rule);
}
