import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `../shared` beside the repository (the real-world corpus and the reference texts) exists in CI
 * and on the team's machines, not in a fresh clone. Suites that read it ask `sharedSuite` and pass
 * its `skip` to `describe`/`test`: without `../shared` the suite does not run and the test
 * reporter prints ONE line with the reason; with KN_REQUIRE_SHARED=1 (set by .ci/run) the absence
 * is an error instead, so CI can never go green by skipping the corpus.
 */
export const SHARED_ROOT = path.resolve(__dirname, '../../../shared');

export interface SharedSuite {
  /** Absolute path of the requested folder below ../shared. */
  dir: string;
  present: boolean;
  /** For node:test's `skip` option: false when present, else the one-line reason. */
  skip: string | false;
}

export function sharedSuite(sub: string, env: NodeJS.ProcessEnv = process.env): SharedSuite {
  const dir = path.join(SHARED_ROOT, sub);
  const present = fs.existsSync(dir);
  const shown = `../shared/${sub}`;
  if (!present && env.KN_REQUIRE_SHARED === '1')
    throw new Error(
      `KN_REQUIRE_SHARED=1 but ${shown} is missing (expected at ${dir}); clone the shared corpus beside the repository`,
    );
  return { dir, present, skip: present ? false : `skipped: ${shown} is not beside the repository (fresh clone)` };
}
