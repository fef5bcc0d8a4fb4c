import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, linesOf, modelOf, namespace, wl } from './support';

const ALL = 'All Connections';

describe('connectivity: NetworkPolicy v1', () => {
  it('without policies every workload reaches every other and the whole address space, both ways', () => {
    const m = modelOf({
      'a.yaml': deployment('ns1', 'a', { app: 'a' }),
      'b.yaml': deployment('ns2', 'b', { app: 'b' }),
    });
    assert.deepEqual(linesOf(m), [
      `0.0.0.0-255.255.255.255[External] => ns1/a[Deployment] : ${ALL}`,
      `0.0.0.0-255.255.255.255[External] => ns2/b[Deployment] : ${ALL}`,
      `ns1/a[Deployment] => 0.0.0.0-255.255.255.255[External] : ${ALL}`,
      `ns1/a[Deployment] => ns2/b[Deployment] : ${ALL}`,
      `ns2/b[Deployment] => 0.0.0.0-255.255.255.255[External] : ${ALL}`,
      `ns2/b[Deployment] => ns1/a[Deployment] : ${ALL}`,
    ]);
  });

  it('policyTypes defaults: Ingress always, Egress only when egress rules are present', () => {
    const base = { 'a.yaml': deployment('ns', 'a', { app: 'a' }), 'b.yaml': deployment('ns', 'b', { app: 'b' }) };
    // Egress rules without policyTypes: both directions isolated; ingress has no rule, so nothing enters.
    const withEgress = modelOf({
      ...base,
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns}
spec:
  podSelector: {matchLabels: {app: a}}
  egress:
  - to: [{podSelector: {matchLabels: {app: b}}}]
`,
    });
    assert.equal(
      withEgress.allowed(wl(withEgress, 'ns/b[Deployment]'), wl(withEgress, 'ns/a[Deployment]')).toString(),
      'No Connections',
    );
    assert.equal(
      withEgress.allowed(wl(withEgress, 'ns/a[Deployment]'), wl(withEgress, 'ns/b[Deployment]')).toString(),
      ALL,
    );
    // `egress: []` is no egress rule: the policy isolates ingress only.
    const emptyEgress = modelOf({
      ...base,
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns}
spec:
  podSelector: {matchLabels: {app: a}}
  egress: []
`,
    });
    assert.equal(
      emptyEgress.allowed(wl(emptyEgress, 'ns/a[Deployment]'), wl(emptyEgress, 'ns/b[Deployment]')).toString(),
      ALL,
    );
    assert.equal(
      emptyEgress.allowed(wl(emptyEgress, 'ns/b[Deployment]'), wl(emptyEgress, 'ns/a[Deployment]')).toString(),
      'No Connections',
    );
  });

  it('namespaceSelector and podSelector in one peer mean both; in two peers either', () => {
    const files = {
      'ns.yaml': [namespace('prod', { env: 'prod' }), namespace('dev', { env: 'dev' }), namespace('db')].join('---\n'),
      'db.yaml': deployment('db', 'db', { app: 'db' }),
      'p1.yaml': deployment('prod', 'api', { role: 'api' }),
      'p2.yaml': deployment('prod', 'web', { role: 'web' }),
      'd1.yaml': deployment('dev', 'api', { role: 'api' }),
    };
    const and = modelOf({
      ...files,
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: db}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {env: prod}}
      podSelector: {matchLabels: {role: api}}
`,
    });
    const into = (m: typeof and) =>
      linesOf(m)
        .filter(l => l.includes('=> db/db'))
        .map(l => l.split(' => ')[0]);
    assert.deepEqual(into(and), ['prod/api[Deployment]']);
    const or = modelOf({
      ...files,
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: db}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {env: prod}}
    - podSelector: {matchLabels: {role: api}}
`,
    });
    // podSelector alone selects in the policy's own namespace (db has no role=api pod).
    assert.deepEqual(into(or), ['prod/api[Deployment]', 'prod/web[Deployment]']);
  });

  it('the implicit kubernetes.io/metadata.name label selects namespaces with or without a Namespace object', () => {
    const m = modelOf({
      'a.yaml': deployment('alpha', 'a', { app: 'a' }),
      'b.yaml': deployment('beta', 'b', { app: 'b' }),
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: beta}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: alpha}}
`,
    });
    assert.equal(m.allowed(wl(m, 'alpha/a[Deployment]'), wl(m, 'beta/b[Deployment]')).toString(), ALL);
  });

  it('ipBlock with except splits the address space and never matches pods', () => {
    const m = modelOf({
      'a.yaml': deployment('ns', 'a', { app: 'a' }),
      'b.yaml': deployment('ns', 'b', { app: 'b' }),
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns}
spec:
  podSelector: {matchLabels: {app: a}}
  ingress:
  - from:
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports: [{port: 443}]
`,
    });
    const into = linesOf(m).filter(l => l.includes('=> ns/a'));
    assert.deepEqual(into, [
      '10.0.0.0-10.0.255.255[External] => ns/a[Deployment] : TCP 443',
      '10.2.0.0-10.255.255.255[External] => ns/a[Deployment] : TCP 443',
    ]);
    assert.equal(m.allowed(wl(m, 'ns/b[Deployment]'), wl(m, 'ns/a[Deployment]')).toString(), 'No Connections');
    assert.deepEqual(
      m.externalSources.map(r => r.id),
      [
        '0.0.0.0-9.255.255.255[External]',
        '10.0.0.0-10.0.255.255[External]',
        '10.1.0.0-10.1.255.255[External]',
        '10.2.0.0-10.255.255.255[External]',
        '11.0.0.0-255.255.255.255[External]',
      ],
    );
    // Egress was not restricted, so destinations stay one range.
    assert.deepEqual(
      m.externalDestinations.map(r => r.id),
      ['0.0.0.0-255.255.255.255[External]'],
    );
    assert.equal(m.allowed(wl(m, 'ns/b[Deployment]'), { kind: 'address', ip: '10.1.2.3' }).toString(), ALL);
  });

  it('ports: endPort ranges, protocol-only entries, empty ports and peers', () => {
    const m = modelOf({
      'a.yaml': deployment('ns', 'a', { app: 'a' }),
      'b.yaml': deployment('ns', 'b', { app: 'b' }),
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns}
spec:
  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: b}}}]
    ports:
    - {port: 8080, endPort: 8090}
    - {protocol: UDP}
    - {protocol: SCTP, port: 9000}
  - from: []
    ports: [{port: 22}]
