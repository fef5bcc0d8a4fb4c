import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { defaultConfig } from '../../server/src/engine/config/config';
import { defaultAnalyzers } from '../../server/src/engine/analyzers';
import type { Resource } from '../../server/src/engine/model/resource';
import { CORPUS_ROOT } from './collect';

export const PEER_ROOT = path.join(CORPUS_ROOT, 'peer');

/** One of our findings on a peer fixture, named by the object (and container) it is about, as the peers report. */
export interface PeerFinding {
  rule: string;
  subject: string;
  line: number;
  message: string;
}

/** Every YAML fixture under peer/, relative to it. */
export function peerFixtures(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(path.relative(PEER_ROOT, p).split(path.sep).join('/'));
    }
  };
  walk(PEER_ROOT);
  return out.sort();
}

/** Analyses one fixture file on its own, as the peers do, and names each finding's subject. */
export function findingsOfFixture(rel: string): PeerFinding[] {
  const file = path.join(PEER_ROOT, rel);
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  ws.setFile(file, fs.readFileSync(file, 'utf8'));
  ws.analyze();
  const state = ws.file(file)!;
  const out: PeerFinding[] = [];
  for (const p of state.problems)
    out.push({
      rule: p.kind,
      subject: '(file)',
      line: state.locator.lines.rangeOf(p.start, p.end).start.line + 1,
      message: p.message,
    });
  for (const f of ws.rawFindings(file)) {
    const a = f.anchor;
    const owner =
      'doc' in a ? state.resources.find(r => r.doc === a.doc && r.base.every((s, i) => a.path[i] === s)) : undefined;
    out.push({
      rule: f.rule,
      subject: owner ? subjectOf(owner, 'doc' in a ? a.path : []) : '(file)',
      line: ws.rangeIn(file, a).start.line + 1,
      message: f.message,
    });
  }
  return out.sort((x, y) => x.line - y.line || x.rule.localeCompare(y.rule));
}

/** `Kind/name`, plus `#container` when the finding sits inside one container. */
function subjectOf(r: Resource, p: readonly (string | number)[]): string {
  const base = r.name ? `${r.kind}/${r.name}` : r.kind;
  const i = p.findIndex(s => s === 'containers' || s === 'initContainers');
  if (i < 0 || typeof p[i + 1] !== 'number') return base;
  let cur: unknown = r.value;
  for (const s of p.slice(r.base.length, i + 2)) cur = (cur as Record<string | number, unknown> | undefined)?.[s];
  const name = (cur as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? `${base}#${name}` : base;
}
