import { parseYamlText, ParseProblem, problemCode } from './parse/yamlFile';
import { SourceLocator } from './parse/locate';
import type { Anchor, Path } from './parse/locate';
import type { LineIndex, Range } from './text/lineIndex';
import { extractResources } from './model/extract';
import type { Resource } from './model/resource';
import { identityKey } from './model/resource';
import { Cluster, providedKeys } from './cluster/cluster';
import { ClusterView } from './cluster/view';
import { ANY_KIND, ANY_POD_TEMPLATE, type Rule, type RuleContext } from './rules/rule';
import { ALL_RULES } from './rules';
import { EngineConfig, defaultConfig } from './config/config';
import { suppressedAt, suppressedByAnnotation } from './config/suppression';
import { safeEdit } from './edit/safeEdit';
import { Finding, RelatedInfo, Severity, ruleDocUrl, SOURCE } from './findings';
import { LocatedDiagnostic, LocatedEdit, LocatedFix, compareDiagnostics } from './diagnostic';

/**
 * What turns anchors into ranges for one file: SourceLocator for YAML and JSON; rendered units
 * bring their own (a Helm template is not YAML until it is rendered).
 */
export interface Locator {
  readonly text: string;
  readonly lines: LineIndex;
  rangeOf(anchor: Anchor): Range;
  offsetsOf(anchor: Anchor): [number, number];
  pathAt(offset: number): { doc: number; path: Path; part: 'key' | 'value' } | undefined;
  nodeAt(doc: number, path: Path, part?: 'key' | 'value'): ReturnType<SourceLocator['nodeAt']>;
}

/** A file as the workspace holds it. */
export interface FileState {
  fileId: string;
  text: string;
  kind: 'yaml' | 'json' | 'other';
  resources: Resource[];
  problems: ParseProblem[];
  locator: Locator;
  /** Parsed JSON for JSON-like files (CNI configs), for analyzers that want it. */
  json?: unknown;
}

/**
 * An analysis that looks at the workspace as a whole rather than resource by resource (the
 * address plan is one). It is re-run when a file it is interested in changes.
 */
export interface GlobalAnalyzer {
  id: string;
  interestedIn(file: FileState): boolean;
  run(ws: Workspace): Map<string, Finding[]>;
}

/**
 * A file whose objects were produced elsewhere (a renderer): its text is kept for ranges and
 * hovers, its resources are given rather than parsed from the text.
 */
export interface FileSource {
  resources: Resource[];
  problems?: ParseProblem[];
  locator?: Locator;
}

/**
 * Where a finding really belongs when the object it is about was rendered: the patch that set
 * the key rather than the base file, the template line and the values key it came from.
 */
export interface Relocation {
  fileId: string;
  anchor: Anchor;
  related?: RelatedInfo[];
  /** False when the key was not found and the anchor is the nearest place (no fix may edit it). */
  exact?: boolean;
}

const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const PLACEHOLDER = (fileId: string): FileState => ({
  fileId,
  text: '',
  kind: 'other',
  resources: [],
  problems: [],
  locator: new SourceLocator(''),
});
export type Relocate = (fileId: string, anchor: Anchor) => Relocation | undefined;

/**
 * How a file is read. By name alone (the directory walk): YAML, JSON-like (CNI configs, docker
 * daemon.json) or other. With its text (reading): a `.json` file holding a Kubernetes object or
 * List (`kubectl get -o json`) is read as a manifest — JSON is YAML — while CNI configs stay
 * JSON; a file of any other name read anyway (named on the command line) is a manifest when its
 * text looks like one.
 */
export function fileKindOf(fileId: string, text?: string): FileState['kind'] {
  const lower = fileId.toLowerCase();
  if (/\.ya?ml$/.test(lower) || /(^|[/\\])kustomization$/.test(lower)) return 'yaml';
  if (/\.(json|conf|conflist)$/.test(lower))
    return text !== undefined && lower.endsWith('.json') && looksLikeKubernetesJson(text) ? 'yaml' : 'json';
  if (text !== undefined && (looksLikeKubernetesJson(text) || looksLikeKubernetesYaml(text))) return 'yaml';
  return 'other';
}

