// Where the end-to-end suite finds its tools and puts its output; overridable by environment so
// the driver (scripts/e2e/run.mjs) and a developer running one spec by hand agree.
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';

export const repoRoot = resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  version: string;
};

export const extensionId = `${pkg.publisher}.${pkg.name}`;
export const vsixPath = process.env.KN_E2E_VSIX ?? join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
export const codeServerEntry =
  process.env.KN_CODE_SERVER ?? join(repoRoot, '.cache/code-server/node_modules/code-server/out/node/entry.js');
export const chromiumPath = process.env.KN_CHROMIUM ?? '/usr/bin/chromium';
export const outputDir = process.env.KN_E2E_OUTPUT ?? join(repoRoot, 'test-output/e2e');
export const fixturesDir = join(repoRoot, 'test/e2e/fixtures');
