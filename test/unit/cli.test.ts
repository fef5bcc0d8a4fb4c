import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const cwd = path.resolve(__dirname, '../..');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

before(() => {
  assert.ok(fs.existsSync(CLI), 'run npm run build first (npm test does)');
});

test('json output follows the documented schema with 0-based LSP positions', () => {
  const r = run('--format', 'json', 'test/fixtures/cli/broken');
  assert.equal(r.status, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out, [
    {
      file: 'test/fixtures/cli/broken/service.yaml',
      range: { start: { line: 8, character: 18 }, end: { line: 8, character: 21 } },
      severity: 'error',
      code: 'service-target-port-unresolved',
      message: out[0].message,
    },
  ]);
  assert.match(out[0].message, /"htp".*Did you mean "http"\?/);
});

test('text output is file:line:col severity rule message, 1-based', () => {
  const r = run('test/fixtures/cli/broken');
  assert.equal(r.status, 1);
  assert.match(
    r.stdout,
    /^test\/fixtures\/cli\/broken\/service\.yaml:9:19 error service-target-port-unresolved targetPort "htp"/,
  );
});

test('exit code 0 when nothing is an error', () => {
  const r = run('test/fixtures/cli/clean');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout, '');
});

test('all paths given form one workspace', () => {
  const alone = run('--format', 'json', 'test/fixtures/cli/broken/service.yaml');
  assert.ok(JSON.parse(alone.stdout).some((d: { code: string }) => d.code === 'service-selector-no-match'));
  const together = run(
    '--format',
    'json',
    'test/fixtures/cli/broken/service.yaml',
    'test/fixtures/cli/broken/deployment.yaml',
  );
  assert.deepEqual(
    JSON.parse(together.stdout).map((d: { code: string }) => d.code),
    ['service-target-port-unresolved'],
  );
});

test('--config applies an explicit configuration file; a directory argument finds its own', () => {
  const plain = run('--format', 'json', 'test/fixtures/cli/broken/service.yaml');
  assert.equal(plain.status, 0);
  assert.equal(
    JSON.parse(plain.stdout).find((d: { code: string }) => d.code === 'service-selector-no-match').severity,
    'warning',
  );
  const configured = run(
    '--format',
    'json',
    '--config',
    'test/fixtures/cli/broken/.kube-netlint.yaml',
    'test/fixtures/cli/broken/service.yaml',
  );
  assert.equal(configured.status, 1);
  assert.equal(
    JSON.parse(configured.stdout).find((d: { code: string }) => d.code === 'service-selector-no-match').severity,
    'error',
  );
  const missing = run('--config', 'nope.yaml', 'test/fixtures/cli/clean');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /config file not found/);
});

test('usage errors exit with 2', () => {
  assert.equal(run('--format', 'xml', '.').status, 2);
  assert.equal(run('--frobnicate').status, 2);
});
