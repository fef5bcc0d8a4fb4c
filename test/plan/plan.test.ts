import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace, defaultConfig, defaultAnalyzers, mergeConfig } from '../../server/src/engine';
import { getAddressPlan, parseCidr, formatIp, blocksOf } from '../../server/src/engine/plan';
import { readPlanSettings } from '../../server/src/engine/plan/settings';
import { PLAN_FIXTURES, load } from './support';

function ws(files: Record<string, string>, plan?: unknown): Workspace {
  const w = new Workspace(
    plan === undefined ? defaultConfig() : mergeConfig(defaultConfig(), { plan }),
    defaultAnalyzers(),
  );
  for (const [f, t] of Object.entries(files)) w.setFile(f, t);
  w.analyze();
  return w;
}

const KUBEADM =
  'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16\n';

test('CIDR math: network, bounds, host bits, IPv6 compression, node blocks', () => {
  const c = parseCidr('10.244.1.0/16')!;
  assert.equal(c.network, '10.244.0.0/16');
  assert.ok(c.hostBitsSet);
  assert.equal(formatIp(4, c.last), '10.244.255.255');
  const v6 = parseCidr('fd00:10:244:0::/56')!;
  assert.equal(v6.network, 'fd00:10:244::/56');
  assert.equal(formatIp(6, v6.last), 'fd00:10:244:ff:ffff:ffff:ffff:ffff');
  assert.equal(blocksOf(v6, 64), 256n);
  assert.equal(blocksOf(parseCidr('10.42.0.0/25')!, 24), 0n, 'a mask shorter than the network holds no block');
  for (const bad of ['10.0.0.0/33', '10.0.0.256/8', '10.0.0/8', 'usePodCidr', '::g/64'])
    assert.equal(parseCidr(bad), undefined, bad);
});

test('the plan merges declared values with provenance and labels defaults and assumptions', () => {
  const p = getAddressPlan(ws({ '/k/kubeadm.yaml': KUBEADM }));
  const pod = p.podCIDRs[0];
  assert.equal(pod.cidr.network, '10.244.0.0/16');
  assert.equal(pod.origin, 'declared');
  assert.deepEqual(pod.source?.fileId, '/k/kubeadm.yaml');
  const svc = p.serviceCIDRs[0];
  assert.deepEqual(
    [svc.cidr.network, svc.origin],
    ['10.96.0.0/12', 'default'],
    "kubeadm's DefaultServicesSubnet is in play",
  );
  const docker = p.entries.find(e => e.role === 'docker-bridge')!;
  assert.deepEqual([docker.cidr.network, docker.origin], ['172.17.0.0/16', 'default']);
  assert.deepEqual([p.nodeMask.ipv4.value, p.nodeMask.ipv4.origin, p.nodeMask.ipv6.value], [24, 'default', 64]);
  assert.equal(p.clusterDomain.value, 'cluster.local');

  const empty = getAddressPlan(ws({}));
  assert.deepEqual([empty.podCIDRs[0].cidr.network, empty.podCIDRs[0].origin], ['10.244.0.0/16', 'assumed']);
  assert.deepEqual([empty.serviceCIDRs[0].cidr.network, empty.serviceCIDRs[0].origin], ['10.96.0.0/12', 'assumed']);
});

test('user settings fill in what no file declares', () => {
  const p = getAddressPlan(
    ws(
      {},
      {
        podCIDR: '10.50.0.0/16',
        serviceCIDR: ['10.60.0.0/16'],
        nodeNetworks: ['192.168.1.0/24'],
        dockerBridge: 'none',
        nodeCidrMaskSize: { ipv4: 26 },
        clusterDomain: 'corp.local',
        cni: { plugin: 'calico', encapsulation: 'vxlan' },
      },
    ),
  );
  assert.deepEqual([p.podCIDRs[0].cidr.network, p.podCIDRs[0].origin], ['10.50.0.0/16', 'setting']);
  assert.equal(p.serviceCIDRs[0].cidr.network, '10.60.0.0/16');
  assert.deepEqual(
    p.nodeNetworks.map(n => n.cidr.network),
    ['192.168.1.0/24'],
  );
  assert.ok(!p.entries.some(e => e.role === 'docker-bridge'), 'dockerBridge: none removes docker0');
  assert.deepEqual([p.nodeMask.ipv4.value, p.nodeMask.ipv4.origin], [26, 'setting']);
  assert.equal(p.clusterDomain.value, 'corp.local');
  assert.deepEqual([p.cni[0].plugin, p.cni[0].encapsulation, p.cni[0].origin], ['calico', 'vxlan', 'setting']);
});

