import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Workspace, loadWorkspace, defaultConfig } from '../../server/src/engine';
import '../../server/src/engine/features';
import { hoverAt } from '../../server/src/engine/hover';
import { hostnameMatches, hostnamesIntersect } from '../../server/src/engine/model/gateway';
import { pathMatches } from '../../server/src/engine/gateway/httpMatch';

/** Gateway API semantics behind the route-* rules, their hovers and incremental updates. */
const FIXTURE = path.resolve(__dirname, '../fixtures/path/gateway');

function ws(files: Record<string, string>): Workspace {
  const w = new Workspace();
  for (const [name, text] of Object.entries(files)) w.setFile(name, text);
  w.analyze();
  return w;
}

function codes(w: Workspace, file: string): string[] {
  return w.diagnostics(file).map(d => `${d.code} ${d.severity}`);
}

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: infra}
spec:
  gatewayClassName: example
  listeners:
    - name: http
      port: 80
      protocol: HTTP
      allowedRoutes:
        namespaces:
          from: Selector
          selector: {matchLabels: {team: shop}}
`;

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: store, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: infra}]
  rules:
    - backendRefs: [{name: pay, namespace: billing, port: 80}]
`;

const PAY = `apiVersion: v1
kind: Service
metadata: {name: pay, namespace: billing}
spec:
  ports: [{port: 80}]
`;

describe('Gateway API hostnames and paths', () => {
  it('wildcards are suffix matches over one or more labels, never the bare domain', () => {
    assert.ok(hostnameMatches('*.example.com', 'a.example.com'));
    assert.ok(hostnameMatches('*.example.com', 'a.b.example.com'));
    assert.ok(!hostnameMatches('*.example.com', 'example.com'));
    assert.ok(hostnameMatches('Shop.Example.com', 'shop.example.com'));
    assert.ok(hostnamesIntersect('*.example.com', '*.shop.example.com'));
    assert.ok(!hostnamesIntersect('*.example.com', 'example.org'));
  });

  it('PathPrefix is element-wise, Exact is exact, RegularExpression is a full match', () => {
    assert.ok(pathMatches('PathPrefix', '/foo', '/foo/bar'));
    assert.ok(pathMatches('PathPrefix', '/foo/', '/foo'));
    assert.ok(!pathMatches('PathPrefix', '/foo', '/foobar'));
    assert.ok(pathMatches('Exact', '/foo', '/foo') && !pathMatches('Exact', '/foo', '/foo/'));
    assert.ok(pathMatches('RegularExpression', '/api/v[0-9]+', '/api/v2'));
    assert.ok(!pathMatches('RegularExpression', '/api/v[0-9]+', '/api/v2/x'));
    assert.ok(!pathMatches('RegularExpression', '(', '/'));
  });
});

describe('route rules follow the objects they depend on', () => {
  it('a Selector listener: uncertain without the Namespace object, decided with it, incrementally', () => {
    const w = ws({ 'gw.yaml': GATEWAY, 'route.yaml': ROUTE, 'pay.yaml': PAY });
    // Without a Namespace object only kubernetes.io/metadata.name is known: a warning.
    const first = w.diagnostics('route.yaml').filter(d => d.code === 'route-parent-not-allowed');
    assert.deepEqual(
      first.map(d => d.severity),
      ['warning'],
    );
    assert.match(first[0].message, /namespace shop is not in the workspace to compare/);
    // A Namespace with other labels: definitely refused.
    w.setFile('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: other}}\n');
    w.analyze();
    assert.ok(codes(w, 'route.yaml').includes('route-parent-not-allowed error'));
    // The right label: accepted.
    w.setFile('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n');
    w.analyze();
    assert.ok(!codes(w, 'route.yaml').some(c => c.startsWith('route-parent-not-allowed')));
  });

  it('a ReferenceGrant added in the target namespace permits the cross-namespace backendRef', () => {
    const w = ws({ 'route.yaml': ROUTE, 'pay.yaml': PAY });
    assert.ok(codes(w, 'route.yaml').includes('route-backend-not-permitted error'));
    w.setFile(
      'grant.yaml',
      `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: shop, namespace: billing}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
  to: [{group: "", kind: Service, name: pay}]
`,
    );
    w.analyze();
    assert.ok(!codes(w, 'route.yaml').includes('route-backend-not-permitted error'));
  });

  it('a Gateway missing from a namespace without Gateways is information; adding others makes it a warning', () => {
    const w = ws({ 'route.yaml': ROUTE, 'pay.yaml': PAY });
    assert.ok(codes(w, 'route.yaml').includes('route-parent-missing information'));
    w.setFile('gw.yaml', GATEWAY.replace('name: public', 'name: private'));
    w.analyze();
    assert.ok(codes(w, 'route.yaml').includes('route-parent-missing warning'));
    w.setFile('gw.yaml', GATEWAY.replace('from: Selector', 'from: All'));
    w.analyze();
    assert.ok(!codes(w, 'route.yaml').some(c => c.startsWith('route-parent')));
  });

  it('a cross-namespace Service in a namespace the workspace knows nothing of is a warning', () => {
    const w = ws({ 'route.yaml': ROUTE });
    assert.ok(codes(w, 'route.yaml').includes('route-backend-service-missing warning'));
  });

  it('the targetPort mix-up quick fix writes the Service port', () => {
    const w = ws({
      'route.yaml': ROUTE.replace('namespace: billing, port: 80', 'namespace: billing, port: 8080'),
      'pay.yaml': PAY.replace('ports: [{port: 80}]', 'ports: [{port: 80, targetPort: 8080}]'),
    });
    const d = w.diagnostics('route.yaml').find(x => x.code === 'route-backend-port-missing')!;
    assert.match(d.message, /port 8080 is the targetPort behind Service port 80/);
    assert.deepEqual(
      d.fixes.map(f => [f.title, f.edits[0].newText]),
      [['Use Service port 80', '80']],
    );
  });
});

describe('Gateway API hovers', () => {
  const w = loadWorkspace([FIXTURE], defaultConfig());
  const file = w.fileIds().find(f => f.endsWith('routes.yaml'))!;
  const text = w.file(file)!.text;

  it('on a backendRef: the Service port, its targetPort, the pods and the weight share', () => {
    const h = hoverAt(w, file, text.indexOf('name: cart\n') + 7)!;
    assert.match(
      h.markdown,
      /\*\*backendRef\*\* `shop\/cart` port `80` — weight 90 of 100: 90% of the rule's requests/,
    );
    assert.match(h.markdown, /Service shop\/cart.*port `80` `http`\/TCP → targetPort `http`/);
    assert.match(h.markdown, /Deployment cart.*2 replicas: container port `8080`/);
    const denied = hoverAt(w, file, text.indexOf('name: payments') + 7)!;
    assert.match(denied.markdown, /no ReferenceGrant there allows HTTPRoutes from `shop`/);
  });

  it('on a parentRef: the Gateway and which listeners accept the Route, with reasons', () => {
    const h = hoverAt(w, file, text.indexOf('name: public') + 7)!;
    assert.match(h.markdown, /Gateway infra\/public.*\*\*attached\*\*/);
    assert.match(h.markdown, /`http` HTTP 80 `\*\.example\.com` — accepts this HTTPRoute/);
    assert.match(
      h.markdown,
      /`admin` HTTP 80 `admin\.example\.com` — refuses it: listener admin admits Routes from its own namespace infra only/,
    );
    const edge = hoverAt(w, file, text.indexOf('name: edge\n      namespace') + 7)!;
    assert.match(edge.markdown, /Gateway `platform\/edge` is not in the workspace/);
  });
});
