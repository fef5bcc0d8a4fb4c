// Runs the real-VS-Code end-to-end specs (test/e2e/specs/*.spec.ts) with Node's test runner, one
// file at a time (each starts its own code-server and Chromium). Expects scripts/e2e/setup.sh and
// `npm run package` to have run, which is what `npm run test:e2e` does.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const env = {
  ...process.env,
  KN_E2E_VSIX: process.env.KN_E2E_VSIX ?? join(root, `${pkg.name}-${pkg.version}.vsix`),
  KN_CODE_SERVER:
    process.env.KN_CODE_SERVER ?? join(root, '.cache/code-server/node_modules/code-server/out/node/entry.js'),
  KN_E2E_OUTPUT: process.env.KN_E2E_OUTPUT ?? join(root, 'test-output/e2e'),
};
for (const [k, what] of [
  ['KN_E2E_VSIX', 'the packaged extension (npm run package)'],
  ['KN_CODE_SERVER', 'code-server (bash scripts/e2e/setup.sh)'],
]) {
  if (!existsSync(env[k])) {
    console.error(`e2e: missing ${what}: ${env[k]}`);
    process.exit(1);
  }
}
rmSync(env.KN_E2E_OUTPUT, { recursive: true, force: true });
mkdirSync(env.KN_E2E_OUTPUT, { recursive: true });

const specsDir = join(root, 'test/e2e/specs');
const only = process.argv.slice(2);
const specs = only.length
  ? only
  : readdirSync(specsDir)
      .filter(f => f.endsWith('.spec.ts'))
      .sort()
      .map(f => join(specsDir, f));
const started = Date.now();
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...specs],
  { stdio: 'inherit', env, cwd: root },
);
// KN_E2E_UPDATE_SCREENSHOTS=1 refreshes the README's screenshots from a passing run.
const readmeShots = {
  'trusted-02-problems-unopened-file.png': 'problems.png',
  'trusted-03-quick-fix-menu.png': 'quick-fix.png',
  'trusted-07-hover-service.png': 'hover.png',
  'trusted-09-path-webview.png': 'traffic-path.png',
  'restricted-02-restricted-mode-problems.png': 'restricted-mode.png',
};
if (r.status === 0 && process.env.KN_E2E_UPDATE_SCREENSHOTS === '1') {
  const dest = join(root, 'docs/screenshots');
  mkdirSync(dest, { recursive: true });
  for (const [from, to] of Object.entries(readmeShots)) copyFileSync(join(env.KN_E2E_OUTPUT, from), join(dest, to));
  console.log(`e2e: README screenshots updated in ${dest}`);
}
console.log(
  `e2e: ${specs.length} spec file(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots and logs in ${env.KN_E2E_OUTPUT}`,
);
process.exit(r.status ?? 1);
