import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tree } from './support';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const cwd = path.resolve(__dirname, '../..');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

before(() => {
  assert.ok(fs.existsSync(CLI), 'run npm run build first (npm test does)');
});

test('kube-netlint units lists name, kind, files and objects', () => {
  const r = run('units', '--format', 'json', '--no-render', 'test/fixtures/units/two-apps');
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { name: string; kind: string; files: string[]; objects: number }[];
  assert.deepEqual(
    rows.map(u => [u.name, u.kind, u.files.length, u.objects]),
    [
      ['gemma-a', 'kustomize', 2, 2],
      ['gemma-b', 'kustomize', 2, 2],
      ['plain', 'plain', 0, 0],
    ],
  );
  const text = run('units', '--no-render', 'test/fixtures/units/two-apps');
  assert.match(text.stdout, /^UNIT +KIND +STATE +FILES +OBJECTS$/m);
  assert.match(text.stdout, /^gemma-a +kustomize +\S+ +2 +2$/m);
});

test("kube-netlint units does not count the configuration file among a unit's files", () => {
  const dir = tree({
    '.kube-netlint.yaml': 'defaultNamespace: shop\n',
    'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n    - port: 80\n',
  });
  const r = run('units', '--format', 'json', '--no-render', dir);
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { name: string; files: string[]; objects: number }[];
  assert.deepEqual(
    rows.map(u => [u.name, u.files.map(f => path.basename(f)), u.objects]),
    [['plain', ['svc.yaml'], 1]],
  );
});

test('--unit restricts lint and iptables to one unit; an unknown unit is a usage error', () => {
  const lint = run('--unit', 'gemma-a', '--format', 'json', 'test/fixtures/units/two-apps');
  assert.equal(lint.status, 0, lint.stderr);
  const ipt = run('iptables', '--unit', 'gemma-b', '--no-render', 'test/fixtures/units/two-apps');
  assert.equal(ipt.status, 0, ipt.stderr);
  assert.match(ipt.stdout, /default\/gemma-b/);
  assert.doesNotMatch(ipt.stdout, /default\/gemma-a/);
  const bad = run('plan', '--unit', 'nope', 'test/fixtures/units/two-apps');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no unit named "nope" \(units: gemma-a, gemma-b, plain\)/);
});

test('iptables prints each unit once: the same Services in two units are two clusters, not duplicates', () => {
  const r = run('iptables', '--no-render', 'test/fixtures/units/two-apps');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^# unit gemma-a \(kustomize\)$/m);
  assert.match(r.stdout, /^# unit gemma-b \(kustomize\)$/m);
  const services = r.stdout.split('\n').filter(l => /^-A KUBE-SERVICES .*cluster IP/.test(l));
  assert.equal(services.length, 2, services.join('\n'));
});

/** Two groups (units: apps/*), each a web Deployment calling its api Service through env. */
const app = (u: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: api-${u}\nspec:\n  selector:\n    app: api-${u}\n` +
  `  ports:\n    - port: 80\n      targetPort: 8080\n---\n` +
  [`api-${u}`, `web-${u}`]
    .map(
      n =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}\nspec:\n  selector:\n    matchLabels:\n` +
        `      app: ${n}\n  template:\n    metadata:\n      labels:\n        app: ${n}\n    spec:\n      containers:\n` +
        `        - name: c\n          image: x\n` +
        (n.startsWith('web')
          ? `          env:\n            - name: API_URL\n              value: http://api-${u}:80\n`
          : `          ports:\n            - containerPort: 8080\n`),
    )
    .join('---\n');
const twoGroups = () =>
  tree({ '.kube-netlint.yaml': 'units: ["apps/*"]\n', 'apps/a/app.yaml': app('a'), 'apps/b/app.yaml': app('b') });

test('connectivity and policies generate take --unit too: only that unit is answered', () => {
  const dir = twoGroups();
  const conn = run('connectivity', '--unit', 'apps/b', dir);
  assert.equal(conn.status, 0, conn.stderr);
  assert.match(conn.stdout, /default\/web-b\[Deployment\]/);
  assert.doesNotMatch(conn.stdout, /-a\[Deployment\]/);
  const pol = run('policies', 'generate', '--unit', 'apps/a', dir);
  assert.equal(pol.status, 0, pol.stderr);
  assert.match(pol.stdout, /name: web-a-egress/);
  assert.doesNotMatch(pol.stdout, /-b-(egress|ingress)|^# unit/m);
  for (const sub of [['connectivity'], ['policies', 'generate']]) {
    const bad = run(...sub, '--unit', 'nope', dir);
    assert.equal(bad.status, 2, sub.join(' '));
    assert.match(bad.stderr, /no unit named "nope" \(units: apps\/a, apps\/b, plain\)/);
  }
});

test('a file argument inside a walked folder picks its unit, under its usual name', () => {
  const dir = twoGroups();
  const r = run('iptables', dir, path.join(dir, 'apps/a/app.yaml'));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    r.stdout
      .split('\n')
      .filter(l => l.startsWith('# unit') || /^-A KUBE-SERVICES .*cluster IP/.test(l))
      .map(l => l.slice(0, 60)),
    ['# unit apps/a (group)', '-A KUBE-SERVICES -m comment --comment "default/api-a cluster'],
  );
});

test('trace without --unit runs in the first unit that has the entry and the destination', () => {
  const dir = twoGroups();
  const ok = run('trace', dir, '--from', 'pod:default/web-b', '--to', 'api-b:80');
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /Container c of Deployment web-b calls api-b:80/);
  const missing = run('trace', dir, '--from', 'pod:default/web-c', '--to', 'api-b:80');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no workload default\/web-c/);
});
