import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeProbability, findService, nodeProxy, proxySettings } from '../../server/src/engine/netfilter';
import { port, ruleLines, slice, workspace } from './helpers';

// Expected lines are built from the rule templates of reference/kube-proxy.md §2 with chain
// names from its §1.4 vectors; the inputs are those of the kube-proxy tests they come from.

const svc = (ns: string, name: string, spec: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${spec}`;

test('internalTrafficPolicy: Local sends ClusterIP traffic to KUBE-SVL with only the local endpoint (§2.7)', () => {
  const ws = workspace({
    's.yaml': svc(
      'ns1',
      'svc1',
      '  clusterIP: 172.30.1.1\n  internalTrafficPolicy: Local\n  selector: {app: x}\n  ports:\n    - port: 80\n',
    ),
    'e.yaml': slice('ns1', 'svc1', null, [
      { ip: '10.0.1.1', node: 'test-node' },
      { ip: '10.0.1.2', node: 'host1' },
      { ip: '10.0.1.3', node: 'host2' },
    ]),
  });
  const lines = ruleLines(ws);
  for (const l of [
    '-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVL-AQI2S6QIMU7PVVRP',
    '-A KUBE-SVL-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
    '-A KUBE-SVL-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -j KUBE-SEP-3JOIVZTXZZRGORX4',
  ])
    assert.ok(lines.includes(l), `missing ${l}`);
  // Not externally accessible, so the Cluster chain and the remote endpoints' chains are not written.
  assert.ok(!lines.some(l => l.includes('KUBE-SVC-AQI2S6QIMU7PVVRP')));
  assert.ok(!lines.some(l => l.includes('KUBE-SEP-IO5XOSKPAXIFQXAJ')));
});

test('internalTrafficPolicy: Local without a local endpoint drops ClusterIP traffic in the filter table', () => {
  const ws = workspace({
    's.yaml': svc('ns1', 'svc1', '  clusterIP: 172.30.1.1\n  internalTrafficPolicy: Local\n  ports:\n    - port: 80\n'),
    'e.yaml': slice('ns1', 'svc1', null, [{ ip: '10.0.1.2', node: 'host1' }]),
  });
  const lines = ruleLines(ws);
  assert.ok(
    lines.includes(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1 has no local endpoints" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j DROP',
    ),
  );
  assert.ok(!lines.some(l => l.includes('AQI2S6QIMU7PVVRP')), 'no nat chain for the service');
});

test('no endpoints: only filter-table REJECT rules, and the nftables no-endpoint element', () => {
  const ws = workspace({
    's.yaml': svc(
      'ns6',
      'svc6',
      '  clusterIP: 172.30.0.46\n  selector: {app: nothing}\n  ports:\n    - name: p80\n      port: 80\n',
    ),
  });
  const lines = ruleLines(ws);
  assert.ok(
    lines.includes(
      '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT',
    ),
  );
  assert.ok(!lines.some(l => /KUBE-(SVC|SEP|EXT)-/.test(l)));
  assert.ok(
    ruleLines(ws, 'nftables').includes(
      'add element ip kube-proxy no-endpoint-services { 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain }',
    ),
  );
});

test('LoadBalancer with loadBalancerSourceRanges and ClientIP affinity (svc5): KUBE-FW, recent rules, KUBE-PROXY-FIREWALL', () => {
  const ws = workspace({
    's.yaml': svc(
      'ns5',
      'svc5',
      `  type: LoadBalancer
  clusterIP: 172.30.0.45
  sessionAffinity: ClientIP
  loadBalancerSourceRanges: [203.0.113.0/25]
  ports:
    - name: p80
      port: 80
      nodePort: 3002
status:
  loadBalancer:
    ingress:
      - ip: 5.6.7.8
`,
    ),
    'e.yaml': slice('ns5', 'svc5', 'p80', [{ ip: '10.180.0.3', node: 'host1' }]),
  });
  const lines = ruleLines(ws);
  const spn = 'ns5/svc5:p80',
    h = 'NUKIZ6OKUXPJNT4C',
    sep = 'KUBE-SEP-I77PXRDZVX7PMWMN';
  for (const l of [
    `-A KUBE-SERVICES -m comment --comment "${spn} loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-${h}`,
    `-A KUBE-FW-${h} -m comment --comment "${spn} loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-${h}`,
    `-A KUBE-FW-${h} -m comment --comment "other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL"`,
    `-A KUBE-PROXY-FIREWALL -m comment --comment "${spn} traffic not accepted by KUBE-FW-${h}" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP`,
    `-A KUBE-NODEPORTS -m comment --comment ${spn} -m tcp -p tcp --dport 3002 -j KUBE-EXT-${h}`,
    `-A KUBE-SVC-${h} -m comment --comment "${spn} -> 10.180.0.3:80" -m recent --name ${sep} --rcheck --seconds 10800 --reap -j ${sep}`,
    `-A KUBE-SVC-${h} -m comment --comment "${spn} -> 10.180.0.3:80" -j ${sep}`,
    `-A ${sep} -m comment --comment ${spn} -m recent --name ${sep} --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80`,
  ])
    assert.ok(lines.includes(l), `missing ${l}`);
  // The affinity check comes before the statistic/selection rule of the same endpoint.
  assert.ok(
    lines.findIndex(l => l.includes('--rcheck')) <
      lines.findIndex(l => l === `-A KUBE-SVC-${h} -m comment --comment "${spn} -> 10.180.0.3:80" -j ${sep}`),
  );
  const nft = ruleLines(ws, 'nftables');
  assert.ok(
    nft.includes('add rule ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr != { 203.0.113.0/25 } drop'),
  );
  assert.ok(
    nft.some(l =>
      l.startsWith(
        'add set ip kube-proxy affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }',
      ),
    ),
  );
});

