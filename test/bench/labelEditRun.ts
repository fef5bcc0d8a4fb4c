/**
 * One edit kind replayed for profiling (not part of the bench): loads a generated workspace, warms
 * up on 20 edits, then replays about N edits of the kind, each reverted. Prints wall and CPU of the
 * edit steps (reverts unmeasured) and the process CPU per step, edits and reverts alike; with
 * `--profile`, a CPU profile of the replay (open it in Chrome DevTools or summarise it per function).
 *   node --expose-gc --import tsx test/bench/labelEditRun.ts DIR [--edits 180] [--kind label] [--profile out.cpuprofile]
 */
import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { coldLoad, diagnosticsSnapshot, snapshotDifferences } from './engineRun';
import { applyEdit, planEdits, EditKind } from './edits';
import { distribution, gc } from './measure';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args[0];
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const n = Number(opt('--edits') ?? 180);
  const kind = (opt('--kind') ?? 'label') as EditKind;
  const profile = opt('--profile');
  const { ws } = coldLoad(dir);
  const texts = new Map(ws.fileIds().map(id => [id, ws.file(id)!.text]));
  const plan = planEdits(texts, n * 3, 42).filter(e => e.kind === kind);
  const before = diagnosticsSnapshot(ws);
  const step = (id: string, text: string) => {
    ws.setFile(id, text);
    for (const f of ws.analyze()) ws.diagnostics(f);
  };
  // Warm-up: one pass, not measured.
  for (const e of plan.slice(0, 20)) {
    const t = ws.file(e.fileId)!.text;
    step(e.fileId, applyEdit(t, e.kind)!);
    step(e.fileId, t);
  }
  gc();
  let session: Session | undefined;
  if (profile) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  const wall: number[] = [];
  const cpu: number[] = [];
  const c0 = process.cpuUsage();
  for (const e of plan) {
    const original = ws.file(e.fileId)!.text;
    const edited = applyEdit(original, e.kind)!;
    const t = performance.now();
    const c = process.cpuUsage();
    step(e.fileId, edited);
    const cu = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((cu.user + cu.system) / 1000);
    step(e.fileId, original);
  }
  const total = process.cpuUsage(c0);
  if (session) {
    const { profile: p } = await session.post('Profiler.stop');
    fs.writeFileSync(profile!, JSON.stringify(p));
  }
  const w = distribution(wall);
  const cp = distribution(cpu);
  const f = (x: number) => x.toFixed(2);
  console.log(
    `${kind} edits n=${w.n}: wall p50 ${f(w.p50)} p95 ${f(w.p95)} mean ${f(w.mean)} | cpu p50 ${f(cp.p50)} p95 ${f(cp.p95)} mean ${f(cp.mean)} | cpu per step (edit+revert)/2 ${f((total.user + total.system) / 1000 / (2 * plan.length))} ms`,
  );
  const diff = snapshotDifferences(before, diagnosticsSnapshot(ws));
  console.log(diff.length ? `DIFFERENCES after revert: ${diff.length} files` : 'diagnostics equal after reverts');
}
void main();
