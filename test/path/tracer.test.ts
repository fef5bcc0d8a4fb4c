import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tracePath, EntryError, PathModel } from '../../server/src/engine/path';
import {
  iptablesChainNames,
  servicePortName,
  computeProbability,
  sepChainName,
} from '../../server/src/engine/netfilter';
import { fixture, hops, branchesOf, failedHops, linkedText, linkedLine, lastTopHop } from './support';

const shop = () => fixture('shop');
const trace = (from: string, to?: string) => tracePath(shop(), { from, to });

function titles(m: PathModel): string[] {
  return hops(m).map(h => h.title);
}

test('ingress entry: the matched rule, then the backend Service endpoints, then the container', () => {
  const m = trace('ingress:shop.example.com/catalog');
  assert.equal(m.status, 'ok');
  const rule = hops(m).find(h => h.title.startsWith('Ingress shop/shop'))!;
  assert.match(rule.title, /path Prefix \/ → frontend:80/);
  assert.match(
    linkedText(shop(), rule.source).trim(),
    /^service:\s+name: frontend\s+port:\s+number: 80$/,
    'the hop links to the matched backend',
  );
  const branches = branchesOf(m);
  assert.equal(branches.length, 3, 'one branch per frontend replica');
  assert.ok(branches.every(b => b.hops.at(-1)!.title === 'Container web listens on 8080/TCP'));
});

test('ingress entry into a policy-isolated backend: the controller pod is not admitted', () => {
  const m = trace('ingress:shop.example.com/cart');
  assert.equal(m.status, 'failed');
  assert.match(hops(m).find(h => h.title.startsWith('Ingress shop/shop'))!.title, /path Exact \/cart → cart:grpc/);
  const drops = failedHops(m);
  assert.equal(drops.length, 2);
  assert.ok(
    drops.every(
      h =>
        h.title ===
        'NetworkPolicy dropped: selected by cart-allow-frontend, no ingress rule admits the ingress controller pod on 7070/TCP',
    ),
  );
});

test('nodeport entry walks KUBE-SERVICES → KUBE-NODEPORTS → KUBE-EXT → KUBE-SVC and masquerades', () => {
  const m = trace('nodeport:30080');
  assert.equal(m.status, 'ok');
  const chains = iptablesChainNames(servicePortName('shop', 'frontend', 'http'), 'tcp');
  const t = titles(m);
  assert.ok(t.includes('KUBE-SERVICES → KUBE-NODEPORTS'));
  assert.ok(t.includes(`KUBE-NODEPORTS: shop/frontend:http → ${chains.ext}`));
  assert.ok(t.includes(`${chains.ext}: mark for masquerade → ${chains.svc}`));
  assert.ok(t.includes(`${chains.svc}: 3 endpoints, 1/3 each`));
  assert.equal(
    t.filter(x => x.startsWith('KUBE-POSTROUTING: MASQUERADE')).length,
    3,
    'every branch is SNAT-ed (externalTrafficPolicy: Cluster)',
  );
  const nodePortHop = hops(m).find(h => h.title.startsWith('KUBE-NODEPORTS'))!;
  assert.equal(linkedText(shop(), nodePortHop.source), '30080');
});

test('a load-balanced branch per endpoint with kube-proxy probabilities that add up to 1', () => {
  const m = trace('nodeport:30080');
  const branches = branchesOf(m);
  assert.equal(branches.length, 3);
  assert.deepEqual(
    branches.map(b => b.probabilityText.split(' ')[1]),
    [computeProbability(3), computeProbability(2), 'rule,'],
  );
  assert.ok(Math.abs(branches.reduce((s, b) => s + b.probability, 0) - 1) < 1e-9);
  const eps = branches.map(b => b.label.split(' ')[1]);
  assert.deepEqual([...eps].sort(), eps, 'kube-proxy order: endpoints sorted as "ip:port" strings');
});

test("lb entry by its status IP, externalTrafficPolicy Local keeps only this node's endpoints", () => {
  const m = trace('lb:203.0.113.10');
  assert.equal(m.status, 'ok');
  const chains = iptablesChainNames(servicePortName('shop', 'frontend-lb', 'http'), 'tcp');
  assert.ok(titles(m).includes(`KUBE-SERVICES: shop/frontend-lb:http loadbalancer IP → ${chains.ext}`));
  assert.ok(titles(m).some(x => x.startsWith(`${chains.ext}: externalTrafficPolicy Local → ${chains.svl}`)));
  const branches = branchesOf(m);
  assert.equal(branches.length, 1, 'of 3 frontend replicas on 3 nodes, one is local to the receiving node');
  assert.match(branches[0].label, /on node-1$/);
  assert.ok(!titles(m).some(x => x.startsWith('KUBE-POSTROUTING')), 'Local keeps the client address: no masquerade');
});