`,
    });
    assert.equal(
      m.allowed(wl(m, 'ns/b[Deployment]'), wl(m, 'ns/a[Deployment]')).toString(),
      'SCTP 9000,TCP 22,8080-8090,UDP 1-65535',
    );
    // An empty `from` admits every source, addresses outside the cluster included.
    assert.equal(m.allowed({ kind: 'address', ip: '203.0.113.9' }, wl(m, 'ns/a[Deployment]')).toString(), 'TCP 22');
  });

  it('named ports resolve on each destination, and only with the rule protocol', () => {
    const m = modelOf({
      'c.yaml': deployment('ns', 'client', { app: 'client' }),
      'h.yaml': deployment('ns', 'http', { tier: 'srv' }, ['web:8080']),
      'g.yaml': deployment('ns', 'grpc', { tier: 'srv' }, ['web:9090']),
      'u.yaml': deployment('ns', 'udp', { tier: 'srv' }, ['web:5353/UDP']),
      'n.yaml': deployment('ns', 'none', { tier: 'srv' }),
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns}
spec:
  podSelector: {matchLabels: {tier: srv}}
  ingress:
  - ports: [{port: web}]
`,
    });
    const c = wl(m, 'ns/client[Deployment]');
    assert.equal(m.allowed(c, wl(m, 'ns/http[Deployment]')).toString(), 'TCP 8080');
    assert.equal(m.allowed(c, wl(m, 'ns/grpc[Deployment]')).toString(), 'TCP 9090');
    assert.equal(m.allowed(c, wl(m, 'ns/udp[Deployment]')).toString(), 'No Connections');
    assert.equal(m.allowed(c, wl(m, 'ns/none[Deployment]')).toString(), 'No Connections');
    // Same selectors, different port resolution: different equivalence classes.
    const classes = m.equivalenceClasses().map(c =>
      c
        .map(w => w.name)
        .sort()
        .join(','),
    );
    assert.ok(!classes.includes('grpc,http'), classes.join(' | '));
  });

  it('pods exported from a live cluster are grouped under their controller; bare pods stay pods', () => {
    const m = modelOf({
      'pods.yaml': `apiVersion: v1
kind: PodList
items:
- metadata:
    name: web-7d4b9-abcde
    namespace: shop
    labels: {app: web}
    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9, controller: true}]
  spec: {containers: [{name: web, image: x}]}
- metadata:
    name: web-7d4b9-fghij
    namespace: shop
    labels: {app: web}
    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9, controller: true}]
  spec: {containers: [{name: web, image: x}]}
- metadata:
    name: debug
    namespace: shop
    labels: {app: debug}
  spec: {containers: [{name: sh, image: busybox}]}
`,
    });
    assert.deepEqual(
      m.workloads.map(w => w.id),
      ['shop/debug[Pod]', 'shop/web-7d4b9[ReplicaSet]'],
    );
    assert.equal(m.workload('shop/web-7d4b9[ReplicaSet]')!.resources.length, 2);
  });

  it("a controller owned by another (a Deployment's ReplicaSet) is part of its owner's workload, not a second one", () => {
    const m = modelOf({
      'deploy.yaml': deployment('shop', 'web', { app: 'web' }, ['8080']),
      'rs.yaml': `apiVersion: apps/v1
kind: ReplicaSetList
items:
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: web-7d4b9
    namespace: shop
    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true}]
  spec:
    selector: {matchLabels: {app: web, pod-template-hash: 7d4b9}}
    template:
      metadata: {labels: {app: web, pod-template-hash: 7d4b9}}
      spec: {containers: [{name: main, image: x, ports: [{containerPort: 8080}]}]}
`,
      'job.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: report-28000000
  namespace: shop
  ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: report, controller: true}]
spec:
  template:
    metadata: {labels: {job: report}}
    spec: {containers: [{name: main, image: x}]}
`,
      'operated.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: operated
  namespace: shop
  ownerReferences: [{apiVersion: example.com/v1, kind: MyApp, name: app, controller: true}]
spec:
  selector: {matchLabels: {app: operated}}
  template:
    metadata: {labels: {app: operated}}
    spec: {containers: [{name: main, image: x}]}
`,
    });
    // An owner that is not a workload controller (an operator's custom resource) renames nothing.
    assert.deepEqual(
      m.workloads.map(w => w.id),
      ['shop/operated[Deployment]', 'shop/report[CronJob]', 'shop/web[Deployment]'],
    );
    assert.equal(m.workload('shop/web[Deployment]')!.resources.length, 2);
  });

  it('explains the deciding rule with a link to its YAML', () => {
    const m = modelOf({
      'a.yaml': deployment('ns', 'a', { app: 'a' }),
      'b.yaml': deployment('ns', 'b', { app: 'b' }),
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-b, namespace: ns}
spec:
  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: b}}}]
    ports: [{port: 80}]
