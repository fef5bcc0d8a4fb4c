import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedSuite } from '../support/shared';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const cwd = path.resolve(__dirname, '../..');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, 'connectivity', ...args], { cwd, encoding: 'utf8' });
const BASE = 'test/fixtures/connectivity/base';
const HEAD = 'test/fixtures/connectivity/head';

describe('kube-netlint connectivity (CLI)', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'run npm run build first (npm test does)'));

  it('prints netpol-analyzer lines by default', () => {
    const r = run(BASE);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.includes('shop/api[Deployment] => shop/db[Deployment] : TCP 5432'), r.stdout);
    assert.ok(!lines.some(l => l.startsWith('shop/web[Deployment] => shop/db')), r.stdout);
    assert.deepEqual([...lines].sort(), lines);
  });

  it('json, csv, md and dot carry the same connections', () => {
    const json = JSON.parse(run(BASE, '--format', 'json').stdout) as { src: string; dst: string; conn: string }[];
    assert.ok(
      json.some(c => c.src === 'shop/api[Deployment]' && c.dst === 'shop/db[Deployment]' && c.conn === 'TCP 5432'),
    );
    const csv = run(BASE, '--format', 'csv').stdout.trim().split('\n');
    assert.equal(csv[0], 'src,dst,conn');
    assert.equal(csv.length, json.length + 1);
    const md = run(BASE, '--format', 'md').stdout;
    assert.match(md, /^\| src \| dst \| conn \|/);
    const dot = run(BASE, '--format', 'dot').stdout;
    assert.match(dot, /"shop\/api\[Deployment\]" -> "shop\/db\[Deployment\]" \[label="TCP 5432"/);
  });

  it('--focus-workload keeps the connections from or to one workload', () => {
    const lines = run(BASE, '--focus-workload', 'shop/db').stdout.trim().split('\n');
    assert.ok(lines.length > 0 && lines.every(l => l.includes('shop/db[Deployment]')), lines.join('\n'));
    const bad = run(BASE, '--focus-workload', 'shop/nope');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /no workload shop\/nope/);
  });

  it('--explain names the deciding rules with file:line', () => {
    const r = run(BASE, '--explain', 'shop/web', 'shop/db', '5432/TCP');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^shop\/web\[Deployment\] => shop\/db\[Deployment\] on 5432\/TCP: No Connections/);
    assert.match(
      r.stdout,
      /isolating policy NetworkPolicy shop\/db \(test\/fixtures\/connectivity\/base\/policies\.yaml:8\)/,
    );
    const ok = run(BASE, '--explain', 'shop/api', 'shop/db');
    assert.match(
      ok.stdout,
      /TCP 5432: allowed by NetworkPolicy shop\/db ingress rule 1 \(test\/fixtures\/connectivity\/base\/policies\.yaml:10\)/,
    );
    const json = JSON.parse(run(BASE, '--explain', 'shop/api', 'shop/db', '--format', 'json').stdout);
    assert.equal(json.allowed, 'TCP 5432');
    assert.equal(json.ingress.decisions[0].rule.source, 'test/fixtures/connectivity/base/policies.yaml:10');
  });

  it('--diff lists added, removed and changed connections and exits 1 when they differ', () => {
    const r = run(HEAD, '--diff', BASE);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      '- 0.0.0.0-255.255.255.255[External] => shop/api[Deployment] : All Connections',
      '~ shop/api[Deployment] => shop/db[Deployment] : TCP 5432 -> TCP 5432,9187',
      '- shop/db[Deployment] => shop/api[Deployment] : All Connections',
      '~ shop/web[Deployment] => shop/api[Deployment] : All Connections -> TCP 9090',
    ]);
    const same = run(BASE, '--diff', BASE);
    assert.equal(same.status, 0);
    assert.equal(same.stdout, '');
  });

  it('--help prints the usage; a bad format is a usage error', () => {
    const h = run('--help');
    assert.equal(h.status, 0);
    assert.match(h.stdout, /--explain SRC DST/);
    const bad = run(BASE, '--format', 'xml');
    assert.equal(bad.status, 2);
  });

  const shared = sharedSuite('corpus/netpol');
  it('matches netpol-analyzer through the command line too', { skip: shared.skip }, () => {
    for (const name of ['onlineboutique', 'udn_test_2', 'anp_test_named_ports_multiple_peers']) {
      const r = run(path.join(shared.dir, 'tests', name));
      assert.equal(r.status, 0, r.stderr);
      const expected = fs.readFileSync(path.join(shared.dir, 'expected', `${name}.txt`), 'utf8');
      assert.equal(r.stdout.trimEnd(), expected.trimEnd(), name);
    }
  });
});
