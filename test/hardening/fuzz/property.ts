import fc from 'fast-check';
import { applyMutations, mutationsArb, type Mutation } from './mutators';
import { checkMutant, newStats, type FuzzStats } from './harness';
import type { Seed } from './seeds';

export interface FuzzRun {
  runs: number;
  seed: number;
  /** Bound of the huge values (1: up to a million characters or ten thousand levels). */
  scale?: number;
  onMutant?: (seedId: string, mutations: Mutation[]) => void;
}

/**
 * The property: for any seed file and any one to four mutations of it, everything the front ends
 * do with the mutant works (see harness.ts). fast-check picks, shrinks a failure to the smallest
 * mutation list, and reports the seed and path that replay it.
 */
export function fuzz(seeds: readonly Seed[], run: FuzzRun): { stats: FuzzStats; files: Set<string> } {
  const stats = newStats();
  const files = new Set<string>();
  fc.assert(
    fc.property(
      fc.nat(seeds.length - 1),
      mutationsArb(run.scale ?? 1),
      fc.array(fc.nat(999_999), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      (i, mutations, hovers, incremental) => {
        const seed = seeds[i];
        run.onMutant?.(seed.id, mutations);
        files.add(seed.id);
        const text = applyMutations(seed.text, mutations);
        try {
          checkMutant({ id: seed.id, original: seed.text, text, siblings: seed.siblings, hovers, incremental }, stats);
        } catch (e) {
          // The seed file's name is not in fast-check's counterexample (only its index): say it here.
          if (e instanceof Error) e.message = `${seed.id} ${JSON.stringify(mutations)}: ${e.message}`;
          throw e;
        }
      },
    ),
    { numRuns: run.runs, seed: run.seed, endOnFailure: false },
  );
  return { stats, files };
}
