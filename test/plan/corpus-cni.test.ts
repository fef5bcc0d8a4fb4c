import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace, defaultConfig, defaultAnalyzers, loadWorkspace } from '../../server/src/engine';
import { getAddressPlan } from '../../server/src/engine/plan';
import { CNI_CORPUS, textOf } from './support';
import { sharedSuite } from '../support/shared';

interface Expected {
  file: string;
  line: number;
  rule: string;
  severity: string;
  justification: string;
}
const expectations = JSON.parse(fs.readFileSync(path.join(__dirname, 'corpus-cni-expectations.json'), 'utf8')) as {
  findings: Expected[];
  nonFindings: { file: string; rule: string; justification: string }[];
};

function corpusFiles(): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(CNI_CORPUS).sort()) {
    const dir = path.join(CNI_CORPUS, d);
    if (fs.statSync(dir).isDirectory()) for (const f of fs.readdirSync(dir).sort()) out.push(`${d}/${f}`);
  }
  return out;
}

/** One corpus file alone in a workspace. */
function single(rel: string): Workspace {
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  ws.setFile(path.join(CNI_CORPUS, rel), fs.readFileSync(path.join(CNI_CORPUS, rel), 'utf8'));
  ws.analyze();
  return ws;
}

/** Declared/default ranges a file contributes, as `role network origin`, sorted (docker0's sourceless default left out). */
function rangesOf(rel: string): string[] {
  return getAddressPlan(single(rel))
    .entries.filter(e => e.source)
    .map(e => `${e.role} ${e.cidr.network} ${e.origin}`)
    .sort();
}

