/**
 * `npm run fuzz`: the long run of the fuzz property (the short one is in fuzz.test.ts).
 * FUZZ_RUNS (default 5000) mutants from FUZZ_SEED (default: the clock, printed), FUZZ_SCALE
 * (default 1) bounds the huge values. Prints the run's size and result; exit 1 on a failure,
 * with fast-check's seed and path to replay it.
 */
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
// The run is synchronous (no timer fires): progress is printed from the loop.
const tick = () => {
  if (++done % 500 === 0) console.log(`  ${done} mutants, ${Math.round((Date.now() - started) / 1000)} s`);
};
try {
  const { stats, files } = fuzz(seeds, { runs, seed, scale, onMutant: tick });
  const s = (Date.now() - started) / 1000;
  console.log(
    `fuzz: PASS ${stats.mutants} mutants of ${files.size} files (${(stats.bytes / 1e6).toFixed(1)} MB mutated text) in ${s.toFixed(0)} s; ` +
      `${stats.diagnostics} diagnostics, ${stats.hovers} hovers, ${stats.lenses} code lenses, ${stats.actions} code actions applied; ` +
      `slowest mutant ${Math.round(stats.slowestMs)} ms (${stats.slowest})`,
  );
} catch (e) {
  console.error(`fuzz: FAIL after ${done} mutants, ${Math.round((Date.now() - started) / 1000)} s (seed ${seed})`);
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