test('unset editor settings (empty strings, null, []) are not settings and not problems', () => {
  const s = readPlanSettings({
    plan: {
      podCIDR: '',
      serviceCIDR: '',
      nodeNetworks: [],
      dockerBridge: '',
      nodeCidrMaskSize: null,
      clusterDomain: '',
      cni: null,
    },
  });
  assert.deepEqual(s.problems, []);
  assert.deepEqual([s.podCIDRs, s.dockerBridge, s.cni], [[], undefined, undefined]);
  const bad = readPlanSettings({
    plan: { podCIDR: '10.0.0.1/8', dockerBridge: 'docker0', nodeCidrMaskSize: { ipv4: 40 } },
  });
  assert.equal(bad.problems.length, 3, bad.problems.join('; '));
});

test("Calico's implicit 192.168.0.0/16 pool yields to the kubeadm podSubnet", () => {
  const calicoNode =
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: calico-node}\nspec:\n  selector: {matchLabels: {k: v}}\n  template:\n    metadata: {labels: {k: v}}\n    spec:\n      containers:\n      - name: calico-node\n        image: quay.io/calico/node:v3\n';
  assert.ok(
    getAddressPlan(ws({ '/c.yaml': calicoNode })).entries.some(
      e => e.cidr.network === '192.168.0.0/16' && e.origin === 'default',
    ),
  );
  assert.ok(
    !getAddressPlan(ws({ '/c.yaml': calicoNode, '/k.yaml': KUBEADM })).entries.some(
      e => e.cidr.network === '192.168.0.0/16',
    ),
  );
});

test('the CNI mode comes from a node CNI config when no manifest says more; Multus networks are never the primary CNI', () => {
  const flannelConf =
    '{ "name": "cbr0", "cniVersion": "1.0.0", "plugins": [ { "type": "flannel", "delegate": { "isDefaultGateway": true } } ] }';
  const nad =
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: br}\nspec:\n  config: \'{"cniVersion": "1.0.0", "name": "br", "type": "bridge", "bridge": "br1", "ipam": {}}\'\n';
  const p = getAddressPlan(ws({ '/a-nad.yaml': nad, '/10-flannel.conflist': flannelConf }));
  assert.deepEqual([p.cni[0].plugin, p.cni[0].bridge, p.cni[0].origin], ['flannel', 'cni0', 'default']);
  assert.ok(!p.cni.some(m => m.bridge === 'br1'));
});

test('control-plane static pod flags feed the plan', () => {
  const w = load(path.join(PLAN_FIXTURES, 'static-pods'));
  const p = getAddressPlan(w);
  assert.deepEqual(
    p.entries.filter(e => e.source).map(e => `${e.role} ${e.cidr.network} ${e.label}`),
    [
      'pod 10.244.0.0/16 kube-controller-manager --cluster-cidr',
      'service 10.96.0.0/12 kube-controller-manager --service-cluster-ip-range',
    ],
  );
  assert.deepEqual([p.nodeMask.ipv4.value, p.nodeMask.ipv4.origin, p.nodeMask.ipv6.value], [26, 'declared', 64]);
  const d = w.diagnostics(path.join(PLAN_FIXTURES, 'static-pods/services.yaml'));
  assert.deepEqual(
    d.map(x => x.code),
    ['service-cluster-ip-outside-range'],
  );
});

