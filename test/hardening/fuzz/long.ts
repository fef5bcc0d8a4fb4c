/**
 * `npm run fuzz`: the long run of the fuzz property (the short one is in fuzz.test.ts).
 * FUZZ_RUNS (default 5000) mutants from FUZZ_SEED (default: the clock, printed); FUZZ_SCALE
 * bounds the huge values (default 1: strings of a million characters, 10,000 levels of flow
 * nesting, 50,000 keys; npm test runs 0.25). FUZZ_HANG_S (default 300) is how long one mutant may
 * run before the watchdog calls it a hang. Prints the run's size and result; exit 1 on a failure,
 * with fast-check's seed and path to replay it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fuzz } from './property';
import { loadSeeds } from './seeds';

const runs = Number(process.env.FUZZ_RUNS ?? 5000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const scale = Number(process.env.FUZZ_SCALE ?? 1);
const { seeds, corpus } = loadSeeds();
const seedBytes = seeds.reduce((n, s) => n + s.text.length, 0);
console.log(
  `fuzz: ${runs} mutants, seed ${seed}, scale ${scale}; ${seeds.length} seed files (${seedBytes} bytes, ` +
    `${corpus ? 'fixtures and ../shared/corpus' : 'fixtures only: ../shared/corpus is not beside the repository'})`,
);
const started = Date.now();
let done = 0;
// The run is synchronous (no timer fires): progress is printed from the loop, and a hang inside the
// engine is caught by a watchdog thread, which prints the mutant being read and ends the process.
const HANG_S = Number(process.env.FUZZ_HANG_S ?? 300);
const beat = new Int32Array(new SharedArrayBuffer(4));
const current = path.join(os.tmpdir(), `kube-netlint-fuzz-${process.pid}.json`);
const watchdog = new Worker(
  `const { workerData: w } = require('node:worker_threads'); const fs = require('node:fs');
   let last = -1, since = Date.now();
   setInterval(() => {
     const now = Atomics.load(w.beat, 0);
     if (now !== last) { last = now; since = Date.now(); return; }
     if (Date.now() - since < w.hangMs) return;
     let m = ''; try { m = fs.readFileSync(w.current, 'utf8'); } catch {}
     fs.writeSync(2, 'fuzz: FAIL, no progress for ' + w.hangMs / 1000 + ' s (a hang) in mutant ' + m + '\\n');
     process.kill(process.pid, 'SIGKILL');
   }, 1000);`,
  { eval: true, workerData: { beat, current, hangMs: HANG_S * 1000 } },
);
watchdog.unref();
const tick = (seedId: string, mutations: unknown) => {
  fs.writeFileSync(current, JSON.stringify({ seedId, mutations }));
  Atomics.add(beat, 0, 1);
  if (++done % 500 === 0) console.log(`  ${done} mutants, ${Math.round((Date.now() - started) / 1000)} s`);
};
try {
  const { stats, files } = fuzz(seeds, { runs, seed, scale, onMutant: tick });
  const s = (Date.now() - started) / 1000;
  console.log(
    `fuzz: PASS ${stats.mutants} mutants of ${files.size} files (${(stats.bytes / 1e6).toFixed(1)} MB mutated text) in ${s.toFixed(0)} s; ` +
      `${stats.diagnostics} diagnostics, ${stats.hovers} hovers, ${stats.lenses} code lenses, ${stats.actions} code actions applied; ` +
      `slowest mutant ${Math.round(stats.slowestMs)} ms of CPU (${stats.slowest})`,
  );
} catch (e) {
  console.error(`fuzz: FAIL after ${done} mutants, ${Math.round((Date.now() - started) / 1000)} s (seed ${seed})`);
  console.error(e instanceof Error ? e.message : e);
  // fast-check keeps the property's own error (the seed file, the mutations, what went wrong) as the cause.
  if (e instanceof Error && e.cause) console.error('cause:', e.cause);
  process.exitCode = 1;
}