describe('CNI corpus (../shared/corpus/cni)', { skip: sharedSuite('corpus/cni').skip }, () => {
  let ws: Workspace;
  before(() => {
    ws = loadWorkspace([CNI_CORPUS], defaultConfig());
  });

  it('reads every file, alone and as one workspace, without an internal error', () => {
    const files = corpusFiles().filter(f => /\.(ya?ml|json|conf|conflist)$/.test(f));
    assert.ok(files.length >= 28, `found ${files.length} corpus files`);
    for (const f of files) {
      for (const d of single(f).diagnostics(path.join(CNI_CORPUS, f)))
        assert.doesNotMatch(d.message, /could not (read|evaluate)|internal/, `${f}: ${d.message}`);
    }
    const all = ws.fileIds().flatMap(f => ws.diagnostics(f));
    assert.ok(!all.some(d => /could not (read|evaluate)/.test(d.message)));
    assert.ok(!all.some(d => d.code === 'yaml-syntax'), 'no syntax errors: the corpus is valid YAML/JSON');
  });

  it('extracts the ranges and roles each file declares (16 files)', () => {
    const expected: Record<string, string[]> = {
      'containernetworking-plugins/integration_testdata_basic-bridge_network-chain-test.json': [
        'cni 10.11.2.0/24 declared',
      ],
      'containernetworking-plugins/integration_testdata_basic-ptp.json': ['cni 10.1.2.0/24 declared'],
      'containernetworking-plugins/integration_testdata_chained-ptp-bandwidth.conflist': ['cni 10.9.2.0/24 declared'],
      'flannel/kube-flannel.yml': ['pod 10.244.0.0/16 declared'],
      'flannel/e2e-kind-config.yaml': ['pod 10.42.0.0/16 declared', 'service 10.96.0.0/16 default'],
      'calico/manifests_calico.yaml': ['pod 192.168.0.0/16 default'],
      'calico/manifests_canal.EXCERPT-configmap.yaml': ['pod 10.244.0.0/16 declared'],
      'calico/manifests_custom-resources.yaml': ['pod 192.168.0.0/16 declared'],
      'calico/confd_tests_cluster_routes_enabled_input.yaml': [
        'node 10.192.0.0/16 declared',
        'node 10.192.0.0/16 declared',
        'node 10.192.0.0/16 declared',
        'node 2001::/64 declared',
        'node 2001::/64 declared',
        'node 2001::/64 declared',
        'pod 172.16.0.0/16 declared',
        'pod 172.17.0.0/16 declared',
        'pod 192.168.0.0/16 declared',
        'pod 2002::/64 declared',
        'pod 2010::/64 declared',
      ],
      'calico/cni-plugin_netconf_calico-go-with-host-local.json': ['cni 10.0.0.0/8 declared'],
      'kind/testdata_v1alpha4_valid-kind-patches.yaml': ['pod 10.244.0.0/16 default', 'service 10.0.0.0/16 declared'],
      'kind/testdata_v1alpha4_valid-many-fields.yaml': [
        'pod fd00:10:244::/56 default',
        'service fd00:10:96::/112 default',
      ],
      'multus/e2e_static-pod-nad.yml': ['multus 10.10.0.0/16 declared'],
      'usernetes/kubeadm-config.yaml': ['pod 10.244.0.0/16 declared', 'service 10.96.0.0/16 declared'],
      'cri-o/contrib_cni_10-crio-bridge.conflist': ['cni 10.85.0.0/16 declared', 'cni 1100:200::/24 declared'],
      'weave/prog_weave-kube_weave-daemonset-k8s-1.11.yaml': ['pod 10.32.0.0/12 default'],
    };
    for (const [file, ranges] of Object.entries(expected)) assert.deepEqual(rangesOf(file), ranges.sort(), file);
  });

  it('labels implicit defaults with the reason they apply', () => {
    const weave = getAddressPlan(single('weave/prog_weave-kube_weave-daemonset-k8s-1.11.yaml')).entries.find(
      e => e.component === 'weave',
    )!;
    assert.equal(weave.origin, 'default');
    assert.match(weave.note ?? '', /IPALLOC_RANGE/);
    const kind = getAddressPlan(single('kind/testdata_v1alpha4_valid-kind-patches.yaml'));
    assert.equal(
      kind.serviceCIDRs[0].cidr.network,
      '10.0.0.0/16',
      "the kubeadm patch inside the kind config wins over kind's default",
    );
    assert.match(kind.serviceCIDRs[0].label, /kubeadmConfigPatches/);
  });

  it('derives the CNI mode the traffic tracer needs', () => {
    const flannel = getAddressPlan(single('flannel/kube-flannel.yml')).cni[0];
    assert.deepEqual([flannel.plugin, flannel.bridge, flannel.encapsulation], ['flannel', 'cni0', 'vxlan']);
    const calico = getAddressPlan(single('calico/manifests_calico.yaml')).cni[0];
    assert.deepEqual([calico.plugin, calico.encapsulation], ['calico', 'ipip']);
    const crio = getAddressPlan(single('cri-o/contrib_cni_11-crio-ipv4-bridge.conflist')).cni[0];
    assert.deepEqual([crio.plugin, crio.bridge], ['bridge', 'cni0']);
  });

  it('reports exactly the findings listed in corpus-cni-expectations.json', () => {
    const key = (f: { file: string; line: number; rule: string; severity: string }) =>
      `${f.file}:${f.line} ${f.rule} ${f.severity}`;
    const actual = ws
      .fileIds()
      .flatMap(f =>
        ws.diagnostics(f).map(d =>
          key({
            file: path.relative(CNI_CORPUS, f).split(path.sep).join('/'),
            line: d.range.start.line + 1,
            rule: d.code,
            severity: d.severity,
          }),
        ),
      )
      .sort();
    assert.deepEqual(actual, expectations.findings.map(key).sort());
    for (const e of expectations.findings) assert.ok(e.justification.length > 40, `${key(e)} is justified`);
  });

  it('does not report the listed non-findings', () => {
    for (const n of expectations.nonFindings) {
      const codes = ws.diagnostics(path.join(CNI_CORPUS, n.file)).map(d => d.code);
      assert.ok(!codes.includes(n.rule), `${n.file}: ${n.rule} — ${n.justification}`);
    }
  });

  it('places findings inside embedded strings on the exact characters', () => {
    const nad = path.join(CNI_CORPUS, 'multus/e2e_static-pod-nad.yml');
    const name = ws.diagnostics(nad).find(d => d.code === 'cni-config-invalid')!;
    assert.equal(textOf(ws, nad, name.range), 'testnet');
    const pod = path.join(CNI_CORPUS, 'multus/examples_macvlan-pod.yml');
    assert.equal(
      textOf(ws, pod, ws.diagnostics(pod).find(d => d.code === 'multus-annotation-invalid')!.range),
      'gateway',
    );
    const calico = path.join(CNI_CORPUS, 'calico/manifests_calico.yaml');
    assert.deepEqual(
      ws
        .diagnostics(calico)
        .filter(d => d.code === 'value-not-evaluated')
        .map(d => textOf(ws, calico, d.range)),
      ['__KUBERNETES_NODE_NAME__', '__CNI_MTU__', '__KUBECONFIG_FILEPATH__'],
    );
  });
});