test('k3s config.yaml and Cluster API clusters are cluster definitions with their defaults', () => {
  const k3s = getAddressPlan(load(path.join(PLAN_FIXTURES, 'k3s')));
  assert.deepEqual(
    k3s.entries.filter(e => e.source).map(e => `${e.role} ${e.cidr.network} ${e.origin}`),
    ['pod 10.42.0.0/16 declared', 'pod fd00:42::/56 declared', 'service 10.43.0.0/16 default'],
  );
  assert.deepEqual([k3s.cni[0].plugin, k3s.cni[0].encapsulation], ['flannel', 'host-gw']);
  assert.equal(k3s.scopes.length, 1);
  const capi = getAddressPlan(load(path.join(PLAN_FIXTURES, 'capi')));
  assert.deepEqual(
    [capi.podCIDRs[0].cidr.network, capi.serviceCIDRs[0].cidr.network, capi.clusterDomain.value],
    ['192.168.0.0/16', '10.128.0.0/12', 'prod.local'],
  );
});

test('getAddressPlan is memoised per workspace state and follows edits', () => {
  const w = ws({ '/k.yaml': KUBEADM });
  const a = getAddressPlan(w);
  assert.equal(getAddressPlan(w), a, 'same object while nothing changed');
  w.setFile('/k.yaml', KUBEADM.replace('10.244.0.0/16', '10.32.0.0/16'));
  w.analyze();
  const b = getAddressPlan(w);
  assert.notEqual(b, a);
  assert.equal(b.podCIDRs[0].cidr.network, '10.32.0.0/16');
});

test('an edit updates the plan findings of the other file incrementally', () => {
  const svc =
    'apiVersion: v1\nkind: Service\nmetadata: {name: dns}\nspec:\n  clusterIP: 10.96.0.10\n  ports: [{port: 53}]\n';
  const w = ws({
    '/k.yaml': KUBEADM.replace('  podSubnet', '  serviceSubnet: 10.96.0.0/16\n  podSubnet'),
    '/s.yaml': svc,
  });
  assert.deepEqual(w.diagnostics('/s.yaml'), []);
  w.setFile('/k.yaml', KUBEADM.replace('  podSubnet', '  serviceSubnet: 10.100.0.0/16\n  podSubnet'));
  const changed = w.analyze();
  assert.ok(changed.has('/s.yaml'));
  assert.deepEqual(
    w.diagnostics('/s.yaml').map(d => d.code),
    ['service-cluster-ip-outside-range'],
  );
});

test('pod network containing the service range: warning when kube-controller-manager allocates, error when the CNI has its own IPAM', () => {
  const kcm = ws({
    '/k.yaml':
      'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.0.0.0/8\n  serviceSubnet: 10.96.0.0/12\n',
  });
  assert.deepEqual(
    kcm.diagnostics('/k.yaml').map(d => `${d.code} ${d.severity}`),
    ['cidr-overlap warning', 'cidr-overlap warning'],
  );
  const cilium = ws({
    '/k.yaml':
      'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  serviceSubnet: 10.96.0.0/12\n',
    '/cilium.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata:\n  ipam: cluster-pool\n',
  });
  const d = cilium.diagnostics('/cilium.yaml');
  assert.deepEqual(
    d.map(x => `${x.code} ${x.severity}`),
    ['cidr-overlap error'],
    "Cilium's default 10.0.0.0/8 pool hands out ClusterIPs (cilium#13766)",
  );
  assert.match(
    d[0].message,
    /^pod network 10\.0\.0\.0\/8 contains the service network 10\.96\.0\.0\/12: .* This range comes from Cilium cluster-pool-ipv4-cidr, default; the service network from kubeadm networking\.serviceSubnet at k\.yaml:4\./,
  );
  assert.equal(d[0].related[0].fileId, '/k.yaml');
});

test('rule severity settings apply to plan findings (off, info)', () => {
  const bad = { '/k.yaml': KUBEADM.replace('10.244.0.0/16', '10.244.1.0/16') };
  const off = new Workspace(mergeConfig(defaultConfig(), { rules: { 'cidr-invalid': 'off' } }), defaultAnalyzers());
  off.setFile('/k.yaml', bad['/k.yaml']);
  off.analyze();
  assert.deepEqual(off.diagnostics('/k.yaml'), []);
  const info = new Workspace(mergeConfig(defaultConfig(), { rules: { 'cidr-invalid': 'info' } }), defaultAnalyzers());
  info.setFile('/k.yaml', bad['/k.yaml']);
  info.analyze();
  assert.deepEqual(
    info.diagnostics('/k.yaml').map(d => d.severity),
    ['information'],
  );
});