const svc2 = svc(
  'ns2',
  'svc2',
  `  type: LoadBalancer
  clusterIP: 172.30.0.42
  externalTrafficPolicy: Local
  healthCheckNodePort: 30000
  externalIPs: [192.168.99.22]
  ports:
    - name: p80
      port: 80
      nodePort: 3001
status:
  loadBalancer:
    ingress:
      - ip: 1.2.3.4
`,
);

test('externalTrafficPolicy: Local with no endpoint on this node: DROP external traffic, keep the short-circuits, accept health checks (§2.6)', () => {
  const ws = workspace({
    's.yaml': svc2,
    'e.yaml': slice('ns2', 'svc2', 'p80', [{ ip: '10.180.0.2', node: 'host2' }]),
  });
  const lines = ruleLines(ws);
  const spn = 'ns2/svc2:p80',
    h = 'GNZBNJ2PO5MGZ6GT';
  for (const l of [
    `-A KUBE-EXTERNAL-SERVICES -m comment --comment "${spn} has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP`,
    `-A KUBE-EXTERNAL-SERVICES -m comment --comment "${spn} has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP`,
    `-A KUBE-EXTERNAL-SERVICES -m comment --comment "${spn} has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP`,
    `-A KUBE-NODEPORTS -m comment --comment "${spn} health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT`,
    `-A KUBE-EXT-${h} -m comment --comment "pod traffic for ${spn} external destinations" -s 10.0.0.0/8 -j KUBE-SVC-${h}`,
    `-A KUBE-EXT-${h} -m comment --comment "masquerade LOCAL traffic for ${spn} external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
    `-A KUBE-EXT-${h} -m comment --comment "route LOCAL traffic for ${spn} external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-${h}`,
    `-A KUBE-SVC-${h} -m comment --comment "${spn} -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ`,
  ])
    assert.ok(lines.includes(l), `missing ${l}`);
  assert.ok(!lines.some(l => l.includes(`KUBE-SVL-${h}`)), 'no SVL chain without local endpoints');
});

test('externalTrafficPolicy: Local with a local endpoint: KUBE-EXT falls through to KUBE-SVL, no DROP', () => {
  const ws = workspace({
    's.yaml': svc2,
    'e.yaml': slice('ns2', 'svc2', 'p80', [{ ip: '10.180.0.2', node: 'test-node' }]),
  });
  const lines = ruleLines(ws);
  const h = 'GNZBNJ2PO5MGZ6GT';
  assert.ok(lines.includes(`-A KUBE-EXT-${h} -j KUBE-SVL-${h}`));
  assert.ok(
    lines.includes(
      `-A KUBE-SVL-${h} -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ`,
    ),
  );
  assert.ok(!lines.some(l => l.includes('has no local endpoints')));
  const p = port(ws, 'ns2/svc2');
  assert.equal(p.localEndpoints.length, 1);
  assert.equal(p.localEndpoints[0].endpoint.local, true);
});

test('endpoints are ordered by the string "ip:port", so 10.1.0.10 comes before 10.1.0.9, and get probability(n-i)', () => {
  const ws = workspace({
    's.yaml': svc('ns', 's', '  clusterIP: 172.30.9.9\n  ports:\n    - name: p\n      port: 80\n'),
    'e.yaml': slice('ns', 's', 'p', [{ ip: '10.1.0.9' }, { ip: '10.1.0.10' }, { ip: '10.1.0.2' }]),
  });
  const p = port(ws, 'ns/s');
  assert.deepEqual(
    p.clusterEndpoints.map(w => w.endpoint.endpoint),
    ['10.1.0.10:80', '10.1.0.2:80', '10.1.0.9:80'],
  );
  assert.deepEqual(
    p.clusterEndpoints.map(w => w.probability),
    [computeProbability(3), computeProbability(2), undefined],
  );
  const select = p.rules.filter(r => r.role === 'endpoint-select').map(r => r.endpoint);
  assert.deepEqual(select, ['10.1.0.10:80', '10.1.0.2:80', '10.1.0.9:80']);
});

