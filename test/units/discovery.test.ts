import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Project, defaultConfig, loadProject, parseConfigText } from '../../server/src/engine';

const FIXTURES = path.resolve(__dirname, '../fixtures/units');

/** Writes a small tree of files into a fresh temporary directory. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-units-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const rel = (root: string, files: Iterable<string>) => [...files].map(f => path.relative(root, f)).sort();

test('kustomize roots are units; a base used by two overlays belongs to both; patches are members', async () => {
  const root = path.join(FIXTURES, 'overlays');
  const p = await loadProject([root], defaultConfig());
  assert.deepEqual(
    p.units().map(u => [u.name, u.kind]),
    [
      ['dev', 'kustomize'],
      ['prod', 'kustomize'],
      ['plain', 'plain'],
    ],
  );
  const prod = p.unit('prod')!;
  assert.deepEqual(rel(root, prod.members), [
    'base/deployment.yaml',
    'base/kustomization.yaml',
    'base/service.yaml',
    'prod/kustomization.yaml',
    'prod/service-metrics.yaml',
  ]);
  assert.deepEqual(rel(root, prod.spec.objectFiles), ['base/deployment.yaml', 'base/service.yaml']);
  assert.deepEqual(
    p.unitsOf(path.join(root, 'base/service.yaml')).map(u => u.name),
    ['dev', 'prod'],
  );
});

test('two unrelated kustomize apps sharing app: gemma-server no longer see each other', async () => {
  const p = await loadProject([path.join(FIXTURES, 'two-apps')], defaultConfig());
  assert.deepEqual(
    p.units().map(u => u.name),
    ['gemma-a', 'gemma-b', 'plain'],
  );
  const all = p.fileIds().flatMap(f => p.diagnostics(f));
  assert.deepEqual(
    all.map(d => d.code),
    [],
  );
});

test('helm charts are units, vendored subcharts are not; one unit per configured values set', async () => {
  const dir = tree({
    'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'web/values.yaml': 'port: 80\n',
    'web/values-prod.yaml': 'port: 8080\n',
    'web/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n',
    'web/charts/redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 1.0.0\n',
    'web/charts/redis/templates/svc.yaml': 'kind: Service\n',
    'other/Chart.yaml': 'apiVersion: v2\nname: other\nversion: 0.1.0\n',
    'loose.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
  });
  const { config } = parseConfigText(
    'helm:\n  valueSets:\n    web:\n      default: [values.yaml]\n      prod: [values.yaml, values-prod.yaml]\n',
  );
  const p = await loadProject([dir], config);
  assert.deepEqual(
    p.units().map(u => [u.name, u.kind]),
    [
      ['other', 'helm'],
      ['web@default', 'helm'],
      ['web@prod', 'helm'],
      ['plain', 'plain'],
    ],
  );
  const prod = p.unit('web@prod')!;
  assert.deepEqual(rel(dir, prod.spec.valueSet!.files), ['web/values-prod.yaml', 'web/values.yaml']);
  assert.ok(rel(dir, prod.members).includes('web/charts/redis/templates/svc.yaml'));
  assert.deepEqual(rel(dir, p.unit('plain')!.members), ['loose.yaml']);
});

test('units: globs make each match one unit; the rest stays plain', async () => {
  const svc = (name: string, app: string) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${app}\n  ports:\n    - port: 80\n`;
  const dep = (name: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: c\n          image: x\n`;
  const dir = tree({
    'apps/one/svc.yaml': svc('one', 'shared'),
    'apps/two/dep.yaml': dep('shared'),
    'examples/ex.yaml': svc('ex', 'shared'),
  });
  const { config } = parseConfigText('units: ["apps/*"]\n');
  const p = await loadProject([dir], config);
  assert.deepEqual(
    p.units().map(u => [u.name, u.kind, u.members.size]),
    [
      ['apps/one', 'group', 1],
      ['apps/two', 'group', 1],
      ['plain', 'plain', 1],
    ],
  );
  // apps/one's Service no longer matches the Deployment of apps/two.
  const codes = (f: string) => p.diagnostics(path.join(dir, f)).map(d => d.code);
  assert.deepEqual(codes('apps/one/svc.yaml'), ['service-selector-no-match']);
  assert.deepEqual(codes('examples/ex.yaml'), ['service-selector-no-match']);
});

test('a finding in a base shared by two overlays is reported once, saying where', async () => {
  const dir = tree({
    'base/kustomization.yaml': 'resources: [svc.yaml]\n',
    'base/svc.yaml':
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: nothing\n  ports:\n    - port: 80\n',
    'dev/kustomization.yaml': 'resources: [../base]\n',
    'prod/kustomization.yaml': 'resources: [../base]\n',
  });
  const p = await loadProject([dir], defaultConfig());
  const d = p.diagnostics(path.join(dir, 'base/svc.yaml'));
  assert.equal(d.length, 1);
  assert.equal(d[0].code, 'service-selector-no-match');
  assert.match(d[0].message, /\(in overlays dev, prod\)$/);
});

test('edits: a new kustomization reshapes the units; an edit stays in its unit', () => {
  const p = new Project({ roots: ['/w'] });
  const svc =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: a\n  ports:\n    - port: 80\n';
  p.setFile('/w/a/svc.yaml', svc);
  p.setFile('/w/b/svc.yaml', svc.replace('name: s', 'name: t'));
  p.analyze();
  assert.deepEqual(
    p.units().map(u => u.name),
    ['plain'],
  );
  p.setFile('/w/a/kustomization.yaml', 'resources: [svc.yaml]\n');
  const changed = p.analyze();
  assert.ok(changed.has('/w/a/svc.yaml'));
  assert.deepEqual(
    p.units().map(u => [u.name, u.members.size]),
    [
      ['a', 2],
      ['plain', 1],
    ],
  );
  const before = p.unit('plain')!.ws.evaluations;
  p.setFile('/w/a/svc.yaml', svc.replace('app: a', 'app: b'));
  assert.deepEqual([...p.analyze()], ['/w/a/svc.yaml']);
  assert.equal(p.unit('plain')!.ws.evaluations, before, 'the plain unit re-ran nothing');
});
