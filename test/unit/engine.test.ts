import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, defaultConfig, mergeConfig, parseConfigText } from '../../server/src/engine';

const deployment = (name: string, label: string, ns = 'default') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels: {app: ${label}}
  template:
    metadata:
      labels: {app: ${label}}
    spec:
      containers:
        - name: app
          image: app
          ports:
            - name: http
              containerPort: 8080
`;
const service = (name: string, label: string, ns = 'default', extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}${extra}
spec:
  selector:
    app: ${label}
  ports:
    - port: 80
      targetPort: http
`;

function codes(ws: Workspace, file: string): string[] {
  ws.analyze();
  return ws.diagnostics(file).map(d => d.code);
}

test('resources in different files see each other', () => {
  const ws = new Workspace();
  ws.setFile('svc.yaml', service('web', 'web'));
  assert.deepEqual(codes(ws, 'svc.yaml'), ['service-selector-no-match']);
  ws.setFile('deploy.yaml', deployment('web', 'web'));
  assert.deepEqual(codes(ws, 'svc.yaml'), []);
  ws.removeFile('deploy.yaml');
  assert.deepEqual(codes(ws, 'svc.yaml'), ['service-selector-no-match']);
});

test('an edit re-evaluates only the resources whose answers can change', () => {
  const ws = new Workspace();
  for (let i = 0; i < 50; i++) {
    ws.setFile(`d${i}.yaml`, deployment(`app${i}`, `app${i}`));
    ws.setFile(`s${i}.yaml`, service(`app${i}`, `app${i}`));
  }
  ws.analyze();
  const before = ws.evaluations;
  // Relabel one Deployment: its own rules run again, and so do the Services that selected the
  // old label or select the new one, and nothing else.
  ws.setFile('d7.yaml', deployment('app7', 'app8'));
  const changed = ws.analyze();
  const perResource = ws.evaluations - before;
  assert.ok(perResource > 0);
  assert.ok(perResource < 3 * 18, `re-ran ${perResource} rule evaluations for one edit`);
  assert.deepEqual([...changed].sort(), ['d7.yaml', 's7.yaml']);
  assert.deepEqual(codes(ws, 's7.yaml'), ['service-selector-no-match']);
  assert.deepEqual(codes(ws, 's8.yaml'), []);
});

test('kind: List items are resources of their own, located inside the list', () => {
  const ws = new Workspace();
  const list = `apiVersion: v1
kind: List
items:
  - ${deployment('web', 'web').split('\n').join('\n    ').trimEnd()}
  - ${service('web', 'wbe').split('\n').join('\n    ').trimEnd()}
`;
  ws.setFile('list.yaml', list);
  ws.analyze();
  const d = ws.diagnostics('list.yaml');
  assert.deepEqual(
    d.map(x => x.code),
    ['service-selector-no-match'],
  );
  assert.equal(list.split('\n')[d[0].range.start.line].trim(), 'app: wbe');
});

test('a syntax error yields one diagnostic at its position and the rest of the workspace is analysed', () => {
  const ws = new Workspace();
  ws.setFile('broken.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [x\nspec: {}\n');
  ws.setFile('svc.yaml', service('web', 'web'));
  ws.analyze();
  const broken = ws.diagnostics('broken.yaml');
  assert.equal(broken.length, 1);
  assert.equal(broken[0].code, 'yaml-syntax');
  assert.equal(broken[0].severity, 'error');
  assert.ok(broken[0].range.start.line >= 3, JSON.stringify(broken[0].range));
  assert.deepEqual(
    ws.diagnostics('svc.yaml').map(d => d.code),
    ['service-selector-no-match'],
  );
});

test('a broken document does not hide the valid documents of the same file', () => {
  const ws = new Workspace();
  ws.setFile('multi.yaml', `${service('web', 'wbe')}---\nkind: [\n---\n${deployment('web', 'web')}`);
  ws.analyze();
  assert.deepEqual(
    ws
      .diagnostics('multi.yaml')
      .map(d => d.code)
      .sort(),
    ['service-selector-no-match', 'yaml-syntax'],
  );
});

test('Helm templates are skipped with one information diagnostic; {{ inside strings is data', () => {
  const ws = new Workspace();
  ws.setFile(
    'chart.yaml',
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n`,
  );
  ws.setFile(
    'rules.yaml',
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  rule: "summary: {{ $labels.instance }} is down"\n`,
  );
  ws.analyze();
  const chart = ws.diagnostics('chart.yaml');
  assert.deepEqual(
    chart.map(d => [d.code, d.severity]),
    [['template-skipped', 'information']],
  );
  assert.deepEqual(ws.diagnostics('rules.yaml'), []);
});

