import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace, loadWorkspace, defaultConfig } from '../../server/src/engine';
import { tracePath } from '../../server/src/engine/path';
import { serviceProxy, proxySettings, findService } from '../../server/src/engine/netfilter';

/**
 * Workloads from custom resources and the controller conventions around them (issue 9 item 5).
 * The fixtures under test/fixtures/workloads follow the shapes the projects document (Argo
 * Rollouts, SMI, AWS Load Balancer Controller, Knative, OpenKruise); none of them is a mistake,
 * so none may produce an error or a warning.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/workloads');

function load(dir: string) {
  return loadWorkspace([path.join(FIXTURES, dir)], defaultConfig());
}

function diagnostics(ws: Workspace) {
  return ws.fileIds().flatMap(f => ws.diagnostics(f).map(d => ({ ...d, file: path.basename(f) })));
}

function loud(ws: Workspace): string[] {
  return diagnostics(ws)
    .filter(d => d.severity === 'error' || d.severity === 'warning')
    .map(d => `${d.file}:${d.range.start.line + 1} ${d.code} ${d.severity}: ${d.message}`);
}

function inline(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  for (const [name, text] of Object.entries(files)) ws.setFile(name, text);
  ws.analyze();
  return ws;
}

describe('controller conventions are not reported (fixtures from the projects documented shapes)', () => {
  for (const dir of fs.readdirSync(FIXTURES).sort()) {
    it(`${dir}: no error or warning`, () => {
      assert.deepEqual(loud(load(dir)), []);
    });
  }
});

describe('custom resources with a pod template are workloads', () => {
  it('a Rollout is selected by its Services and its ports are checked like a Deployment', () => {
    const ws = load('argo-canary');
    const file = ws.fileIds()[0];
    const rollout = ws.file(file)!.resources.find(r => r.kind === 'Rollout')!;
    const t = ws.cluster.facts.get(rollout.id)!.template!;
    // stableMetadata labels are on the steady-state pods, so the stable Service selecting
    // role: stable matches.
    assert.deepEqual({ ...t.labels }, { app: 'rollouts-demo', role: 'stable' });
    // A wrong named targetPort on a Service in front of the Rollout is still an error.
    const broken = ws.file(file)!.text.replace(/targetPort: http\n/, 'targetPort: htpp\n');
    ws.setFile(file, broken);
    ws.analyze();
    const found = ws.diagnostics(file).filter(d => d.code === 'service-target-port-unresolved');
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'error');
    assert.match(found[0].message, /Did you mean "http"\?/);
  });

  it('a CloneSet gets the workload rules (pod-port-conflict) under its own kind', () => {
    const text = fs
      .readFileSync(path.join(FIXTURES, 'cloneset/cloneset.yaml'), 'utf8')
      .replace(
        '              containerPort: 80\n',
        '              containerPort: 80\n        - name: sidecar\n          image: envoy\n          ports:\n            - containerPort: 80\n',
      );
    const ws = inline({ 'cloneset.yaml': text });
    const codes = ws.diagnostics('cloneset.yaml').map(d => `${d.code} ${d.severity}`);
    assert.deepEqual(codes, ['pod-port-conflict error']);
  });

  it('any custom resource with spec.template.metadata.labels and spec.template.spec.containers counts', () => {
    const ws = inline({
      'x.yaml': `apiVersion: example.com/v1
kind: WebApp
metadata: {name: shop}
spec:
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
        - name: web
          image: shop
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: example.com/v1
kind: NotAWorkload
metadata: {name: config}
spec:
  template: {data: {app: shop}}
---
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: shop}
  ports: [{port: 80, targetPort: http}]
`,
    });
    assert.deepEqual(ws.diagnostics('x.yaml'), []);
    const kinds = [...ws.cluster.allFacts()].filter(f => f.template).map(f => f.resource.kind);
    assert.deepEqual(kinds, ['WebApp']);
  });
});

describe('Argo Rollouts workloadRef', () => {
  const dir = path.join(FIXTURES, 'argo-workloadref');
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

  it("runs the Deployment's template; the Deployment scaled down by the Rollout has no pods", () => {
    const ws = load('argo-workloadref');
    const facts = [...ws.cluster.allFacts()];
    const rollout = facts.find(f => f.resource.kind === 'Rollout')!;
    const deployment = facts.find(f => f.resource.kind === 'Deployment')!;
    assert.equal(rollout.template?.source, deployment.resource, 'the template is read from the Deployment');
    assert.equal(rollout.template?.replicas, 5);
    assert.equal(deployment.template?.replicas, 0);
    assert.equal(deployment.template?.scaledDownBy, rollout.resource);
    // kube-proxy endpoints: five pods of the Rollout.
    const svc = findService(ws, 'default/rollout-ref-deployment')!;
    const proxy = serviceProxy(ws, svc, proxySettings(ws));
    const origins = proxy.ports[0].endpoints.map(e => `${e.origin.kind}/${e.origin.name}`);
    assert.deepEqual(new Set(origins), new Set(['Rollout/rollout-ref-deployment']));
    assert.equal(origins.length, 5);
  });

  it('follows edits of the Deployment incrementally (the borrowed template is refreshed)', () => {
    const ws = inline({
      'deployment.yaml': read('deployment.yaml'),
      'rollout.yaml': read('rollout.yaml'),
      'service.yaml': read('service.yaml'),
    });
    assert.deepEqual(ws.diagnostics('service.yaml'), []);
    // Renaming the port in the Deployment breaks the Service's named targetPort for the
    // Rollout's pods too: the finding appears on the Service without touching its file.
    ws.setFile('deployment.yaml', read('deployment.yaml').replace('name: web', 'name: http'));
    ws.analyze();
    const after = ws.diagnostics('service.yaml').map(d => `${d.code} ${d.severity}`);
    assert.deepEqual(after, ['service-target-port-unresolved error']);
    // Without the Deployment the Rollout has no template and the Service selects nothing.
    ws.removeFile('deployment.yaml');
    ws.analyze();
    assert.deepEqual(
      ws.diagnostics('service.yaml').map(d => d.code),
      ['service-selector-no-match'],
    );
    ws.setFile('deployment.yaml', read('deployment.yaml'));
    ws.analyze();
    assert.deepEqual(ws.diagnostics('service.yaml'), []);
  });

  it('the trace reaches the pods of the Rollout, not the scaled-down Deployment', () => {
    const ws = load('argo-workloadref');
    const model = tracePath(ws, { from: 'pod:default/rollout-ref-deployment', to: 'rollout-ref-deployment:80' });
    assert.equal(model.status, 'ok', JSON.stringify(model.hops.map(h => h.title)));
    const text = JSON.stringify(model);
    assert.match(text, /Rollout rollout-ref-deployment/);
  });
});

describe('Knative Services', () => {
  it('are workloads with the one port Knative routes to (declared, or 8080), not Kubernetes Services', () => {
    const ws = load('knative');
    const facts = [...ws.cluster.allFacts()];
    const hello = facts.find(f => f.resource.name === 'hello' && f.resource.kind === 'Service' && f.template)!;
    assert.equal(hello.service, undefined, 'a Knative Service is not a Kubernetes Service');
    assert.deepEqual(
      hello.template!.containers[0].ports.map(p => [p.name, p.containerPort]),
      [['user-port', 8080]],
    );
    assert.equal(hello.template!.labels['serving.knative.dev/service'], 'hello');
    const ping = facts.find(f => f.resource.name === 'grpc-ping')!;
    assert.deepEqual(
      ping.template!.containers[0].ports.map(p => [p.name, p.containerPort]),
      [['user-port', 9000]],
    );
    assert.equal(ping.template!.labels.tier, 'backend');
  });

  it('a workload calling a Knative Service by its DNS name finds it (Knative creates that Service)', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'knative/service.yaml'), 'utf8');
    const caller = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: apps}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec:
      containers:
        - name: client
          image: client
          env:
            - {name: HELLO_URL, value: "http://hello.apps.svc.cluster.local"}
            - {name: OTHER_URL, value: "http://goodbye.apps.svc.cluster.local"}
`;
    const w = loadWorkspace([], defaultConfig());
    w.setFile('k.yaml', text + caller);
    w.analyze();
    const calls = w.diagnostics('k.yaml').filter(d => d.code === 'call-service-missing');
    assert.deepEqual(
      calls.map(d => /"goodbye"/.test(d.message)),
      [true],
    );
  });

  it('an Ingress naming a Service Knative does not create is still reported', () => {
    const text = fs
      .readFileSync(path.join(FIXTURES, 'knative/service.yaml'), 'utf8')
      .replace('name: hello-00001', 'name: helo');
    const ws = inline({ 'k.yaml': text });
    assert.deepEqual(
      ws.diagnostics('k.yaml').map(d => `${d.code} ${d.severity}`),
      ['ingress-backend-service-missing error'],
    );
  });
});

describe('AWS Load Balancer Controller actions', () => {
  it('a use-annotation backend without its annotation is a warning; the trace stops at the action', () => {
    const ws = load('alb-use-annotation');
    const model = tracePath(ws, { from: 'ingress:shop.example.com/' });
    assert.equal(model.status, 'ok');
    assert.match(model.hops.at(-1)!.title, /ALB action response-503/);
    const file = ws.fileIds()[0];
    const broken = ws.file(file)!.text.replace('alb.ingress.kubernetes.io/actions.ssl-redirect:', 'x-ssl-redirect:');
    ws.setFile(file, broken);
    ws.analyze();
    const found = ws.diagnostics(file).map(d => `${d.code} ${d.severity}`);
    assert.deepEqual(found, ['ingress-backend-service-missing warning']);
  });
});

describe('SMI apex Services', () => {
  it('an ordinary Service selecting nothing is still a warning', () => {
    const text = fs
      .readFileSync(path.join(FIXTURES, 'smi-apex/split.yaml'), 'utf8')
      .replace('  service: website\n', '  service: other\n');
    const ws = inline({ 'split.yaml': text });
    assert.deepEqual(
      ws.diagnostics('split.yaml').map(d => `${d.code} ${d.severity}`),
      ['service-selector-no-match warning'],
    );
  });
});