test('not-ready endpoints are skipped while a ready one exists; serving+terminating ones are the fallback', () => {
  const ws = workspace({
    's.yaml': svc('ns', 's', '  clusterIP: 172.30.9.9\n  ports:\n    - name: p\n      port: 80\n'),
    'e.yaml': slice('ns', 's', 'p', [
      { ip: '10.1.0.1', ready: false, serving: true, terminating: true },
      { ip: '10.1.0.2' },
    ]),
  });
  assert.deepEqual(
    port(ws, 'ns/s').clusterEndpoints.map(w => w.endpoint.ip),
    ['10.1.0.2'],
  );
  const ws2 = workspace({
    's.yaml': svc('ns', 's', '  clusterIP: 172.30.9.9\n  ports:\n    - name: p\n      port: 80\n'),
    'e.yaml': slice('ns', 's', 'p', [
      { ip: '10.1.0.1', ready: false, serving: true, terminating: true },
      { ip: '10.1.0.3', ready: false, serving: false },
    ]),
  });
  assert.deepEqual(
    port(ws2, 'ns/s').clusterEndpoints.map(w => w.endpoint.ip),
    ['10.1.0.1'],
  );
});

test('EndpointSlice ports are matched by the Service port name and protocol', () => {
  const ws = workspace({
    's.yaml': svc(
      'ns',
      's',
      '  clusterIP: 172.30.9.9\n  ports:\n    - name: http\n      port: 80\n    - name: dns\n      port: 53\n      protocol: UDP\n',
    ),
    'e.yaml': slice('ns', 's', 'http', [{ ip: '10.1.0.1' }], 8080),
  });
  assert.deepEqual(
    port(ws, 'ns/s', 0).endpoints.map(e => e.endpoint),
    ['10.1.0.1:8080'],
  );
  assert.equal(port(ws, 'ns/s', 1).endpoints.length, 0);
  assert.equal(port(ws, 'ns/s', 1).hasEndpoints, false);
});

test('headless and ExternalName Services program nothing, and say why', () => {
  const ws = workspace({
    'h.yaml': svc('ns', 'h', '  clusterIP: None\n  selector: {app: a}\n  ports:\n    - port: 80\n'),
    'x.yaml': svc('ns', 'x', '  type: ExternalName\n  externalName: example.com\n'),
  });
  const node = nodeProxy(ws, proxySettings(ws));
  for (const s of node.services) {
    assert.equal(s.ports.length, 0);
    assert.match(s.skipped ?? '', /programs nothing/);
  }
  assert.ok(!node.tables.nat.rules.some(r => r.comment?.includes('ns/')));
});

