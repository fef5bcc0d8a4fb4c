import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { collectFiles, parseConfigText } from '../../server/src/engine';
import { isExcluded, globProblem } from '../../server/src/engine/config/globs';
import { tempTree, SERVICE } from './support/tree';

// Issue 10 item 2: `exclude` globs were turned into regular expressions by hand:
// `exclude: ["?x"]` threw, `["**a**a**a**a**a**a**a**a**a**a**a**ab"]` hung (a repository's own
// config file could freeze the editor). Now minimatch 11 (no backtracking) matches them and an
// unusable pattern is a configuration problem.

const EVIL = '**a**a**a**a**a**a**a**a**a**a**a**ab';
const LONG = 'a'.repeat(60);
const dir = tempTree({
  [`${LONG}/${LONG}.yaml`]: SERVICE('long'),
  'ax.yaml': SERVICE('ax'),
  'keep.yaml': SERVICE('k'),
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('`?x` is a valid glob, matches, and does not throw', () => {
  const { config, problems } = parseConfigText('exclude: ["?x.yaml"]\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(config.exclude, ['?x.yaml']);
  assert.equal(isExcluded('ax.yaml', config.exclude), true);
  assert.deepEqual(
    collectFiles([dir], config).files.map(f => path.relative(dir, f)),
    [`${LONG}/${LONG}.yaml`, 'keep.yaml'],
  );
});

test('the pattern that made the hand-written regex backtrack forever answers (child process, hang guard)', () => {
  // Run in a child so a regression fails the test instead of freezing the whole suite; the limit
  // is a hang guard only (the answer takes milliseconds), not a speed assertion.
  const script = `
    const { parseConfigText, collectFiles } = require('./server/src/engine');
    const { isExcluded } = require('./server/src/engine/config/globs');
    const { config, problems } = parseConfigText(${JSON.stringify(`exclude: ["${EVIL}"]\n`)});
    const files = collectFiles([${JSON.stringify(dir)}], config).files.length;
    const long = isExcluded('a'.repeat(5000), config.exclude);
    const hit = isExcluded('a'.repeat(30) + 'b', config.exclude);
    console.log(JSON.stringify({ problems, files, long, hit }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: path.resolve(__dirname, '../..'),
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.signal, null, 'the glob match did not finish (killed by the hang guard)');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { problems: [], files: 3, long: false, hit: true });
});

test('folder patterns exclude everything below; patterns are anchored at the workspace folder', () => {
  for (const pat of ['charts', 'charts/', './charts/**', 'charts/**', '{charts,vendor}']) {
    assert.equal(isExcluded('charts/a/svc.yaml', [pat]), true, pat);
    assert.equal(isExcluded('other/charts.yaml', [pat]), false, pat);
  }
  assert.equal(isExcluded('x.json', ['*.json']), true);
  assert.equal(isExcluded('a/x.json', ['*.json']), false);
  assert.equal(isExcluded('a/x.json', ['**/*.json']), true);
  assert.equal(isExcluded('a/.hidden/x.yaml', ['a/**']), true);
  assert.equal(isExcluded('a\\b\\c.yaml', ['a/b/*.yaml']), true, 'Windows separators');
});

test('an unusable pattern is a configuration problem naming it, and the others still apply', () => {
  const { config, problems } = parseConfigText(
    [
      'exclude:',
      '  - charts/**',
      '  - ""',
      '  - 7',
      '  - /etc/**',
      '  - ../outside/**',
      `  - "${'{a,b}'.repeat(20)}"`,
      `  - "${'x'.repeat(2000)}"`,
      '',
    ].join('\n'),
  );
  assert.deepEqual(config.exclude, ['charts/**']);
  assert.deepEqual(
    problems.map(p => p.message.replace(/"x{20,}"/, '"xxx…"')),
    [
      'exclude[1]: must not be empty',
      'exclude[2]: must be a string',
      'exclude[3]: "/etc/**" is absolute; patterns are relative to the workspace folder',
      'exclude[4]: "../outside/**" leaves the workspace folder (`..`)',
      `exclude[5]: "${'{a,b}'.repeat(20)}" expands to more than 64 alternatives`,
      'exclude[6]: "xxx…" is longer than 1024 characters',
    ],
  );
  assert.equal(globProblem('[z-a]'), undefined, 'minimatch reads an empty range as matching nothing');
});
