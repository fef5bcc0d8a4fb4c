/**
 * The bench's one-file edit step alone (`npm run bench` runs it after the cold runs, peers and
 * Kustomize units): load a generated workspace, replay the same planned edits with reverts, print
 * the per-kind and all-edits distributions as the bench reports them, plus the process CPU per
 * edit, and check that diagnostics after the reverts equal those before. For before/after
 * comparisons of edit work without the rest of the bench:
 *   node --expose-gc --import tsx test/bench/editRun.ts DIR [--edits 300] [--seed 42]
 */
import { coldLoad, diagnosticsSnapshot, runEdits, snapshotDifferences } from './engineRun';
import { EDIT_KINDS, planEdits } from './edits';
import type { Distribution } from './measure';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const { ws } = coldLoad(args[0]);
const texts = new Map(ws.fileIds().map(id => [id, ws.file(id)!.text]));
const before = diagnosticsSnapshot(ws);
const plan = planEdits(texts, opt('--edits', 300), opt('--seed', 42));
const cpu0 = process.cpuUsage();
const r = runEdits(ws, plan);
const cpu = process.cpuUsage(cpu0);
const ms = (x: number) => x.toFixed(2);
const line = (name: string, d: Distribution) =>
  `  ${name.padEnd(10)}  p50 ${ms(d.p50)} ms  p95 ${ms(d.p95)} ms  max ${ms(d.max)} ms  (n=${d.n})`;
for (const k of EDIT_KINDS) console.log(line(k, r.byKind[k]));
console.log(line('all edits', r.edits));
console.log(line('reverts', r.reverts));
console.log(`  CPU ${ms((cpu.user + cpu.system) / 1000 / r.all.n)} ms per edit or revert (process, all threads)`);
const differing = snapshotDifferences(before, diagnosticsSnapshot(ws));
console.log(
  differing.length
    ? `  DIFFERENT after reverts: ${differing.join(', ')}`
    : '  diagnostics after the reverts equal those before',
);