const deployment = (name: string, replicas: number, ports: string, labels = 'app: web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {${labels}}
  template:
    metadata:
      labels: {${labels}}
    spec:
      containers:
        - name: c
          image: x
          ports:
${ports}
`;
const webSvc = svc(
  'shop',
  'web',
  '  selector: {app: web}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n',
);

test('without EndpointSlices, endpoints are synthesised: replicas × template, named targetPort resolved per template', () => {
  const ws = workspace(
    {
      's.yaml': webSvc,
      'a.yaml': deployment('web-a', 3, '            - name: http\n              containerPort: 8080'),
      'b.yaml': deployment('web-b', 2, '            - name: http\n              containerPort: 9090'),
      'c.yaml': deployment('web-c', 4, '            - name: metrics\n              containerPort: 9100'),
    },
    { clusterCIDR: '10.244.0.0/16' },
  );
  const p = port(ws, 'shop/web');
  assert.equal(p.endpointSource, 'illustrative');
  assert.equal(p.endpoints.length, 5);
  assert.deepEqual(p.endpoints.map(e => e.port).sort(), [8080, 8080, 8080, 9090, 9090]);
  assert.ok(p.endpoints.every(e => e.source === 'illustrative' && /^10\.244\./.test(e.ip)));
  assert.equal(new Set(p.endpoints.map(e => e.ip)).size, 5, 'distinct pod IPs');
  assert.ok(
    p.notes.some(n => /illustrative/.test(n) && /web-a \(3 replicas\)/.test(n)),
    p.notes.join('\n'),
  );
  assert.ok(
    p.notes.some(n => /web-c/.test(n) && /no container port named "http"/.test(n)),
    'the template without the named port is reported as dropped',
  );
  assert.ok(p.clusterIP.illustrative && p.notes.some(n => n.includes(p.clusterIP.value)));
  // One illustrative pod of every workload lands on the node being shown.
  assert.ok(p.endpoints.some(e => e.local));
});

test('illustrative IPs are deterministic and do not move when unrelated files change', () => {
  const files = {
    's.yaml': webSvc,
    'a.yaml': deployment('web-a', 3, '            - name: http\n              containerPort: 8080'),
  };
  const before = port(workspace(files), 'shop/web').endpoints.map(e => e.endpoint);
  const after = port(
    workspace({
      ...files,
      'z.yaml': deployment('other', 5, '            - name: http\n              containerPort: 80', 'app: other'),
    }),
    'shop/web',
  ).endpoints.map(e => e.endpoint);
  assert.deepEqual(after, before);
});

test('an illustrative ClusterIP comes from the service CIDR; default/kubernetes gets its first address', () => {
  const ws = workspace(
    {
      's.yaml': svc('default', 'kubernetes', '  ports:\n    - name: https\n      port: 443\n'),
      't.yaml': svc('shop', 'api', '  ports:\n    - port: 80\n'),
    },
    { serviceCIDR: '10.96.0.0/12' },
  );
  assert.equal(port(ws, 'default/kubernetes').clusterIP.value, '10.96.0.1');
  const ip = port(ws, 'shop/api').clusterIP.value.split('.').map(Number);
  assert.ok(ip[0] === 10 && ip[1] >= 96 && ip[1] <= 111, ip.join('.'));
});

test('NodePort without a nodePort gets an illustrative one in the range only when allocations are on', () => {
  const files = {
    's.yaml': svc('ns', 'np', '  type: NodePort\n  clusterIP: 10.96.0.50\n  ports:\n    - port: 80\n'),
    'e.yaml': slice('ns', 'np', null, [{ ip: '10.244.0.5' }]),
  };
  const on = port(workspace(files, { illustrativeAllocations: true }), 'ns/np');
  assert.ok(on.nodePort && on.nodePort.illustrative && on.nodePort.value >= 30000 && on.nodePort.value <= 32767);
  assert.ok(on.rules.some(r => r.role === 'nodeport'));
  const off = port(workspace(files, { illustrativeAllocations: false }), 'ns/np');
  assert.equal(off.nodePort, undefined);
  assert.ok(!off.rules.some(r => r.role === 'nodeport'));
});

test('proxy settings: mode and node from configuration, overrides win, junk falls back to defaults', () => {
  const ws = workspace({}, { mode: 'ipvs', nodeName: 'worker-7', clusterCIDR: 'not-a-cidr' });
  const s = proxySettings(ws);
  assert.equal(s.mode, 'ipvs');
  assert.equal(s.nodeName, 'worker-7');
  assert.notEqual(s.clusterCIDR.value, 'not-a-cidr');
  assert.equal(
    proxySettings(ws, { mode: 'nftables', nodeName: 'n2', clusterCIDR: '10.1.0.0/16' }).clusterCIDR.value,
    '10.1.0.0/16',
  );
  assert.equal(proxySettings(ws, { mode: 'nftables' }).mode, 'nftables');
});

test('IPVS mode lists a virtual server per address with every endpoint as a real server', () => {
  const ws = workspace({
    's.yaml': svc('ns', 's', '  clusterIP: 10.96.0.10\n  ports:\n    - name: p\n      port: 80\n'),
    'e.yaml': slice('ns', 's', 'p', [{ ip: '10.244.1.2' }, { ip: '10.244.2.3' }], 8080),
  });
  const text = ruleLines(ws, 'ipvs');
  assert.ok(text.includes('TCP  10.96.0.10:80 rr'));
  assert.equal(text.filter(l => /^ {2}-> 10\.244\.\d\.\d:8080/.test(l)).length, 2);
  assert.ok(text.includes('add KUBE-CLUSTER-IP 10.96.0.10,tcp:80'));
  assert.ok(findService(ws, 'ns/s'));
});

test('kube-proxy uses only the first address of an EndpointSlice endpoint, and serving defaults to true', () => {
  const s = svc('ns', 's', '  clusterIP: 172.30.9.9\n  ports:\n    - name: p\n      port: 80\n');
  const two = slice('ns', 's', 'p', [{ ip: '10.1.0.1' }]).replace(
    'addresses: ["10.1.0.1"]',
    'addresses: ["10.1.0.1", "10.1.0.99"]',
  );
  assert.deepEqual(
    port(workspace({ 's.yaml': s, 'e.yaml': two }), 'ns/s').endpoints.map(e => e.ip),
    ['10.1.0.1'],
  );
  // Not ready, terminating, serving absent: still a fallback endpoint while nothing is ready.
  const terminating = slice('ns', 's', 'p', [{ ip: '10.1.0.7', ready: false, terminating: true }]);
  assert.deepEqual(
    port(workspace({ 's.yaml': s, 'e.yaml': terminating }), 'ns/s').clusterEndpoints.map(w => w.endpoint.ip),
    ['10.1.0.7'],
  );
});
