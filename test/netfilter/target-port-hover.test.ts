// Issue 11 item 6: a hover on a Service's targetPort tells how that port resolves in each pod
// template the selector picks — not the whole Service story.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../server/src/engine/features';
import { hoverAt } from '../../server/src/engine/hover';
import { workspace } from './helpers';

const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: metrics
      port: 9100
      targetPort: 9100
`;
const pods = (name: string, ports: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: sidecar
          image: envoy
        - name: main
          image: nginx
${ports}`;
const files = {
  'svc.yaml': svc,
  'a.yaml': pods(
    'alpha',
    '          ports:\n            - name: http\n              containerPort: 8080\n            - containerPort: 9100\n',
  ),
  'b.yaml': pods(
    'beta',
    '          ports:\n            - name: http\n              containerPort: 53\n              protocol: UDP\n',
  ),
  'c.yaml': pods('gamma', ''),
};

const offsetOf = (text: string, needle: string) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return i + needle.length - 1;
};

test('issue 11.6: hovering a named targetPort shows its resolution in each selected pod template', () => {
  const ws = workspace(files, {});
  const h = hoverAt(ws, 'svc.yaml', offsetOf(svc, 'targetPort: http'));
  assert.ok(h);
  const md = h.markdown;
  assert.match(md, /^\*\*targetPort `http`\*\* of Service `shop\/web` port `http` 80\/TCP/);
  assert.match(md, /In the 3 pod templates the selector picks:/);
  assert.match(md, /- Deployment alpha: container `main` port `http` → containerPort `8080`\/TCP/);
  assert.match(
    md,
    /- Deployment beta: \*\*unresolved\*\* — `http` is UDP in container `main`, the Service port is TCP/,
  );
  assert.match(md, /- Deployment gamma: \*\*unresolved\*\* — no container declares a port named `http`/);
  // Not the whole Service: no kube-proxy story, no other port.
  assert.ok(!/kube-proxy|KUBE-SVC|DNS|9100/.test(md), md);
  // The hover covers the targetPort value.
  assert.equal(h.range?.start.line, 11);
});

test('hovering a numeric targetPort says which templates declare it', () => {
  const ws = workspace(files, {});
  const md = hoverAt(ws, 'svc.yaml', offsetOf(svc, 'targetPort: 9100'))!.markdown;
  assert.match(md, /A number: traffic goes to this port of every selected pod, declared or not/);
  assert.match(md, /- Deployment alpha: container `main` → containerPort `9100`\/TCP/);
  assert.match(md, /- Deployment beta: `9100`\/TCP is \*\*undeclared\*\*/);
});

test('a targetPort whose selector picks nothing, or a Service without selector, says so', () => {
  const none = svc.replace('app: web', 'app: nothing');
  const noneWs = workspace({ ...files, 'svc.yaml': none }, {});
  assert.match(
    hoverAt(noneWs, 'svc.yaml', offsetOf(none, 'targetPort: http'))!.markdown,
    /picks \*\*no\*\* pod template/,
  );
  const manual = svc.replace('  selector:\n    app: web\n', '');
  const manualWs = workspace({ ...files, 'svc.yaml': manual }, {});
  assert.match(hoverAt(manualWs, 'svc.yaml', offsetOf(manual, 'targetPort: http'))!.markdown, /has no selector/);
});

test('the port and name of a Service port still show the kube-proxy story', () => {
  const ws = workspace(files, {});
  const md = hoverAt(ws, 'svc.yaml', offsetOf(svc, 'port: 80'))!.markdown;
  assert.match(md, /kube-proxy/);
  assert.ok(!md.includes('targetPort `http`** of'));
});
