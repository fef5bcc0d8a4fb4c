import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace, defaultAnalyzers, defaultConfig } from '../../server/src/engine';

/**
 * The call analyzer keeps per-workload results across edits. After every edit below, the
 * diagnostics of the edited workspace must equal those of a workspace built from scratch on
 * the same texts.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/calls');

function build(files: Map<string, string>): Workspace {
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  for (const [f, t] of files) ws.setFile(f, t);
  ws.analyze();
  return ws;
}

function callDiagnostics(ws: Workspace): string[] {
  return ws
    .fileIds()
    .flatMap(f => ws.diagnostics(f).filter(d => d.code.startsWith('call-')))
    .map(d => `${path.basename(d.fileId)}:${d.range.start.line + 1}:${d.range.start.character} ${d.code} ${d.message}`)
    .sort();
}

test('call findings after edits equal a fresh analysis', () => {
  const files = new Map<string, string>();
  for (const rule of ['call-service-missing', 'call-port-missing', 'call-denied-by-policy'])
    for (const f of fs.readdirSync(path.join(FIXTURES, rule, 'trigger')).filter(x => x.endsWith('.yaml')))
      files.set(`/ws/${rule}/${f}`, fs.readFileSync(path.join(FIXTURES, rule, 'trigger', f), 'utf8'));
  const ws = build(files);
  const edits: [string, (t: string) => string][] = [
    // a Service gains the port the caller uses
    [
      '/ws/call-port-missing/shop.yaml',
      t => t.replace('port: 7070\n      targetPort: 8080', 'port: 8080\n      targetPort: 8080'),
    ],
    // the misspelt Service appears
    [
      '/ws/call-service-missing/shop.yaml',
      t =>
        t +
        '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: mail\n  namespace: shop\nspec:\n  selector: {app: mail}\n  ports: [{port: 25}]\n',
    ],
    // the ConfigMap loaded by envFrom changes its host
    ['/ws/call-service-missing/shop.yaml', t => t.replace('REDIS_HOST: redis-main', 'REDIS_HOST: cart')],
    // the policy admits the frontend
    [
      '/ws/call-denied-by-policy/shop.yaml',
      t => t.replace('              app: checkout\n      ports:', '              tier: web\n      ports:'),
    ],
    // the frontend loses the label the policy admits
    ['/ws/call-denied-by-policy/shop.yaml', t => t.replace('        tier: web\n', '')],
    // a namespace disappears
    [
      '/ws/call-denied-by-policy/shop.yaml',
      t => t.replace('kind: Namespace\nmetadata:\n  name: cache\n', 'kind: ConfigMap\nmetadata:\n  name: cache\n'),
    ],
  ];
  for (const [f, edit] of edits) {
    const next = edit(files.get(f)!);
    assert.notEqual(next, files.get(f), `edit applies to ${f}`);
    files.set(f, next);
    ws.setFile(f, next);
    ws.analyze();
    assert.deepEqual(callDiagnostics(ws), callDiagnostics(build(files)));
  }
  ws.removeFile('/ws/call-port-missing/shop.yaml');
  files.delete('/ws/call-port-missing/shop.yaml');
  ws.analyze();
  assert.deepEqual(callDiagnostics(ws), callDiagnostics(build(files)));
});

test('policy and label edits in one namespace update the verdicts on calls into and out of it exactly', () => {
  const ns = (name: string, team: string) =>
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: {team: ${team}}\n---\n` +
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: ${name}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n`;
  const app = (name: string, namespace: string, url: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n      - name: main\n        image: x\n        ports: [{name: http, containerPort: 8080}]\n        env:\n        - {name: PEER_URL, value: "${url}"}\n---\n` +
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: http}]\n`;
  const admit = (namespace: string, from: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: admit\n  namespace: ${namespace}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: ${from}}}\n      podSelector: {matchLabels: {app: caller}}\n    ports: [{port: 8080}]\n`;
  const files = new Map<string, string>([
    ['/ws/a.yaml', `${ns('a', 'red')}---\n${app('caller', 'a', 'http://api.b')}`],
    ['/ws/b.yaml', `${ns('b', 'blue')}---\n${app('api', 'b', 'http://store.c')}`],
    ['/ws/c.yaml', `${ns('c', 'green')}---\n${app('store', 'c', 'http://caller.a')}`],
    ['/ws/admit-b.yaml', admit('b', 'green')],
  ]);
  const ws = build(files);
  const denied = () => callDiagnostics(ws).filter(d => d.includes('call-denied-by-policy')).length;
  assert.equal(denied(), 3, callDiagnostics(ws).join('\n'));
  const edits: [string, (t: string) => string][] = [
    // b's policy admits team red: the call a → b is allowed (the call's destination namespace)
    ['/ws/admit-b.yaml', t => t.replace('team: green', 'team: red')],
    // a's Namespace changes its team: the same call is denied again (the call's source namespace)
    ['/ws/a.yaml', t => t.replace('team: red', 'team: orange')],
    // the caller loses the label b's policy admits, then a's team matches again
    [
      '/ws/a.yaml',
      t => t.replace('team: orange', 'team: red').replace(/app: caller\}\n(\s+)spec/, 'app: other}\n$1spec'),
    ],
    // c's policies go: calls into c are allowed, the others keep their verdicts
    ['/ws/c.yaml', t => t.slice(0, t.indexOf('apiVersion: networking')) + t.slice(t.indexOf('apiVersion: apps'))],
  ];
  for (const [f, edit] of edits) {
    const next = edit(files.get(f)!);
    assert.notEqual(next, files.get(f), `edit applies to ${f}`);
    files.set(f, next);
    ws.setFile(f, next);
    ws.analyze();
    assert.deepEqual(callDiagnostics(ws), callDiagnostics(build(files)));
  }
});

test('label edits that move workloads in and out of Services update the verdicts exactly, namespace by namespace', () => {
  const ns = (name: string) =>
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n---\n` +
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: ${name}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  policyTypes: [Ingress]\n`;
  const deploy = (name: string, namespace: string, app: string, url: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector:\n    matchLabels: {app: ${app}}\n  template:\n    metadata:\n      labels: {app: ${app}, tier: web}\n    spec:\n      containers:\n      - name: main\n        image: x\n        ports: [{name: http, containerPort: 8080}]\n        env:\n        - {name: PEER_URL, value: "${url}"}\n`;
  const svc = (name: string, namespace: string) =>
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector: {app: ${name}, tier: web}\n  ports: [{port: 80, targetPort: http}]\n`;
  const files = new Map<string, string>([
    ['/ws/ns.yaml', `${ns('a')}---\n${ns('b')}`],
    ['/ws/svc.yaml', `${svc('api', 'a')}---\n${svc('api', 'b')}---\n${svc('web', 'a')}`],
    ['/ws/a-caller.yaml', deploy('caller', 'a', 'web', 'http://api.b')],
    ['/ws/a-api.yaml', deploy('api', 'a', 'api', 'http://api.b')],
    ['/ws/b-api.yaml', deploy('api', 'b', 'api', 'http://api.a')],
    ['/ws/b-web.yaml', deploy('web', 'b', 'web', 'http://web.a')],
  ]);
  const ws = build(files);
  const steps: [string, string | undefined][] = [
    // b's api leaves its Service (calls into it lose their targets), then comes back
    ['/ws/b-api.yaml', deploy('api', 'b', 'api-canary', 'http://api.a')],
    ['/ws/b-api.yaml', deploy('api', 'b', 'api', 'http://api.a')],
    // a second workload joins b's api Service: the policy selects it too
    ['/ws/b-web.yaml', deploy('web', 'b', 'api', 'http://web.a')],
    // a's web Service loses its only workload, another one appears in a new file
    ['/ws/a-caller.yaml', deploy('caller', 'a', 'caller', 'http://api.b')],
    ['/ws/a-web2.yaml', deploy('web2', 'a', 'web', 'http://api.b')],
    // a workload goes away; the namespace object of b goes and comes back
    ['/ws/a-api.yaml', undefined],
    ['/ws/ns.yaml', ns('a')],
    ['/ws/ns.yaml', `${ns('a')}---\n${ns('b')}`],
  ];
  const seen = new Set<string>();
  for (const [f, next] of steps) {
    if (next === undefined) {
      files.delete(f);
      ws.removeFile(f);
    } else {
      files.set(f, next);
      ws.setFile(f, next);
    }
    ws.analyze();
    const now = callDiagnostics(ws);
    assert.deepEqual(now, callDiagnostics(build(files)), `after ${f}`);
    seen.add(now.join('\n'));
  }
  // The edits did change the verdicts (the comparison above is not between empty lists).
  assert.ok(seen.size >= 3, [...seen].join('\n\n'));
});

test("a custom resource that comes or goes changes whether a missing Service is an operator's, exactly", () => {
  // Found by the fuzzer on gke-samples' RayService: the call stayed "created at run time by an
  // operator" after the RayService's file stopped parsing.
  const caller = `apiVersion: apps/v1
kind: Deployment
metadata: {name: gradio, namespace: default}
spec:
  selector: {matchLabels: {app: gradio}}
  template:
    metadata: {labels: {app: gradio}}
    spec:
      containers:
        - name: ui
          image: gradio
          env:
            - {name: HOST, value: "http://llama-serve-svc:8000"}
`;
  const ray = `apiVersion: ray.io/v1
kind: RayService
metadata: {name: llama}
spec: {serveConfigV2: ""}
`;
  const files = new Map([
    ['/ws/gradio.yaml', caller],
    ['/ws/ray.yaml', ray],
  ]);
  const ws = build(files);
  const steps: [string, string][] = [
    ['/ws/ray.yaml', `${ray}  broken: [\n`],
    ['/ws/ray.yaml', ray],
    ['/ws/ray.yaml', ray.replace('name: llama', 'name: other')],
    ['/ws/ray.yaml', ray],
  ];
  const severities: string[] = [];
  for (const [file, text] of steps) {
    files.set(file, text);
    ws.setFile(file, text);
    ws.analyze();
    assert.deepEqual(
      callDiagnostics(ws),
      callDiagnostics(build(files)),
      `after ${file} became ${JSON.stringify(text)}`,
    );
    severities.push(ws.diagnostics('/ws/gradio.yaml').find(d => d.code === 'call-service-missing')!.severity);
  }
  assert.deepEqual(severities, ['warning', 'information', 'warning', 'information']);
});