/** A JSON object with top-level-looking apiVersion and kind keys (a cheap look; parsing decides). */
function looksLikeKubernetesJson(text: string): boolean {
  return /^\uFEFF?\s*\{/.test(text) && /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text);
}

function looksLikeKubernetesYaml(text: string): boolean {
  return /^(- )?apiVersion\s*:/m.test(text) && /^(- | {2})?kind\s*:/m.test(text);
}

/**
 * The engine's one entry point: files go in, diagnostics come out. Every front end (the
 * language server, the CLI, the tests) drives this class. Updates are incremental: changing a
 * file re-parses only that file and re-runs rules only for resources whose answers can change.
 */
export class Workspace {
  readonly cluster = new Cluster();
  private readonly files = new Map<string, FileState>();
  private readonly subjectFindings = new Map<string, Finding[]>();
  private readonly subjectDeps = new Map<string, Set<string>>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly pendingSubjects = new Set<string>();
  private readonly pendingKeys = new Set<string>();
  private readonly dirtyFiles = new Set<string>();
  private readonly globalFindings = new Map<string, Map<string, Finding[]>>();
  private readonly pendingGlobal = new Set<string>();
  private readonly diagnosticsCache = new Map<string, LocatedDiagnostic[]>();
  /** Files whose objects were given (rendered) rather than parsed. */
  private readonly sourced = new Map<string, FileSource>();
  private rules: Rule[];
  /** The enabled rules per resource kind, rebuilt when the configuration changes. */
  private rulesByKind = new Map<string, Rule[]>();
  /** Counts rule evaluations, so tests can prove an edit stays local. */
  evaluations = 0;
  /** Set by the unit that renders its objects (see units/); plain units locate in place. */
  relocate: Relocate | undefined;
  /** False in units applied as a whole (rendered, declared): the same object in two files is a duplicate. */
  alternativeFiles = true;

  constructor(
    private config: EngineConfig = defaultConfig(),
    private readonly analyzers: GlobalAnalyzer[] = [],
    rules: Rule[] = ALL_RULES,
  ) {
    this.rules = rules;
  }

  get configuration(): EngineConfig {
    return this.config;
  }

  setConfig(config: EngineConfig): void {
    const nsChanged =
      config.defaultNamespace !== this.config.defaultNamespace || config.maxFileSize !== this.config.maxFileSize;
    this.config = config;
    this.rulesByKind.clear();
    if (nsChanged) {
      for (const f of [...this.files.values()]) this.setFile(f.fileId, f.text, true, this.sourced.get(f.fileId));
    }
    for (const id of this.cluster.facts.keys()) this.pendingSubjects.add(id);
    for (const a of this.analyzers) this.pendingGlobal.add(a.id);
    this.diagnosticsCache.clear();
    for (const f of this.files.keys()) this.dirtyFiles.add(f);
  }

  /**
   * Adds or replaces a file; `reread` forces a re-parse of unchanged text (after a config
   * change). With `source`, the file's objects are the given ones (rendered) and the text only
   * locates them.
   */
  setFile(fileId: string, text: string, reread = false, source?: FileSource): void {
    const old = this.files.get(fileId);
    if (old) {
      if (old.text === text && !reread && !source && !this.sourced.has(fileId)) return;
      this.dropResources(old);
    }
    if (source) this.sourced.set(fileId, source);
    else this.sourced.delete(fileId);
    const state = source
      ? {
          fileId,
          text,
          kind: fileKindOf(fileId, text),
          resources: source.resources,
          problems: source.problems ?? [],
          locator: source.locator ?? new SourceLocator(text),
        }
      : this.readFile(fileId, text);
    this.files.set(fileId, state);
    const track = this.tracksDependents();
    for (const r of state.resources) {
      const facts = this.cluster.add(r);
      if (track) for (const k of providedKeys(facts)) this.pendingKeys.add(k);
      this.pendingSubjects.add(r.id);
      this.touchDefinitions(r);
    }
    this.absorbRefreshed(track);
    this.markGlobal(state, old);
    this.dirtyFiles.add(fileId);
  }

  removeFile(fileId: string): void {
    const old = this.files.get(fileId);
    if (!old) return;
    this.dropResources(old);
    this.files.delete(fileId);
    this.sourced.delete(fileId);
    this.markGlobal(undefined, old);
    this.dirtyFiles.add(fileId);
  }

