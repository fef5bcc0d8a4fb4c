import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Workspace, defaultAnalyzers, defaultConfig, loadWorkspace } from '../../server/src/engine';
import { connectivityOf, Connections } from '../../server/src/engine/connectivity';
import { generatePolicies, policiesYaml } from '../../server/src/engine/calls/generate';
import { sharedSuite } from '../support/shared';

/**
 * The generated policies, applied with the manifests (policies of the manifests left out, as
 * the generator replaces them), must let every discovered call through and nothing else between
 * workloads: checked with the connectivity engine itself, pair by pair, port by port.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/calls');
const { dir: GOOD, skip } = sharedSuite('corpus/good');

const POLICY_KINDS = new Set(['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

/** The workspace's files with policy documents dropped, plus the generated file. */
function withGenerated(ws: Workspace, yaml: string): Workspace {
  const out = new Workspace(defaultConfig(), defaultAnalyzers());
  for (const f of ws.fileIds()) {
    const file = ws.file(f)!;
    if (file.kind !== 'yaml') continue;
    const docs = parseAllDocuments(file.text);
    const kept = (Array.isArray(docs) ? docs : [])
      .filter(d => !POLICY_KINDS.has(String((d.toJS() as { kind?: unknown } | null)?.kind)))
      .map(d => d.toString());
    out.setFile(f, kept.join('---\n'));
  }
  out.setFile('/generated/policies.yaml', yaml);
  out.analyze();
  return out;
}

function check(ws: Workspace): { edges: number; pairs: number } {
  const g = generatePolicies(ws);
  const yaml = policiesYaml(g);
  for (const d of parseAllDocuments(yaml)) assert.deepEqual(d.errors, []);
  const applied = withGenerated(ws, yaml);
  const model = connectivityOf(applied);
  const want = new Map<string, Connections>();
  for (const e of g.edges) {
    const k = `${e.src.id} => ${e.dst.id}`;
    want.set(k, (want.get(k) ?? Connections.NONE).union(Connections.of(e.protocol, e.port)));
  }
  const got = new Map<string, string>();
  for (const c of model.connections())
    if (c.src.kind === 'workload' && c.dst.kind === 'workload')
      got.set(`${c.srcName} => ${c.dstName}`, c.connections.toString());
  assert.deepEqual(
    [...got].sort(),
    [...want].map(([k, v]) => [k, v.toString()]).sort(),
    'allowed workload-to-workload connections equal the discovered calls',
  );
  // DNS egress to the cluster DNS stays open for every generated namespace.
  const dns = model.allowed(
    { kind: 'workload', workload: model.workloads[0] },
    {
      kind: 'pod',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
      ports: [{ name: 'dns', protocol: 'UDP', port: 53 }],
    },
  );
  assert.ok(dns.has('UDP', 53) && dns.has('TCP', 53), `DNS egress: ${dns.toString()}`);
  return { edges: g.edges.length, pairs: got.size };
}

describe('generated NetworkPolicies allow exactly the discovered calls', () => {
  it('on the call-denied-by-policy fixture (cross-namespace calls, named target ports)', () => {
    const ws = loadWorkspace([path.join(FIXTURES, 'call-denied-by-policy', 'trigger')], defaultConfig());
    const r = check(ws);
    assert.equal(r.edges, 4);
  });

  it('on gcp-microservices-demo and opentelemetry-demo', { skip }, () => {
    for (const set of ['gcp-microservices-demo', 'opentelemetry-demo']) {
      const ws = loadWorkspace([path.join(GOOD, set)], defaultConfig());
      ws.analyze();
      const r = check(ws);
      assert.ok(r.edges > 10, `${set}: ${r.edges} edges`);
    }
  });
});
