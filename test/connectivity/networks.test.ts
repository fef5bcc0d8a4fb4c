import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, linesOf, modelOf, namespace, wl } from './support';

const udn = (ns: string) => `apiVersion: k8s.ovn.org/v1
kind: UserDefinedNetwork
metadata: {name: net, namespace: ${ns}}
spec:
  topology: Layer2
  layer2: {role: Primary, subnets: [10.100.0.0/16]}
`;

describe('connectivity: user-defined networks, attachments, virtual machines', () => {
  it('a primary UDN isolates its namespace from the pod network and other UDNs', () => {
    const m = modelOf({
      'ns.yaml': [namespace('green', { 'k8s.ovn.org/primary-user-defined-network': '""' }), namespace('plain')].join(
        '---\n',
      ),
      'udn.yaml': udn('green'),
      'a.yaml': deployment('green', 'a', { app: 'a' }),
      'b.yaml': deployment('green', 'b', { app: 'b' }),
      'c.yaml': deployment('plain', 'c', { app: 'c' }),
    });
    assert.equal(m.allowed(wl(m, 'green/a[Deployment]'), wl(m, 'green/b[Deployment]')).toString(), 'All Connections');
    assert.equal(m.allowed(wl(m, 'green/a[Deployment]'), wl(m, 'plain/c[Deployment]')).toString(), 'No Connections');
    const lines = linesOf(m);
    assert.equal(lines[0], 'Permitted connectivity analyzed in Pod network:');
    assert.ok(lines.includes('Permitted connectivity analyzed in primary UDN green:'));
    assert.ok(lines.includes('green[udn]/a[Deployment] => green[udn]/b[Deployment] : All Connections'));
    assert.ok(lines.includes('\tPrimary Network: green[UDN]'));
  });

  it('a UDN in a namespace without the primary-network label is ignored, with a warning', () => {
    const m = modelOf({
      'ns.yaml': namespace('green'),
      'udn.yaml': udn('green'),
      'a.yaml': deployment('green', 'a', { app: 'a' }),
    });
    assert.equal(m.networksOf('green/a[Deployment]').primary.key, 'pod-network');
    assert.ok(
      m.warnings.some(w => w.includes('lacks the label')),
      m.warnings.join('\n'),
    );
  });

  it('a namespace labelled for a primary UDN that nothing here serves is still off the pod network', () => {
    // OVN-Kubernetes never gives pods of such a namespace a default-network interface; they get the
    // namespace's primary network. Each such namespace is its own (undeclared) UDN, isolated.
    const label = { 'k8s.ovn.org/primary-user-defined-network': '""' };
    const m = modelOf({
      'ns.yaml': [namespace('red', label), namespace('blue', label), namespace('plain')].join('---\n'),
      'a.yaml': deployment('red', 'a', { app: 'a' }),
      'b.yaml': deployment('red', 'b', { app: 'b' }),
      'c.yaml': deployment('blue', 'c', { app: 'c' }),
      'd.yaml': deployment('plain', 'd', { app: 'd' }),
    });
    assert.equal(m.networksOf('red/a[Deployment]').primary.key, 'udn:red');
    assert.equal(m.networksOf('plain/d[Deployment]').primary.key, 'pod-network');
    assert.equal(m.allowed(wl(m, 'red/a[Deployment]'), wl(m, 'red/b[Deployment]')).toString(), 'All Connections');
    assert.equal(m.allowed(wl(m, 'red/a[Deployment]'), wl(m, 'blue/c[Deployment]')).toString(), 'No Connections');
    assert.equal(m.allowed(wl(m, 'red/a[Deployment]'), wl(m, 'plain/d[Deployment]')).toString(), 'No Connections');
    const lines = linesOf(m);
    assert.ok(lines.includes('Permitted connectivity analyzed in primary UDN red:'), lines.join('\n'));
    assert.ok(lines.includes('red[udn]/a[Deployment] => red[udn]/b[Deployment] : All Connections'));
    assert.ok(
      m.warnings.some(w => w.includes('no primary UserDefinedNetwork')),
      m.warnings.join('\n'),
    );
  });

  it('Multus attachments: NetworkPolicy stays on the pod network, MultiNetworkPolicy governs the NAD, ipBlock matches attachment addresses', () => {
    const pod = (name: string, ip: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: lab
  labels: {name: ${name}}
  annotations:
    k8s.v1.cni.cncf.io/networks: '[{"name": "mv", "ips": ["${ip}/24"]}]'
spec: {containers: [{name: c, image: x}]}
`;
    const m = modelOf({
      'ns.yaml': namespace('lab'),
      'nad.yaml': `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: mv, namespace: lab}
spec: {config: '{"cniVersion": "0.3.1", "type": "macvlan"}'}
`,
      'pods.yaml': [pod('server', '192.0.2.1'), pod('good', '192.0.2.11'), pod('bad', '192.0.2.12')].join('---\n'),
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: lab}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`,
      'mnp.yaml': `apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata:
  name: only-good
  namespace: lab
  annotations: {k8s.v1.cni.cncf.io/policy-for: lab/mv}
spec:
  podSelector: {matchLabels: {name: server}}
  policyTypes: [Ingress]
  ingress:
  - from: [{ipBlock: {cidr: 192.0.2.11/32}}]
`,
    });
    const lines = linesOf(m);
    const nad = lines.slice(lines.indexOf('Permitted connectivity analyzed in secondary NAD mv:') + 1);
    assert.ok(nad.includes('lab/good[Pod] => lab/server[Pod] : All Connections'), lines.join('\n'));
    assert.ok(!nad.some(l => l.startsWith('lab/bad[Pod] => lab/server[Pod]')), lines.join('\n'));
    assert.equal(lines[1], 'All connections are not allowed for the workloads in the pod-network');
    // Over both networks together, good reaches server (through the attachment).
    assert.equal(m.allowed(wl(m, 'lab/good[Pod]'), wl(m, 'lab/server[Pod]')).toString(), 'All Connections');
  });

  it('a KubeVirt VirtualMachine is a workload; its virt-launcher pod is not', () => {
    const m = modelOf({
      'vm.yaml': `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: db, namespace: vms}
spec:
  running: true
  template:
    metadata: {labels: {kubevirt.io/domain: db}}
    spec:
      domain: {devices: {interfaces: [{name: default, masquerade: {}, ports: [{name: pg, port: 5432}]}]}}
      networks: [{name: default, pod: {}}]
`,
      'launcher.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: virt-launcher-db-x7k2p
  namespace: vms
  labels: {kubevirt.io/domain: db, kubevirt.io: virt-launcher}
spec: {containers: [{name: compute, image: virt-launcher}]}
`,
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: pg, namespace: vms}
spec:
  podSelector: {matchLabels: {kubevirt.io/domain: db}}
  ingress: [{ports: [{port: pg}]}]
`,
    });
    assert.deepEqual(
      m.workloads.map(w => w.id),
      ['vms/db[VirtualMachine]'],
    );
    assert.equal(
      m.allowed({ kind: 'address', ip: '198.51.100.7' }, wl(m, 'vms/db[VirtualMachine]')).toString(),
      'TCP 5432',
    );
  });
  it('a VM guest address set by cloud-init networkData is its address on the Multus network (ipBlock matches it)', () => {
    // The guest configures the address itself (no IPAM on the attachment); a MultiNetworkPolicy
    // ipBlock sees that address as the source.
    const vm = (name: string, ip: string) => `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: ${name}, namespace: lab}
spec:
  template:
    metadata: {labels: {role: member}}
    spec:
      domain: {devices: {interfaces: [{name: default, masquerade: {}}, {name: overlay, bridge: {}}]}}
      networks: [{name: default, pod: {}}, {name: overlay, multus: {networkName: l2}}]
      volumes:
      - name: cloudinit
        cloudInitNoCloud:
          networkData: |
            version: 2
            ethernets:
              eth1:
                addresses: [${ip}/24]
`;
    const m = modelOf({
      'ns.yaml': namespace('lab'),
      'nad.yaml': `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: l2, namespace: lab}
spec: {config: '{"cniVersion": "0.4.0", "type": "ovn-k8s-cni-overlay", "topology": "layer2"}'}
`,
      'vms.yaml': [vm('inside', '10.9.0.1'), vm('outside', '10.9.0.200'), vm('target', '10.9.0.2')].join('---\n'),
      'mnp.yaml': `apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata:
  name: from-low
  namespace: lab
  annotations: {k8s.v1.cni.cncf.io/policy-for: lab/l2}
spec:
  podSelector: {matchLabels: {role: member}}
  policyTypes: [Ingress]
  ingress: [{from: [{ipBlock: {cidr: 10.9.0.0/28}}]}]
`,
    });
    const lines = linesOf(m);
    const nad = lines.slice(lines.indexOf('Permitted connectivity analyzed in secondary NAD l2:'));
    assert.ok(
      nad.includes('lab/inside[VirtualMachine] => lab/target[VirtualMachine] : All Connections'),
      nad.join('\n'),
    );
    assert.ok(
      nad.includes('lab/target[VirtualMachine] => lab/inside[VirtualMachine] : All Connections'),
      nad.join('\n'),
    );
    assert.ok(!nad.some(l => l.startsWith('lab/outside[VirtualMachine] =>')), nad.join('\n'));
  });
  it('a MultiNetworkPolicy covers only attachments through the NAD its policy-for names (namespace included)', () => {
    // Two NADs called "net" (in lab and in shared) are one network here, but a policy for
    // shared/net does not govern an interface attached through lab/net.
    const nad = (ns: string) => `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: net, namespace: ${ns}}
spec: {config: '{"cniVersion": "0.3.1", "type": "macvlan"}'}
`;
    const pod = (name: string, attach: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: lab
  labels: {role: server}
  annotations: {k8s.v1.cni.cncf.io/networks: ${attach}}
spec: {containers: [{name: c, image: x}]}
`;
    const m = modelOf({
      'ns.yaml': [namespace('lab'), namespace('shared')].join('---\n'),
      'nads.yaml': [nad('lab'), nad('shared')].join('---\n'),
      'pods.yaml': [pod('own', 'net'), pod('viashared', 'shared/net'), pod('client', 'net')].join('---\n'),
      'mnp.yaml': `apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata:
  name: deny-ingress
  namespace: lab
  annotations: {k8s.v1.cni.cncf.io/policy-for: shared/net}
spec:
  podSelector: {matchLabels: {role: server}}
  policyTypes: [Ingress]
`,
    });
    const lines = linesOf(m);
    const nadLines = lines.slice(lines.indexOf('Permitted connectivity analyzed in secondary NAD net:'));
    assert.ok(nadLines.includes('lab/own[Pod] => lab/client[Pod] : All Connections'), nadLines.join('\n'));
    assert.ok(nadLines.includes('lab/viashared[Pod] => lab/own[Pod] : All Connections'), nadLines.join('\n'));
    assert.ok(!nadLines.some(l => /=> lab\/viashared\[Pod\]/.test(l)), nadLines.join('\n'));
  });
});