  private markGlobal(now: FileState | undefined, before: FileState | undefined): void {
    for (const a of this.analyzers) {
      if ((now && a.interestedIn(now)) || (before && a.interestedIn(before))) this.pendingGlobal.add(a.id);
    }
  }

  private readFile(fileId: string, text: string): FileState {
    const kind = fileKindOf(fileId, text);
    const locator = new SourceLocator(text);
    if (kind === 'yaml') {
      const parsed = parseYamlText(text, { maxBytes: this.config.maxFileSize });
      return {
        fileId,
        text,
        kind,
        resources: extractResources(fileId, parsed.docs, this.config.defaultNamespace),
        problems: parsed.problems,
        locator,
      };
    }
    return { fileId, text, kind, resources: [], problems: [], locator };
  }

  /**
   * Whether any finding rests on a dependency yet. Before the first analyze() nothing does, so
   * the keys a resource provides would wake no one: the cold load skips computing them.
   */
  private tracksDependents(): boolean {
    return this.dependents.size > 0;
  }

  private dropResources(file: FileState): void {
    const track = this.tracksDependents();
    for (const r of file.resources) {
      const facts = this.cluster.remove(r.id);
      if (facts && track) for (const k of providedKeys(facts)) this.pendingKeys.add(k);
      this.forgetSubject(r.id, file.fileId);
      this.touchDefinitions(r);
    }
    this.absorbRefreshed(track);
  }

  /** Objects elsewhere whose facts followed this change (a Rollout borrowing a Deployment's template). */
  private absorbRefreshed(track: boolean): void {
    for (const { before, after } of this.cluster.takeRefreshed()) {
      this.pendingSubjects.add(after.resource.id);
      if (track) for (const k of [...providedKeys(before), ...providedKeys(after)]) this.pendingKeys.add(k);
    }
  }

  /** Other definitions of the same object are judged again when one comes or goes (object-duplicate). */
  private touchDefinitions(r: Resource): void {
    const defs = this.cluster.definitions(identityKey(r));
    if (defs.size === 0 || (defs.size === 1 && defs.has(r))) return;
    for (const d of defs) if (d !== r) this.pendingSubjects.add(d.id);
  }

  private forgetSubject(id: string, fileId: string): void {
    if (this.subjectFindings.get(id)?.length) this.dirtyFiles.add(fileId);
    this.subjectFindings.delete(id);
    const deps = this.subjectDeps.get(id);
    if (deps) for (const k of deps) this.dependents.get(k)?.delete(id);
    this.subjectDeps.delete(id);
    this.pendingSubjects.delete(id);
  }

  /** Runs whatever the updates since the last call made necessary; returns the files whose diagnostics changed. */
  analyze(): Set<string> {
    for (const k of this.pendingKeys) {
      const subs = this.dependents.get(k);
      if (subs) for (const s of subs) this.pendingSubjects.add(s);
    }
    this.pendingKeys.clear();
    for (const id of this.pendingSubjects) {
      const facts = this.cluster.facts.get(id);
      if (facts) this.evaluate(facts.resource);
    }
    this.pendingSubjects.clear();
    for (const a of this.analyzers) {
      if (!this.pendingGlobal.has(a.id)) continue;
      const before = this.globalFindings.get(a.id);
      const now = a.run(this);
      this.globalFindings.set(a.id, now);
      // Analyzers that keep a file's findings array when nothing in it changed spare its re-publication.
      for (const f of new Set([...(before?.keys() ?? []), ...now.keys()]))
        if (before?.get(f) !== now.get(f)) this.dirtyFiles.add(f);
    }
    this.pendingGlobal.clear();
    const changed = new Set(this.dirtyFiles);
    for (const f of changed) this.diagnosticsCache.delete(f);
    this.dirtyFiles.clear();
    return changed;
  }

