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
