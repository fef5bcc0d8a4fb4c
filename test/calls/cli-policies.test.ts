import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** `kube-netlint policies generate` through the built CLI (npm test builds dist/ first). */
const CLI = path.resolve(__dirname, '../../dist/cli.js');
const FIXTURES = path.resolve(__dirname, '../fixtures/calls');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

test('policies generate prints valid NetworkPolicy YAML and exits 0', () => {
  const r = run('policies', 'generate', path.join(FIXTURES, 'call-denied-by-policy', 'trigger'));
  assert.equal(r.status, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map(
    d => d.toJS() as { kind: string; metadata: { name: string; namespace: string } },
  );
  assert.ok(docs.every(d => d.kind === 'NetworkPolicy'));
  const names = docs.map(d => `${d.metadata.namespace}/${d.metadata.name}`);
  for (const want of [
    'shop/default-deny',
    'shop/allow-dns',
    'cache/default-deny',
    'cache/redis-ingress',
    'shop/frontend-egress',
    'shop/cart-ingress',
  ])
    assert.ok(names.includes(want), `${want} in ${names.join(', ')}`);
});

test('policies generate exits 1 when no connection is discovered, 2 on usage errors', () => {
  const none = run('policies', 'generate', path.join(FIXTURES, 'call-port-missing', 'clean', 'app.yaml'));
  // The clean fixture's calls reach Services without selectable workloads: nothing to allow.
  assert.equal(none.status, 1, none.stdout + none.stderr);
  assert.match(none.stdout, /^# kube-netlint found no connection/);
  const usage = run('policies');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /policies needs a command: generate/);
  assert.equal(run('policies', 'generate', '--bogus').status, 2);
});