  private evaluate(subject: Resource): void {
    // Most objects (ConfigMaps, ServiceAccounts, …) have no rule that applies: they get no view,
    // no dependency set and no stored entries. One context serves every rule of a subject.
    let deps: Set<string> | undefined;
    let ctx: RuleContext | undefined;
    let rule: Rule | undefined;
    const findings: Finding[] = [];
    // Any object with a pod template (custom resources included) also gets the workload rules.
    const hasTemplate = !!this.cluster.facts.get(subject.id)?.template;
    const kindKey = hasTemplate ? `${subject.kind}\u0000${ANY_POD_TEMPLATE}` : subject.kind;
    let applicable = this.rulesByKind.get(kindKey);
    if (!applicable) {
      applicable = this.rules.filter(
        r =>
          (r.kinds.has(subject.kind) || r.kinds.has(ANY_KIND) || (hasTemplate && r.kinds.has(ANY_POD_TEMPLATE))) &&
          this.config.rules[r.id] !== 'off',
      );
      this.rulesByKind.set(kindKey, applicable);
    }
    for (const r of applicable) {
      // A cheap precondition keeps rules that inspect every object from costing every object a view.
      if (r.when && !r.when(subject, this.cluster)) continue;
      rule = r;
      if (!ctx) {
        deps = new Set<string>();
        ctx = {
          subject,
          cluster: new ClusterView(this.cluster, deps, this.config.nodePortRange, this.alternativeFiles),
          report: f =>
            findings.push({
              related: [],
              fixes: [],
              ...f,
              rule: rule!.id,
              severity: f.severity ?? rule!.defaultSeverity,
              fileId: subject.fileId,
            }),
        };
      }
      this.evaluations++;
      try {
        r.check(ctx);
      } catch (e) {
        findings.push({
          rule: r.id,
          severity: 'information',
          fileId: subject.fileId,
          anchor: { doc: subject.doc, path: [...subject.base, 'kind'] },
          related: [],
          fixes: [],
          message: `kube-netlint could not evaluate rule ${r.id} on this object (${(e as Error).message}); please report it.`,
        });
      }
    }
    const previous = this.subjectFindings.get(subject.id);
    if (findings.length || previous?.length) this.dirtyFiles.add(subject.fileId);
    if (findings.length) this.subjectFindings.set(subject.id, findings);
    else this.subjectFindings.delete(subject.id);
    const oldDeps = this.subjectDeps.get(subject.id);
    if (oldDeps) for (const k of oldDeps) if (!deps?.has(k)) this.dependents.get(k)?.delete(subject.id);
    if (deps?.size) {
      for (const k of deps) {
        let s = this.dependents.get(k);
        if (!s) this.dependents.set(k, (s = new Set()));
        s.add(subject.id);
      }
      this.subjectDeps.set(subject.id, deps);
    } else {
      this.subjectDeps.delete(subject.id);
    }
  }

  file(fileId: string): FileState | undefined {
    return this.files.get(fileId);
  }
  fileIds(): string[] {
    return [...this.files.keys()];
  }
  allFiles(): IterableIterator<FileState> {
    return this.files.values();
  }
  resources(): Resource[] {
    return [...this.cluster.facts.values()].map(f => f.resource);
  }

  /** Findings of one file, before severity settings and suppression. */
  rawFindings(fileId: string): Finding[] {
    const file = this.files.get(fileId);
    if (!file) return [];
    const out: Finding[] = [];
    for (const r of file.resources) out.push(...(this.subjectFindings.get(r.id) ?? []));
    for (const m of this.globalFindings.values()) out.push(...(m.get(fileId) ?? []));
    return out;
  }

