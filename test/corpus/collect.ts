import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadWorkspace } from '../../server/src/engine/load';
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

/** Analyses one corpus set as ONE workspace (the way the CLI does) and returns every finding. */
export function findingsOfSet(set: string): CorpusFinding[] {
  const dir = path.join(GOOD_ROOT, set);
  const ws = loadWorkspace([dir], defaultConfig());
  // linkerd's CLI golden outputs are plain multi-document YAML under a `.golden` name, which
  // the file walk (rightly) does not treat as YAML; present them to the engine as YAML files.
  const golden = listFiles(dir).filter(f => f.endsWith(GOLDEN));
  for (const f of golden) ws.setFile(f + YAML_SUFFIX, fs.readFileSync(f, 'utf8'));
  if (golden.length) ws.analyze();
  const out: CorpusFinding[] = [];
  for (const fileId of ws.fileIds()) {
    const real = fileId.endsWith(GOLDEN + YAML_SUFFIX) ? fileId.slice(0, -YAML_SUFFIX.length) : fileId;
    const file = path.relative(dir, real).split(path.sep).join('/');
    for (const d of ws.diagnostics(fileId)) {
      out.push({ rule: d.code, file, line: d.range.start.line + 1, severity: d.severity, message: d.message });
    }
  }
  return out.sort(compareFindings);
}

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
