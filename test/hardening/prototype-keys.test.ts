import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, defaultAnalyzers, parseConfigText } from '../../server/src/engine';
import { hoverAt } from '../../server/src/engine/hover';
import { codeLensesFor } from '../../server/src/engine/codelens';
import '../../server/src/engine/features';

/**
 * Issue 10 item 6: label keys are user data, and `toString`, `constructor` or `__proto__` as a
 * key must behave like any other key. On a plain object, looking up a label that a template
 * lacks found Object.prototype's function instead of undefined (a rule threw and its real
 * finding was lost), and assigning `__proto__` silently dropped the label.
 */
const KEYS = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

function analyse(text: string) {
  const ws = new Workspace(undefined, defaultAnalyzers());
  ws.setFile('a.yaml', text);
  ws.analyze();
  const diags = ws.diagnostics('a.yaml');
  // No rule may fail on the object ("could not evaluate rule …").
  for (const d of diags) assert.doesNotMatch(d.message, /could not evaluate/, d.message);
  for (let o = 0; o < text.length; o += 3) hoverAt(ws, 'a.yaml', o);
  codeLensesFor(ws, 'a.yaml');
  return diags;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex(l => l.includes(needle));

for (const key of KEYS) {
  test(`label key "${key}": selectors, near misses and policies see it as a plain key`, () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {${key}: a}
  annotations: {${key}: b}
spec:
  selector:
    matchLabels: {app: web, ${key}: x}
    matchExpressions: [{key: ${key}, operator: In, values: [x]}]
  template:
    metadata:
      labels: {app: web, ${key}: x}
      annotations: {${key}: c}
    spec:
      containers: [{name: c, image: x, ports: [{containerPort: 8080, name: http}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: plain
spec:
  selector:
    matchLabels: {app: plain}
  template:
    metadata:
      labels: {app: plain}
    spec:
      containers: [{name: c, image: x}]
---
apiVersion: v1
kind: Service
metadata:
  name: typo
spec:
  selector: {app: webb, ${key}: x}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: lacks-key
spec:
  selector: {app: plain, ${key}: x}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: good
spec:
  selector: {app: web, ${key}: x}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np}
spec:
  podSelector: {matchLabels: {${key}: zz}}
`;
    const diags = analyse(text);
    const at = (code: string, needle: string) =>
      diags.filter(d => d.code === code && d.range.start.line >= lineOf(text, needle));
    // The workload's own selector matches its template, by label and by expression.
    assert.ok(!diags.some(d => d.code === 'workload-selector-mismatch'), JSON.stringify(diags.map(d => d.message)));
    // A selector typo next to the odd key: found, with the near miss as a quick fix.
    const typo = at('service-selector-no-match', 'name: typo');
    assert.ok(typo.length >= 1, JSON.stringify(diags.map(d => d.message)));
    assert.match(typo[0].message, /Did you mean "web"\?/);
    assert.ok(typo[0].fixes.length > 0);
    // A template without the key is not selected (an inherited function is not a label value).
    assert.ok(
      diags.some(d => d.code === 'service-selector-no-match' && /plain/.test(d.message)),
      JSON.stringify(diags.map(d => d.message)),
    );
    // The Service whose selector matches (through the odd key) has no selector finding.
    assert.ok(!at('service-selector-no-match', 'name: good').some(d => d.range.start.line < lineOf(text, 'name: np')));
    // The policy selects on a label no pod has.
    assert.ok(
      diags.some(d => d.code === 'networkpolicy-selects-nothing'),
      JSON.stringify(diags.map(d => d.code)),
    );
  });

  test(`nodeSelector key "${key}": pods that can share a node still clash on a hostPort`, () => {
    const pod = (name: string, sel: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  ${sel}
  containers: [{name: c, image: x, ports: [{containerPort: 80, hostPort: 8080}]}]
`;
    const diags = analyse(`${pod('a', `nodeSelector: {${key}: a}`)}---\n${pod('b', 'hostNetwork: false')}`);
    assert.ok(
      diags.some(d => d.code === 'host-port-conflict'),
      JSON.stringify(diags.map(d => d.code)),
    );
  });

  test(`kind, CNI plugin type and Multus key "${key}" are data, not lookups into a table`, () => {
    const text = `apiVersion: v1
kind: ${key}
metadata: {name: odd}
spec:
  template: {metadata: {labels: {app: odd}}, spec: {containers: [{name: c, image: x}]}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-flannel-cfg
  namespace: kube-flannel
data:
  net-conf.json: |
    {"Network": "10.244.0.0/16", "Backend": {"Type": "${key}"}}
  cni-conf.json: |
    {"name": "cbr0", "cniVersion": "0.3.1", "plugins": [{"type": "flannel"}, {"type": "${key}", "mode": "x"}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: multus
  annotations:
    k8s.v1.cni.cncf.io/networks: '[{"name": "net1", "${key}": "x"}]'
spec:
  containers: [{name: c, image: x}]
`;
    analyse(text);
  });

  test(`configuration key "${key}" in rules: and at the top level changes nothing else`, () => {
    const { config, problems } = parseConfigText(
      `rules:\n  ${key}: off\n  service-selector-no-match: error\n${key}:\n  proxy:\n    mode: ipvs\n`,
    );
    assert.equal(config.rules['service-selector-no-match'], 'error');
    assert.equal((config.extra as Record<string, unknown>).proxy, undefined);
    assert.ok(problems.every(p => !/service-selector-no-match/.test(p.message)));
  });
}
