// Issue 11 "Wording": each phrase the issue quotes, and the near-miss that spread a typo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../server/src/engine/features';
import { Workspace } from '../../server/src/engine';
import { proxySettings } from '../../server/src/engine/netfilter';
import { renderText, tracePath } from '../../server/src/engine/path';

function analysed(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  for (const [id, text] of Object.entries(files)) ws.setFile(id, text);
  ws.analyze();
  return ws;
}

const service = (selector: string) => `apiVersion: v1
kind: Service
metadata:
  name: frontend
  namespace: shop
spec:
  selector:
    app: ${selector}
  ports:
    - port: 80
      targetPort: 8080
`;
const deployment = (selector: string, label: string, containers = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  namespace: shop
spec:
  selector:
    matchLabels:
      app: ${selector}
  template:
    metadata:
      labels:
        app: ${label}
    spec:
      containers:
${Array.from({ length: containers }, (_, i) => `        - name: c${i}\n          image: nginx\n          ports:\n            - containerPort: ${8080 + i}\n`).join('')}`;

test('an assumed pod network says "(assumed)" once', () => {
  const ws = analysed({ 'svc.yaml': service('frontend'), 'dep.yaml': deployment('frontend', 'frontend') });
  const source = proxySettings(ws).clusterCIDR.source;
  assert.equal(source, 'address plan: pod network (assumed)');
});

test('the pod hop counts its containers in words: one container, or all N containers', () => {
  for (const [containers, phrase] of [
    [1, "used by the pod's one container"],
    [2, 'shared by all 2 containers of the pod'],
  ] as const) {
    const ws = analysed({
      'svc.yaml': service('frontend'),
      'dep.yaml': deployment('frontend', 'frontend', containers),
    });
    const text = renderText(tracePath(ws, { from: 'pod:shop/frontend', to: 'frontend.shop:80' }));
    assert.ok(text.includes(phrase), text);
    assert.ok(!text.includes('container(s)'), text);
  }
});

/** Service and Deployment selectors agree on `frontend`; someone just typed `frontendx` into the template. */
const brokenTemplate = { 'svc.yaml': service('frontend'), 'dep.yaml': deployment('frontend', 'frontendx') };

test('issue 11: after a template label typo, the near-miss points back to the value the selectors use', () => {
  const ws = analysed(brokenTemplate);
  const svc = ws.diagnostics('svc.yaml').find(d => d.code === 'service-selector-no-match');
  assert.ok(svc);
  assert.ok(!svc.message.includes('Did you mean "frontendx"'), svc.message);
  assert.match(svc.message, /the pod template of Deployment shop\/frontend has app: frontendx/);
  assert.match(svc.message, /Did you mean "frontend" in the pod template\?/);
  // The preferred fix edits the template label, in the Deployment's file, back to the selectors' value.
  const [fix, other] = svc.fixes;
  assert.equal(fix.preferred, true);
  assert.deepEqual(
    fix.edits.map(e => [e.fileId, e.range.start.line, e.newText]),
    [['dep.yaml', 12, 'frontend']],
  );
  assert.equal(other.preferred, false, 'copying the typo into the Service is still possible, not preferred');

  const dep = ws.diagnostics('dep.yaml').find(d => d.code === 'workload-selector-mismatch');
  assert.ok(dep);
  assert.match(dep.message, /Change the template label back to frontend\./);
  assert.deepEqual(
    dep.fixes.filter(f => f.preferred).flatMap(f => f.edits.map(e => [e.fileId, e.range.start.line, e.newText])),
    [['dep.yaml', 12, 'frontend']],
  );
});

test('a typo in the Service selector is still fixed in the Service', () => {
  const ws = analysed({ 'svc.yaml': service('frontedn'), 'dep.yaml': deployment('frontend', 'frontend') });
  const svc = ws.diagnostics('svc.yaml').find(d => d.code === 'service-selector-no-match');
  assert.ok(svc);
  assert.match(svc.message, /Deployment shop\/frontend has app: frontend\. Did you mean "frontend"\?$/);
  assert.deepEqual(
    svc.fixes.map(f => f.edits.map(e => [e.fileId, e.newText])),
    [[['svc.yaml', 'frontend']]],
  );
});

test('a typo in a workload selector is fixed in the selector', () => {
  const ws = analysed({ 'svc.yaml': service('frontend'), 'dep.yaml': deployment('frontendx', 'frontend') });
  const dep = ws.diagnostics('dep.yaml').find(d => d.code === 'workload-selector-mismatch');
  assert.ok(dep);
  assert.match(dep.message, /has app: frontend\. Make them equal\./);
  assert.deepEqual(
    dep.fixes.map(f => f.edits.map(e => [e.range.start.line, e.newText])),
    [[[8, 'frontend']]],
  );
});