  /** The diagnostics a user sees for one file: located, severity-adjusted, suppressions applied. */
  diagnostics(fileId: string): LocatedDiagnostic[] {
    const cached = this.diagnosticsCache.get(fileId);
    if (cached) return cached;
    const file = this.files.get(fileId);
    if (!file) return [];
    const out: LocatedDiagnostic[] = [];
    for (const p of file.problems) {
      const { code, severity: defaultSeverity, page } = problemCode(p);
      const severity = this.severityOf({ rule: code, severity: defaultSeverity });
      if (!severity) continue;
      out.push({
        fileId,
        range: file.locator.lines.rangeOf(p.start, p.end),
        severity,
        code,
        source: SOURCE,
        message: p.message,
        href: ruleDocUrl(page),
        related: [],
        fixes: [],
      });
    }
    const owned: [Finding, Resource | undefined][] = [];
    for (const r of file.resources) for (const f of this.subjectFindings.get(r.id) ?? []) owned.push([f, r]);
    for (const m of this.globalFindings.values()) for (const f of m.get(fileId) ?? []) owned.push([f, undefined]);
    for (const [f, owner] of owned) {
      const severity = this.severityOf(f);
      if (!severity) continue;
      if (suppressedByAnnotation(owner, f.rule)) continue;
      const at = this.place(f.fileId, f.anchor);
      if (suppressedAt(at.file.locator, at.file.locator.lines.offsetAt(at.range.start), f.rule)) continue;
      // A key that a transformer wrote has no place in any file: such a fix cannot be offered.
      const placed = f.fixes
        .map(x => ({ x, edits: x.edits.map(e => ({ e, p: this.place(e.fileId, e.anchor) })) }))
        .filter(({ edits }) => edits.every(({ p }) => p.exact));
      out.push(
        withLazyFixes(
          {
            fileId: at.file.fileId,
            range: at.range,
            severity,
            code: f.rule,
            source: SOURCE,
            message: f.message,
            href: ruleDocUrl(f.rule),
            related: [...f.related, ...at.related].map(r => {
              const p = this.place(r.fileId, r.anchor);
              return { fileId: p.file.fileId, range: p.range, message: r.message };
            }),
          },
          () => {
            const fixes: LocatedFix[] = [];
            for (const { x, edits } of placed) {
              // Written so the rest of the file keeps its structure, types and line ends (edit/safeEdit.ts);
              // a fix that cannot be is not offered.
              const located = edits.map(({ e, p }) => {
                const safe = safeEdit(p.file.locator, { anchor: p.anchor, newText: e.newText, valueType: e.valueType });
                return safe && { fileId: p.file.fileId, ...safe };
              });
              if (located.some(e => !e)) continue;
              fixes.push({ title: x.title, preferred: x.preferred, edits: located as LocatedEdit[] });
            }
            return fixes;
          },
        ),
      );
    }
    out.sort(compareDiagnostics);
    this.diagnosticsCache.set(fileId, out);
    return out;
  }

  private severityOf(f: Pick<Finding, 'rule' | 'severity'>): Severity | undefined {
    const s = this.config.rules[f.rule];
    if (s === 'off') return undefined;
    if (s === 'info') return 'information';
    return s ?? f.severity;
  }

  /**
   * Where an anchor lands once relocated (rendered units): the file, its range, extra related
   * information, and whether the key itself was found (a fix may only edit exact places).
   */
  private place(
    fileId: string,
    anchor: Anchor,
  ): { file: FileState; anchor: Anchor; range: Range; related: RelatedInfo[]; exact: boolean } {
    const moved = this.relocate?.(fileId, anchor);
    const target = moved && this.files.get(moved.fileId);
    if (moved && target)
      return {
        file: target,
        anchor: moved.anchor,
        range: target.locator.rangeOf(moved.anchor),
        related: moved.related ?? [],
        exact: moved.exact !== false,
      };
    const file = this.files.get(fileId);
    if (!file) return { file: PLACEHOLDER(fileId), anchor, range: ZERO_RANGE, related: [], exact: false };
    return { file, anchor, range: file.locator.rangeOf(anchor), related: [], exact: true };
  }

  rangeIn(fileId: string, anchor: Finding['anchor']) {
    const file = this.files.get(fileId);
    return file ? file.locator.rangeOf(anchor) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  }
}

/**
 * The diagnostic with `fixes` computed on first read. Making an edit safe (edit/safeEdit.ts) can
 * parse the whole document with `yaml` (a ConfigMap with an embedded application.yaml: tens of
 * ms), and only code actions and copies of a diagnostic read fixes, never publishing. The edits
 * were placed when the diagnostic was made and `compute` reads only those files' locators, which
 * belong to one version of each text, so the fixes are the same whenever they are read.
 */
function withLazyFixes(d: Omit<LocatedDiagnostic, 'fixes'>, compute: () => LocatedFix[]): LocatedDiagnostic {
  let fixes: LocatedFix[] | undefined;
  return Object.defineProperty(d as LocatedDiagnostic, 'fixes', {
    enumerable: true,
    configurable: true,
    get: () => (fixes ??= compute()),
    set: (v: LocatedFix[]) => (fixes = v),
  });
}