`,
    });
    const e = m.explain(wl(m, 'ns/b[Deployment]'), wl(m, 'ns/a[Deployment]'));
    assert.equal(e.allowed.toString(), 'TCP 80');
    const allow = e.ingress.decisions.find(d => d.verdict === 'allow')!;
    assert.equal(allow.policy!.name, 'allow-b');
    assert.deepEqual(allow.rule!.source, { fileId: '/ws/np.yaml', anchor: { doc: 0, path: ['spec', 'ingress', 0] } });
    const deny = e.ingress.decisions.find(d => d.verdict === 'deny')!;
    assert.equal(deny.connections.has('TCP', 81), true);
    assert.equal(deny.isolatedBy![0].name, 'allow-b');
    assert.equal(e.egress.decisions[0].tier, 'default');
  });

  it('answers for hypothetical pods that no manifest declares yet', () => {
    const m = modelOf({
      'a.yaml': deployment('ns', 'a', { app: 'a' }),
      'np.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns}
spec:
  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: client}}}]
`,
    });
    const a = wl(m, 'ns/a[Deployment]');
    assert.equal(m.allowed({ kind: 'pod', namespace: 'ns', labels: { role: 'client' } }, a).toString(), ALL);
    assert.equal(
      m.allowed({ kind: 'pod', namespace: 'other', labels: { role: 'client' } }, a).toString(),
      'No Connections',
    );
  });
});
