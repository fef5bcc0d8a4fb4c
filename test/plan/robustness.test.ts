import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, defaultConfig, defaultAnalyzers } from '../../server/src/engine';
import { hoverAt } from '../../server/src/engine/hover';
import { getAddressPlan } from '../../server/src/engine/plan';
import '../../server/src/engine/features';

/** Hostile or odd network configs: never an exception, never an internal-error finding. */
const inputs: Record<string, string> = {
  '/deep.conflist': '{"cniVersion":"1.0.0","name":"d","plugins":[' + '['.repeat(2000) + ']'.repeat(2000) + ']}',
  '/array.conflist': '[1, 2, 3]',
  '/string.conf': '"cniVersion"',
  '/types.conflist': '{"cniVersion": 1.0, "name": 7, "plugins": "bridge", "disableCheck": "maybe"}',
  '/ipam.conflist':
    '{"cniVersion":"1.0.0","name":"x","plugins":[{"type":"bridge","ipam":{"type":"host-local","ranges":"10.0.0.0/8","subnet":42,"routes":[null,{"dst":7}]}}]}',
  '/ranges.conflist':
    '{"cniVersion":"1.0.0","name":"x","plugins":[{"type":"bridge","ipam":{"type":"host-local","ranges":[[null,{"subnet":"::/0","rangeStart":"::"}],"x",[{"subnet":"999.1.1.1/8"}]]}}]}',
  '/multus.conf': '{"name":"m","type":"multus","delegates":[{"delegates":[{"type":"flannel"}]}, 5, "x"]}',
  '/daemon.json': '{"bip": 5, "default-address-pools": [{"base": "10.10.0.0/16", "size": 99}, null, {"base": "x"}]}',
  '/nad.yaml':
    'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: n}\nspec: {config: {not: a string}}\n---\napiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: m}\nspec:\n  config: "{ \\"cniVersion\\": "\n',
  '/kind.yaml':
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: {podSubnet: [1, 2], serviceSubnet: 10.96.0.0/16, ipFamily: 7}\nkubeadmConfigPatches: [5, "{{", "kind: ClusterConfiguration\\nnetworking: {serviceSubnet: [x]}", ": : :"]\n',
  '/kubeadm.yaml':
    'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking: 5\ncontrollerManager: {extraArgs: [null, {name: node-cidr-mask-size, value: abc}, 3]}\n',
  '/pods.yaml':
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {k8s.v1.cni.cncf.io/networks: "[{]"}\nspec: {containers: [{name: calico-node, image: calico/node, env: [null, {name: CALICO_IPV4POOL_CIDR}, {name: CALICO_IPV4POOL_CIDR, value: 5}]}]}\n',
  '/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config}\ndata:\n  cluster-pool-ipv4-cidr: "   "\n  cluster-pool-ipv4-mask-size: lots\n  net-conf.json: "{ Network: 10.0.0.0/8 }"\n  cni-conf.json: "{"\n',
  '/svc.yaml':
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {clusterIP: 5, clusterIPs: [null, "fd00::1"]}\n',
};

test('odd and hostile inputs are read without exceptions or internal errors', () => {
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  for (const [f, t] of Object.entries(inputs)) ws.setFile(f, t);
  ws.analyze();
  const all = ws.fileIds().flatMap(f => ws.diagnostics(f));
  for (const d of all)
    assert.doesNotMatch(d.message, /could not (read|evaluate)|please report/, `${d.fileId}: ${d.message}`);
  assert.ok(
    all.some(d => d.fileId === '/types.conflist' && /must be a string/.test(d.message)),
    'wrong types are reported, not crashed on',
  );
  assert.ok(getAddressPlan(ws).entries.length > 0);
  for (const f of ws.fileIds()) for (let o = 0; o < Math.min(400, inputs[f].length); o += 7) hoverAt(ws, f, o);
});

test('hover on an IPv6 network', () => {
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  const text =
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: ipv6\n  podSubnet: fd00:10:244::/56\n';
  ws.setFile('/kind.yaml', text);
  ws.analyze();
  const h = hoverAt(ws, '/kind.yaml', text.indexOf('fd00:10:244') + 6)!;
  assert.match(h.markdown, /\*\*fd00:10:244::\/56\*\* — IPv6 network/);
  assert.match(h.markdown, /Last address \| `fd00:10:244:ff:ffff:ffff:ffff:ffff`/);
  assert.match(h.markdown, /256 × \/64/);
});
