import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Issue 11 item 4: `npm pack` gives a tarball that `npm install -g` turns into a working
// `kube-netlint` on PATH, from any directory; the tarball ships only what the CLI and the
// extension need, and installs no runtime dependency (everything is bundled by esbuild).

const ROOT = path.resolve(__dirname, '../..');
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kn-pack-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** npm itself: the one running `npm test` when there is one, else from PATH. */
function npm(args: string[], cwd: string) {
  const cli = process.env.npm_execpath;
  const [cmd, argv] = cli && /\.c?js$/.test(cli) ? [process.execPath, [cli, ...args]] : ['npm', args];
  return spawnSync(cmd, argv, {
    cwd,
    encoding: 'utf8',
    // No registry: the tarball must install from itself alone.
    env: { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
  });
}

test('npm pack ships the bundles, grammar, schema, webview assets and docs only', () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist/cli.js')), 'run npm run build first (npm test does)');
  // --ignore-scripts: prepack would rebuild dist/ under the other test files running in parallel.
  const r = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], ROOT);
  assert.equal(r.status, 0, r.stderr);
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[]; size: number }[];
  assert.deepEqual(info.files.map(f => f.path).sort(), [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'dist/cli.js',
    'dist/client.js',
    'dist/server.js',
    'dist/webview/connectivityView.js',
    'dist/webview/pathView.js',
    'media/connectivityView.css',
    'media/icon.png',
    'media/pathView.css',
    'package.json',
    'schemas/kube-netlint.schema.json',
    'syntaxes/iptables.tmLanguage.json',
  ]);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.private, undefined, 'a private package cannot be installed with npx or published');
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'everything the CLI and the extension run is bundled');
  assert.equal(pkg.bin['kube-netlint'], './dist/cli.js');
  assert.match(fs.readFileSync(path.join(ROOT, 'dist/cli.js'), 'utf8').slice(0, 30), /^#!\/usr\/bin\/env node\n/);
  fs.renameSync(path.join(tmp, info.filename), path.join(tmp, 'kube-netlint.tgz'));
});

test('npm install -g of the tarball puts a working kube-netlint on PATH, used from another directory', () => {
  const tarball = path.join(tmp, 'kube-netlint.tgz');
  assert.ok(fs.existsSync(tarball), 'the pack test runs first');
  const prefix = path.join(tmp, 'prefix');
  const r = npm(['install', '-g', '--prefix', prefix, tarball], tmp);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const installed = path.join(prefix, 'lib/node_modules/kube-netlint');
  assert.ok(fs.existsSync(path.join(installed, 'dist/cli.js')));
  assert.ok(!fs.existsSync(path.join(installed, 'node_modules')), 'no runtime dependency was installed');

  const elsewhere = path.join(tmp, 'elsewhere');
  fs.cpSync(path.join(ROOT, 'examples/shop'), path.join(elsewhere, 'shop'), { recursive: true });
  const env = { ...process.env, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH}` };
  const run = (...args: string[]) => spawnSync('kube-netlint', args, { cwd: elsewhere, env, encoding: 'utf8' });
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  assert.equal(run('--version').stdout, `kube-netlint ${version}\n`);
  const lint = run('shop');
  assert.equal(lint.status, 1, lint.stderr);
  assert.match(lint.stdout, /^shop\/apps\/cart\.yaml:\d+:\d+ error service-target-port-unresolved targetPort "gprc"/m);
  const plan = run('plan', 'shop');
  assert.equal(plan.status, 0, plan.stderr);
  assert.match(plan.stdout, /^RANGE /);
});

test('the .vsix takes the same list (vsce reads package.json files): it carries the config schema', () => {
  const vsce = path.join(ROOT, 'node_modules/@vscode/vsce/vsce');
  const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.trim().split('\n').sort();
  assert.ok(files.includes('schemas/kube-netlint.schema.json'), 'yamlValidation points at it');
  for (const f of ['dist/client.js', 'dist/server.js', 'dist/webview/pathView.js', 'syntaxes/iptables.tmLanguage.json'])
    assert.ok(files.includes(f), f);
  assert.ok(!files.some(f => /\.map$|^test\/|^server\/|^client\/|node_modules/.test(f)), files.join(', '));
});
