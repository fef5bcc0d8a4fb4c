import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzz } from './fuzz/property';
import { loadSeeds } from './fuzz/seeds';
import { applyMutation, mutationArb, type Mutation } from './fuzz/mutators';
import { SENTINEL, checkMutant, newStats } from './fuzz/harness';

/**
 * Issue 10 item 13: the fixtures (and the real-world corpus when ../shared is beside the
 * repository) mutated — byte flips, truncation, indentation shifts, anchors and alias chains,
 * swapped types, huge values, line ends and BOM, repeated keys, inserted lines — and every mutant
 * read as the editor and the CLI read it: no exception escapes, no mutant takes seconds, and the
 * findings of an untouched file beside it are reported identically. This is the short, seeded
 * run; `npm run fuzz` runs thousands (FUZZ_RUNS, FUZZ_SEED). A failure prints fast-check's seed
 * and path, and the seed file with the shrunk mutation list.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const { seeds, corpus } = loadSeeds();

test(`fuzz: 100 mutants of ${seeds.length} files (${corpus ? 'fixtures and corpus' : 'fixtures'}), seed ${SEED}`, () => {
  const { stats, files } = fuzz(seeds, { runs: 100, seed: SEED, scale: 0.25 });
  console.log(
    `fuzz: ${stats.mutants} mutants of ${files.size} files, ${stats.bytes} bytes; ${stats.diagnostics} diagnostics, ` +
      `${stats.hovers} hovers, ${stats.lenses} lenses, ${stats.actions} code actions; slowest ${Math.round(stats.slowestMs)} ms of CPU`,
  );
  assert.equal(stats.mutants, 100);
  assert.ok(stats.diagnostics > 100 && stats.actions > 10, JSON.stringify(stats));
});

test('every kind of mutation changes a manifest', () => {
  const text = seeds.find(s => s.id.endsWith('service-selector-no-match/trigger.yaml'))?.text ?? SENTINEL;
  const kinds = new Map<Mutation['kind'], boolean>();
  for (const m of fc.sample(mutationArb(0.1), { numRuns: 2000, seed: 1 }))
    kinds.set(m.kind, kinds.get(m.kind) === true || applyMutation(text, m) !== text);
  assert.deepEqual(
    [...kinds].filter(([, changed]) => !changed).map(([k]) => k),
    [],
  );
  assert.equal(kinds.size, 12);
});

test('the harness fails a mutant that changes the untouched file’s findings', () => {
  // Not vacuous: a mutant that (unlike any real one) adds a pod the sentinel's Service selects is caught.
  const m = { id: 'x.yaml', original: 'a: 1\n', siblings: {}, hovers: [0], incremental: false };
  checkMutant({ ...m, text: 'a: [2\n' }, newStats());
  const pod = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: kn-fuzz-sentinel, labels: {app: sentinel-nobody}}
spec: {containers: [{name: c, image: x}]}
`;
  assert.throws(() => checkMutant({ ...m, text: pod }, newStats()), /the untouched file reports differently/);
});