test('kube-netlint.io/ignore on a resource silences its plan findings, including inside embedded JSON', () => {
  const nad = (ann: string) =>
    `apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata:\n  name: n\n${ann}spec:\n  config: '{"cniVersion": "9.9.9", "name": "n", "type": "bridge", "ipam": {"type": "host-local", "subnet": "10.5.0.1/16"}}'\n`;
  assert.deepEqual(
    ws({ '/n.yaml': nad('') })
      .diagnostics('/n.yaml')
      .map(d => d.code)
      .sort(),
    ['cidr-invalid', 'cni-config-invalid'],
  );
  const w = ws({ '/n.yaml': nad('  annotations:\n    kube-netlint.io/ignore: cidr-invalid\n') });
  assert.deepEqual(
    w.diagnostics('/n.yaml').map(d => d.code),
    ['cni-config-invalid'],
  );
});

test('a JSON file that is not a CNI config is ignored', () => {
  const w = ws({ '/package.json': '{ "name": "x", "type": "module" }', '/broken.json': '{ "a": ' });
  assert.deepEqual([...w.diagnostics('/package.json'), ...w.diagnostics('/broken.json')], []);
});

const CLI = path.resolve(__dirname, '../../dist/cli.js');
test(
  'kube-netlint plan prints the merged plan as text and JSON',
  { skip: fs.existsSync(CLI) ? false : 'run npm run build first' },
  () => {
    const dir = path.join(PLAN_FIXTURES, 'pod-cidr-mismatch/trigger');
    const text = spawnSync(process.execPath, [CLI, 'plan', dir], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^RANGE\s+ROLE\s+ORIGIN\s+SOURCE/);
    assert.match(
      text.stdout,
      /10\.224\.0\.0\/16\s+pod\s+declared\s+\S*kubeadm\.yaml:4\s+kubeadm networking\.podSubnet/,
    );
    assert.match(text.stdout, /10\.96\.0\.0\/12\s+service\s+default\s+\S*kubeadm\.yaml:\d+/);
    assert.match(text.stdout, /172\.17\.0\.0\/16\s+docker-bridge\s+default\s+-/);
    assert.match(text.stdout, /CNI: flannel bridge cni0 vxlan/);
    const json = spawnSync(process.execPath, [CLI, 'plan', dir, '--format', 'json'], { encoding: 'utf8' });
    const data = JSON.parse(json.stdout);
    const flannel = data.entries.find((e: { component: string }) => e.component === 'flannel');
    assert.deepEqual(
      [flannel.range, flannel.role, flannel.origin, flannel.line, flannel.blockMask],
      ['10.244.0.0/16', 'pod', 'declared', 9, 24],
    );
    assert.match(flannel.file, /kube-flannel\.yml$/);
    assert.deepEqual(data.effective.serviceCIDRs, ['10.96.0.0/12']);
    const bad = spawnSync(process.execPath, [CLI, 'plan', dir, '--format', 'xml'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
  },
);

/** The deepest nesting of parentheses in a text. */
function parenDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const c of text) {
    if (c === '(') max = Math.max(max, ++depth);
    else if (c === ')') depth--;
  }
  return max;
}

test('issue 11: cidr-overlap messages nest no parentheses, also around labels that have their own', () => {
  const w = load(path.join(PLAN_FIXTURES, 'cidr-overlap', 'trigger'));
  const messages = w
    .fileIds()
    .flatMap(f => w.diagnostics(f))
    .filter(d => d.code === 'cidr-overlap');
  assert.ok(messages.length >= 4, `${messages.length} findings`);
  // The fixture's labels have parentheses: `docker bridge docker0 (daemon.json bip)`, `Multus network "storage" (macvlan)`.
  assert.ok(messages.some(d => d.message.includes('docker0 (daemon.json bip), written as 10.244.200.1/24')));
  for (const d of messages) assert.ok(parenDepth(d.message) <= 1, d.message);
});