test('externalIP entry', () => {
  const m = trace('externalip:198.51.100.7:8000');
  assert.equal(m.status, 'ok');
  assert.ok(titles(m).some(x => x.startsWith('KUBE-SERVICES: shop/frontend-ext:http external IP')));
  assert.equal(branchesOf(m).length, 3);
});

test('pod entry: DNS, ClusterIP, a same-node and a cross-node delivery, NetworkPolicy allow', () => {
  const m = trace('pod:shop/frontend', 'cart:7070');
  assert.equal(m.status, 'ok');
  const dns = hops(m).find(h => h.lane === 'dns')!;
  assert.match(dns.title, /^cart\.shop\.svc\.cluster\.local → ClusterIP /);
  const clientNode = /on (node-\d+)/.exec(m.hops[0].detail[0])![1];
  const branches = branchesOf(m);
  assert.equal(branches.length, 2);
  for (const b of branches) {
    const node = /on (node-\d+)$/.exec(b.label)![1];
    const route = b.hops.find(h => h.lane === 'network')!;
    if (node === clientNode) {
      assert.match(route.title, /^Same node \(node-\d+\): cni0 bridge → veth$/);
    } else {
      assert.match(route.title, /^Cross-node: route 10\.244\.\d+\.0\/24 via node-\d+$/);
      assert.match(route.detail.join(' '), /VXLAN/);
      assert.ok(b.hops.some(h => /decapsulate/.test(h.title)));
    }
    const policy = b.hops.find(h => h.title.startsWith('NetworkPolicy'))!;
    assert.equal(policy.title, 'NetworkPolicy: allowed by cart-allow-frontend ingress rule 1');
    assert.equal(linkedLine(shop(), policy.source).trim(), '- from:');
  }
  assert.ok(
    branches.some(b => b.label.endsWith(clientNode)),
    'one endpoint shares the client node',
  );
  assert.ok(
    branches.some(b => !b.label.endsWith(clientNode)),
    'one endpoint is elsewhere',
  );
});

test('NetworkPolicy drop: a pod the policy does not admit is dropped at the destination', () => {
  const m = trace('pod:shop/intruder', 'cart.shop:grpc');
  assert.equal(m.status, 'failed');
  const dropped = failedHops(m);
  assert.equal(dropped.length, 2, 'both endpoints drop it');
  for (const h of dropped) {
    assert.match(
      h.title,
      /^NetworkPolicy dropped: selected by cart-allow-frontend, no ingress rule admits pod intruder-0 on 7070\/TCP$/,
    );
    assert.equal(linkedText(shop(), h.source).trim().split('\n')[0], 'matchLabels:');
  }
});

test('egress isolation without a DNS rule fails at the DNS query', () => {
  const m = trace('pod:shop/locked', 'cart:7070');
  assert.equal(m.status, 'failed');
  const last = lastTopHop(m);
  assert.equal(last.lane, 'dns');
  assert.match(last.title, /^DNS query dropped: selected by locked-deny-egress/);
});

test('headless Service: DNS returns pod addresses and kube-proxy is not involved', () => {
  const m = trace('pod:shop/frontend', 'cart-headless:7070');
  assert.equal(m.status, 'ok');
  assert.match(hops(m).find(h => h.lane === 'dns')!.title, /pod addresses \(headless\)/);
  assert.ok(!hops(m).some(h => h.lane === 'node-netfilter'), 'no netfilter hop');
  assert.equal(branchesOf(m).length, 2);
});

test('ExternalName Service: a CNAME and the path leaves the cluster', () => {
  const m = trace('pod:shop/frontend', 'payments:443');
  assert.equal(m.status, 'ok');
  const last = lastTopHop(m);
  assert.equal(last.title, 'payments.shop.svc.cluster.local → CNAME payments.example.net');
  assert.equal(linkedText(shop(), last.source), 'payments.example.net');
});

test('container entry: localhost reaches the container that listens in the shared netns', () => {
  const m = trace('container:shop/frontend/web', 'localhost:9090');
  assert.equal(m.status, 'ok');
  assert.equal(lastTopHop(m).title, 'Container metrics listens on 9090/TCP');
  const self = trace('container:shop/frontend/web', 'localhost:8080');
  assert.equal(lastTopHop(self).title, 'Container web (the caller itself) listens on 8080/TCP');
  const none = trace('container:shop/frontend/web', 'localhost:5000');
  assert.equal(none.status, 'failed');
  assert.match(lastTopHop(none).title, /Nothing declares 5000\/TCP in this pod/);
  const clash = trace('container:shop/clash/app', 'localhost:8080');
  assert.equal(clash.status, 'failed');
  assert.equal(lastTopHop(clash).rule, 'pod-port-conflict');
  assert.equal(linkedLine(shop(), lastTopHop(clash).source).trim(), '- containerPort: 8080');
  const line = lastTopHop(clash).source!.range.start.line;
  assert.equal(
    shop()
      .file(lastTopHop(clash).source!.fileId)!
      .locator.lines.lineText(line - 3)
      .trim(),
    '- name: proxy',
    'links the second declaration',
  );
});