test('wrong types, alias bombs, binary and empty input do not crash', () => {
  const ws = new Workspace();
  const bomb =
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n';
  const inputs: Record<string, string> = {
    'types.yaml':
      'apiVersion: v1\nkind: Service\nmetadata: {name: 7, labels: [1]}\nspec: {selector: "x", ports: [{port: "eighty"}, 5, null]}\n',
    'bomb.yaml': bomb,
    'binary.yaml': 'kind: Service\u0000\u0001',
    'empty.yaml': '',
    'scalar.yaml': '42\n',
    'pods.yaml': 'kind: Pod\nspec:\n  containers: {a: 1}\n---\nkind: Deployment\nspec: {template: 5}\n',
  };
  for (const [f, t] of Object.entries(inputs)) ws.setFile(f, t);
  ws.analyze();
  for (const f of Object.keys(inputs)) ws.diagnostics(f);
  assert.deepEqual(
    ws.diagnostics('types.yaml').map(d => d.code),
    ['port-value-invalid'],
  );
  assert.equal(ws.diagnostics('binary.yaml')[0].code, 'file-skipped');
});

test('per-rule severity from configuration, including off', () => {
  const { config, problems } = parseConfigText(
    'rules:\n  service-selector-no-match: error\n  pod-port-conflict: off\n  bogus: loud\n',
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /bogus/);
  const ws = new Workspace(config);
  ws.setFile('svc.yaml', service('web', 'web'));
  ws.analyze();
  assert.deepEqual(
    ws.diagnostics('svc.yaml').map(d => d.severity),
    ['error'],
  );
  ws.setConfig(mergeConfig(config, { rules: { 'service-selector-no-match': 'off' } }));
  ws.analyze();
  assert.deepEqual(ws.diagnostics('svc.yaml'), []);
});

test('the default namespace is configurable', () => {
  const ws = new Workspace(mergeConfig(defaultConfig(), { defaultNamespace: 'shop' }));
  ws.setFile('svc.yaml', service('web', 'web', 'shop'));
  ws.setFile('deploy.yaml', deployment('web', 'web').replace('  namespace: default\n', ''));
  ws.analyze();
  assert.deepEqual(ws.diagnostics('svc.yaml'), []);
  ws.setConfig(defaultConfig());
  ws.analyze();
  assert.deepEqual(
    ws.diagnostics('svc.yaml').map(d => d.code),
    ['service-selector-no-match'],
  );
});

test('a disable-next-line comment suppresses only the named rules on the next line', () => {
  const ws = new Workspace();
  const text = service('web', 'wbe').replace(
    '  selector:',
    '  # the pods come from another repo\n  # kube-netlint-disable-next-line service-selector-no-match, pod-port-conflict\n  selector:',
  );
  ws.setFile('svc.yaml', text);
  ws.setFile(
    'other.yaml',
    service('api', 'wbe').replace('  selector:', '  # kube-netlint-disable-next-line pod-port-conflict\n  selector:'),
  );
  ws.analyze();
  assert.deepEqual(ws.diagnostics('svc.yaml'), []);
  assert.deepEqual(
    ws.diagnostics('other.yaml').map(d => d.code),
    ['service-selector-no-match'],
  );
});

test('the kube-netlint.io/ignore annotation suppresses the listed rules for that resource', () => {
  const ws = new Workspace();
  ws.setFile(
    'svc.yaml',
    service(
      'web',
      'wbe',
      'default',
      '\n  annotations:\n    kube-netlint.io/ignore: "pod-port-conflict, service-selector-no-match"',
    ),
  );
  ws.setFile(
    'svc2.yaml',
    service('web2', 'wbe', 'default', '\n  annotations:\n    kube-netlint.io/ignore: "pod-port-conflict"'),
  );
  ws.analyze();
  assert.deepEqual(ws.diagnostics('svc.yaml'), []);
  assert.deepEqual(
    ws.diagnostics('svc2.yaml').map(d => d.code),
    ['service-selector-no-match'],
  );
});

test('findings carry a rule page link, related information and a fix', () => {
  const ws = new Workspace();
  ws.setFile('deploy.yaml', deployment('web', 'web'));
  ws.setFile('svc.yaml', service('web', 'wbe'));
  ws.analyze();
  const [d] = ws.diagnostics('svc.yaml');
  assert.match(d.href, /docs\/rules\/service-selector-no-match\.md$/);
  assert.equal(d.related[0].fileId, 'deploy.yaml');
  assert.equal(d.fixes[0].edits[0].newText, 'web');
  assert.deepEqual(d.fixes[0].edits[0].range, d.range);
});

test('file-level diagnostics follow the severity settings too', () => {
  const ws = new Workspace(
    mergeConfig(defaultConfig(), { rules: { 'template-skipped': 'off', 'yaml-syntax': 'warning' } }),
  );
  ws.setFile('chart.yaml', 'metadata:\n  name: {{ .Values.name }}\n');
  ws.setFile('broken.yaml', 'a: [\n');
  ws.analyze();
  assert.deepEqual(ws.diagnostics('chart.yaml'), []);
  assert.deepEqual(
    ws.diagnostics('broken.yaml').map(d => [d.code, d.severity]),
    [['yaml-syntax', 'warning']],
  );
});
