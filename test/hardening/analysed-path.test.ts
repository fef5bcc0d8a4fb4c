import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectFiles, isAnalysedPath, parseConfigText } from '../../server/src/engine';
import type { WalkConfig } from '../../server/src/engine';
import { tempTree, SERVICE } from './support/tree';

// The predicate the language server uses to keep its file set equal to a fresh scan (issue 10
// item 8): for every file in a tree with skipped folders, excludes, other file kinds and links,
// `isAnalysedPath` must say yes exactly for the files `collectFiles` returns.

const outside = tempTree({ 'out.yaml': SERVICE('out') });
const dir = tempTree({
  'app.yaml': SERVICE('a'),
  'cni/10-bridge.conflist': '{"cniVersion":"1.0.0","name":"n","plugins":[]}',
  'charts/svc.yaml': SERVICE('c'),
  'charts/keep/inner.yaml': SERVICE('i'),
  'node_modules/pkg/x.yaml': SERVICE('n'),
  'deep/node_modules/y.yaml': SERVICE('n2'),
  'dist/built.yaml': SERVICE('d'),
  '.git/config.yaml': SERVICE('g'),
  'README.md': '# not a manifest\n',
  'vendor/v.yaml': SERVICE('v'),
});
fs.symlinkSync(path.join(outside, 'out.yaml'), path.join(dir, 'link-out.yaml'));
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

/** Every path below `root` that is a file or a link, without following links. */
function everything(root: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    const p = path.join(root, e.name);
    if (e.isDirectory()) out.push(...everything(p));
    else out.push(p);
  }
  return out.sort();
}

function agree(config: WalkConfig): string[] {
  const scanned = new Set(collectFiles([dir], config).files);
  for (const f of everything(dir))
    assert.equal(isAnalysedPath([dir], f, config), scanned.has(f), `${path.relative(dir, f)} disagrees with a scan`);
  return [...scanned].map(f => path.relative(dir, f)).sort();
}

test('with the defaults it agrees with a fresh scan on every path', () => {
  assert.deepEqual(agree({}), [
    'app.yaml',
    'charts/keep/inner.yaml',
    'charts/svc.yaml',
    'cni/10-bridge.conflist',
    'vendor/v.yaml',
  ]);
});

test('with exclude and overridden skipDirectories it still agrees', () => {
  const { config, problems } = parseConfigText('exclude: ["charts/*.yaml"]\nskipDirectories: [vendor, .git]\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(agree(config), [
    'app.yaml',
    'charts/keep/inner.yaml',
    'cni/10-bridge.conflist',
    'deep/node_modules/y.yaml',
    'dist/built.yaml',
    'node_modules/pkg/x.yaml',
  ]);
});

test('outside every root, deleted, or reached through a link out: not analysed', () => {
  assert.equal(isAnalysedPath([dir], path.join(outside, 'out.yaml')), false);
  assert.equal(isAnalysedPath([dir], path.join(dir, 'gone.yaml')), false);
  assert.equal(isAnalysedPath([dir], path.join(dir, 'link-out.yaml')), false);
  assert.equal(isAnalysedPath([dir, outside], path.join(outside, 'out.yaml')), true, 'a second root');
});