test('an external entry with --to continues from the pod that received the packet', () => {
  const m = trace('nodeport:30080', 'cart:7070');
  assert.equal(m.status, 'ok');
  const then = m.hops.find(h => h.title.startsWith('then Deployment frontend'))!;
  assert.ok(then, 'a continuation hop');
  assert.ok(m.hops.indexOf(then) > m.hops.findIndex(h => h.branches?.length));
  assert.ok(hops(m).some(h => h.title === 'Container server listens on 7070/TCP'));
});

test('pod and container entries need a destination; unknown workloads fail with a hint', () => {
  assert.throws(() => trace('pod:shop/frontend'), EntryError);
  const m = trace('pod:shop/frontedn', 'cart:7070');
  assert.equal(m.status, 'failed');
  assert.match(m.hops[0].detail.join(' '), /Did you mean frontend\?/);
});

test('the address plan decides the pod blocks and how cross-node traffic travels', () => {
  const ws = fixture('shop', 'cni-hostgw');
  const m = tracePath(ws, { from: 'pod:shop/frontend', to: 'cart:7070' });
  const cross = hops(m).find(h => h.title.startsWith('Cross-node'))!;
  assert.match(
    cross.title,
    /^Cross-node: route 10\.50\.\d+\.0\/24 via node-\d+$/,
    "blocks come from flannel's Network 10.50.0.0/16",
  );
  assert.match(cross.detail[0], /unencapsulated .*\(host-gw/);
  assert.ok(!hops(m).some(h => /decapsulate/.test(h.title)));
  assert.match(linkedLine(ws, cross.source), /host-gw|Network|"Type"/, 'links the CNI configuration');
  // Without a CNI configuration the default (flannel VXLAN) is used and labelled as such.
  const def = hops(trace('pod:shop/frontend', 'cart:7070')).find(h => h.title.startsWith('Cross-node'))!;
  assert.match(def.detail.join(' '), /VXLAN \(flannel\.1, UDP 8472\)/);
  assert.match(def.detail.join(' '), /default/);
});

test('a workload defined in two alternative files has its replicas once', () => {
  const m = tracePath(fixture('dup'), { from: 'nodeport:30090' });
  assert.equal(m.status, 'ok');
  const branches = branchesOf(m);
  assert.equal(branches.length, 2, 'replicas: 2, not 4');
  assert.equal(branches[0].probabilityText, `--probability ${computeProbability(2)} (1/2 overall)`);
  assert.ok(
    branches[0].hops[0].detail.some(d => d.includes(`--probability ${computeProbability(2)}`)),
    'the statistic rule carries the re-weighed probability',
  );
  assert.ok(m.assumptions.some(a => /defined in more than one file/.test(a)));
});

test('real EndpointSlices: their addresses, nodes and exact KUBE-SEP names', () => {
  const ws = fixture('slices');
  const m = tracePath(ws, { from: 'pod:data/app', to: 'db:5432' });
  assert.equal(m.status, 'ok');
  assert.match(
    hops(m).find(h => h.lane === 'dns')!.title,
    /→ ClusterIP 10\.96\.44\.5$/,
    'the ClusterIP written in the YAML',
  );
  const branches = branchesOf(m);
  // kube-proxy sorts "ip:port" as strings: 10.244.0.10 before 10.244.2.9.
  assert.deepEqual(
    branches.map(b => b.label),
    ['endpoint 10.244.0.10:5432 on node-1', 'db-1 10.244.2.9:5432 on node-3'],
    'pod names from targetRef',
  );
  const spn = servicePortName('data', 'db', 'pg');
  for (const b of branches) {
    const ep = b.label.split(' ')[1];
    assert.equal(b.hops[0].title, `${sepChainName(spn, 'tcp', ep)}: DNAT to ${ep}`);
    assert.match(b.hops[0].detail.join(' '), /from EndpointSlice db-x7k2p/);
    assert.equal(
      b.hops.at(-1)!.title,
      'Container postgres listens on 5432/TCP',
      'the template behind the slice still names the container',
    );
  }
  assert.match(branches[0].hops.find(h => h.lane === 'network')!.title, /^Same node \(node-1\)/);
  assert.match(
    branches[1].hops.find(h => h.lane === 'network')!.title,
    /^Cross-node: route 10\.244\.2\.0\/24 via node-3$/,
  );
});

test('ipBlock peers: 0.0.0.0/0 admits any external client, named ports resolve in the pod', () => {
  const m = tracePath(fixture('public'), { from: 'nodeport:30081' });
  assert.equal(m.status, 'ok');
  const verdicts = hops(m).filter(h => h.title.startsWith('NetworkPolicy'));
  assert.ok(verdicts.length > 0);
  assert.ok(
    verdicts.every(h => h.title === 'NetworkPolicy: allowed by web-from-anywhere ingress rule 1'),
    verdicts.map(h => h.title).join('\n'),
  );
});
