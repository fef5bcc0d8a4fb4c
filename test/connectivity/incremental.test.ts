import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine';
import { connectivityOf, connectivityOfResources, connectivityText } from '../../server/src/engine/connectivity';
import { jsonResources } from '../../server/src/engine/connectivity/sources';
import { deployment, namespace } from './support';

const policy = (port: number, from: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: ${from}}}}]
    ports: [{port: ${port}}]
`;

/** The workloads each policy selects, in policy order: what hovers and code lenses show. */
const selections = (m: ReturnType<typeof connectivityOf>) =>
  m.policies.all.map(p =>
    m
      .workloadsSelectedBy(p)
      .map(w => w.id)
      .join(','),
  );

describe('connectivity: updates after edits', () => {
  it('keeps the model when an edit touches nothing connectivity reads', () => {
    const ws = new Workspace();
    ws.setFile('/ws/a.yaml', deployment('shop', 'api', { app: 'api' }));
    ws.setFile(
      '/ws/cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {a: "1"}\n',
    );
    const m = connectivityOf(ws);
    ws.setFile(
      '/ws/cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {a: "2"}\n',
    );
    assert.equal(connectivityOf(ws), m);
  });

  it('after each edit, answers equal those of a model built from scratch', () => {
    const ws = new Workspace();
    ws.setFile('/ws/ns.yaml', [namespace('shop', { team: 'a' }), namespace('ops', { team: 'b' })].join('---\n'));
    ws.setFile('/ws/api.yaml', deployment('shop', 'api', { app: 'api' }, ['http:8080']));
    ws.setFile('/ws/web.yaml', deployment('shop', 'web', { app: 'web' }));
    ws.setFile('/ws/mon.yaml', deployment('ops', 'mon', { app: 'mon' }));
    ws.setFile('/ws/np.yaml', policy(8080, 'web'));
    const edits: [string, string][] = [
      ['/ws/np.yaml', policy(9090, 'web')],
      ['/ws/np.yaml', policy(9090, 'mon')],
      ['/ws/mon.yaml', deployment('shop', 'mon', { app: 'mon' })],
      ['/ws/ns.yaml', [namespace('shop', { team: 'c' }), namespace('ops', { team: 'b' })].join('---\n')],
      ['/ws/web.yaml', deployment('shop', 'web', { app: 'api' }, ['http:9090'])],
      ['/ws/np.yaml', policy(8080, 'web')],
    ];
    connectivityText(connectivityOf(ws));
    for (const [file, text] of edits) {
      ws.setFile(file, text);
      const incremental = connectivityOf(ws);
      const fresh = connectivityOfResources(ws.resources());
      assert.equal(connectivityText(incremental), connectivityText(fresh), `after editing ${file}`);
    }
  });
  it('after label edits of single workloads, answers and selections equal those of a model built from scratch', () => {
    const ws = new Workspace();
    ws.setFile('/ws/ns.yaml', [namespace('shop', { team: 'a' }), namespace('ops', { team: 'b' })].join('---\n'));
    ws.setFile('/ws/api.yaml', deployment('shop', 'api', { app: 'api' }, ['http:8080']));
    ws.setFile('/ws/api2.yaml', deployment('shop', 'api2', { app: 'api' }, ['http:8080']));
    ws.setFile('/ws/web.yaml', deployment('shop', 'web', { app: 'web' }));
    ws.setFile('/ws/mon.yaml', deployment('ops', 'mon', { app: 'mon' }));
    ws.setFile('/ws/np.yaml', policy(8080, 'web'));
    // Each edit moves one workload: out of a shared class, into a new one, into an existing one,
    // leaving a class empty; then a workload appears and one goes away.
    const edits: [string, string][] = [
      ['/ws/api2.yaml', deployment('shop', 'api2', { app: 'api-canary' }, ['http:8080'])],
      ['/ws/web.yaml', deployment('shop', 'web', { app: 'web-canary' })],
      ['/ws/api2.yaml', deployment('shop', 'api2', { app: 'web' }, ['http:8080'])],
      ['/ws/web.yaml', deployment('shop', 'web', { app: 'api' }, ['http:9090'])],
      ['/ws/api2.yaml', deployment('shop', 'api2', { app: 'api' }, ['http:8080'])],
      ['/ws/web.yaml', deployment('shop', 'web', { app: 'web' })],
      ['/ws/new.yaml', deployment('shop', 'new', { app: 'web' })],
      ['/ws/mon.yaml', ''],
    ];
    const before = connectivityOf(ws);
    connectivityText(before);
    const beforeText = connectivityText(before);
    for (const [file, text] of edits) {
      ws.setFile(file, text);
      const incremental = connectivityOf(ws);
      const fresh = connectivityOfResources(ws.resources());
      assert.equal(connectivityText(incremental), connectivityText(fresh), `after editing ${file}`);
      assert.deepEqual(selections(incremental), selections(fresh), `after editing ${file}`);
      assert.equal(incremental.classCount, fresh.classCount, `after editing ${file}`);
    }
    // The older version still answers as before the edits.
    assert.equal(connectivityText(before), beforeText);
  });
  it('after port edits of NetworkPolicies in one namespace, answers in every namespace equal a fresh model', () => {
    const ops = (port: number) => policy(port, 'api').replace('namespace: shop', 'namespace: ops');
    const ws = new Workspace();
    ws.setFile('/ws/ns.yaml', [namespace('shop'), namespace('ops')].join('---\n'));
    ws.setFile('/ws/api.yaml', deployment('shop', 'api', { app: 'api' }, ['http:8080']));
    ws.setFile('/ws/web.yaml', deployment('shop', 'web', { app: 'web' }));
    ws.setFile('/ws/ops-api.yaml', deployment('ops', 'api', { app: 'api' }));
    ws.setFile('/ws/ops-web.yaml', deployment('ops', 'web', { app: 'api' }));
    ws.setFile('/ws/np.yaml', policy(8080, 'web'));
    ws.setFile('/ws/ops-np.yaml', ops(80));
    connectivityText(connectivityOf(ws));
    const edits: [string, string][] = [
      ['/ws/ops-np.yaml', ops(81)],
      ['/ws/np.yaml', policy(9090, 'web')],
      ['/ws/ops-np.yaml', ops(80)],
      ['/ws/np.yaml', policy(8080, 'web')],
    ];
    for (const [file, text] of edits) {
      ws.setFile(file, text);
      const incremental = connectivityOf(ws);
      const fresh = connectivityOfResources(ws.resources());
      assert.equal(connectivityText(incremental), connectivityText(fresh), `after editing ${file}`);
    }
  });

  it('after edits that add, remove, move and regroup objects, the patched model equals a fresh one', () => {
    // Bare pods grouped under one ReplicaSet owner: a workload made of several objects.
    const pod = (name: string, app: string, owner?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  labels: {app: ${app}}
${owner ? `  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}, controller: true}]\n` : ''}spec:
  containers: [{name: c, image: x, ports: [{containerPort: 8080, name: http}]}]
`;
    const json = (app: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'live', namespace: 'ops', labels: { app } },
            spec: { containers: [{ name: 'c', image: 'x' }] },
          },
        ],
      });
    const opsMon = (app: string) => deployment('ops', 'mon', { app }, ['http:8080']);
    const teamPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: team, namespace: ops}
spec:
  podSelector: {}
  egress:
  - to: [{namespaceSelector: {matchLabels: {team: c}}, podSelector: {matchLabels: {app: web}}}]
`;
    const ws = new Workspace();
    ws.setFile('/ws/ns.yaml', [namespace('shop', { team: 'a' }), namespace('ops', { team: 'b' })].join('---\n'));
    ws.setFile('/ws/api.yaml', deployment('shop', 'api', { app: 'api' }, ['http:8080']));
    ws.setFile('/ws/web.yaml', deployment('shop', 'web', { app: 'web' }));
    ws.setFile('/ws/pods.yaml', [pod('rs-a', 'api', 'rs'), pod('rs-b', 'api', 'rs')].join('---\n'));
    ws.setFile('/ws/np.yaml', policy(8080, 'web'));
    // Admits pods of namespaces labelled team=c: namespace label edits move workloads between classes.
    ws.setFile('/ws/team.yaml', teamPolicy);
    ws.setFile('/ws/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n');
    ws.setFile('/ws/live.json', json('mon'));
    const edits: [string, string][] = [
      // a label edit (the common one), and its revert
      ['/ws/api.yaml', deployment('shop', 'api', { app: 'api-canary' }, ['http:8080'])],
      ['/ws/api.yaml', deployment('shop', 'api', { app: 'api' }, ['http:8080'])],
      // the Deployment moves to another file (removed from one, added in the other)
      ['/ws/api.yaml', ''],
      ['/ws/moved.yaml', deployment('shop', 'api', { app: 'api' }, ['http:8080'])],
      // one pod of a group goes, another joins it, a bare pod appears
      ['/ws/pods.yaml', pod('rs-b', 'api', 'rs')],
      ['/ws/more.yaml', [pod('rs-c', 'web', 'rs'), pod('bare', 'web')].join('---\n')],
      ['/ws/pods.yaml', [pod('rs-a', 'web', 'rs'), pod('rs-b', 'api', 'rs')].join('---\n')],
      // the group keeps two objects of another file, in order (the first one's labels stand for it)
      ['/ws/more.yaml', [pod('rs-c', 'mon', 'rs'), pod('bare', 'api')].join('---\n')],
      // the same object defined twice, then once
      ['/ws/dup.yaml', deployment('shop', 'web', { app: 'api' })],
      ['/ws/dup.yaml', ''],
      // a namespace label, a policy and a JSON pod list change; an object connectivity ignores
      ['/ws/ns.yaml', [namespace('shop', { team: 'c' }), namespace('ops', { team: 'b' })].join('---\n')],
      // namespace labels and a workload of that namespace change in one file
      ['/ws/ns.yaml', [namespace('shop', { team: 'c' }), namespace('ops', { team: 'b' }), opsMon('mon')].join('---\n')],
      ['/ws/ns.yaml', [namespace('shop', { team: 'b' }), namespace('ops', { team: 'c' }), opsMon('web')].join('---\n')],
      ['/ws/np.yaml', policy(9090, 'api')],
      // a file holding a policy and a workload, as generated workspaces have them: the workload's
      // label changes, the policy is read again unchanged, then its port changes
      [
        '/ws/both.yaml',
        [policy(8080, 'web').replace('name: api', 'name: both'), deployment('shop', 'b', { app: 'x' })].join('---\n'),
      ],
      [
        '/ws/both.yaml',
        [policy(8080, 'web').replace('name: api', 'name: both'), deployment('shop', 'b', { app: 'web' })].join('---\n'),
      ],
      [
        '/ws/both.yaml',
        [policy(8081, 'web').replace('name: api', 'name: both'), deployment('shop', 'b', { app: 'web' })].join('---\n'),
      ],
      // a policy with a problem (an invalid peer), then without
      [
        '/ws/both.yaml',
        [policy(8081, 'web').replace('- from: [', '- from: [{}, '), deployment('shop', 'b', { app: 'web' })].join(
          '---\n',
        ),
      ],
      ['/ws/both.yaml', [policy(8081, 'web'), deployment('shop', 'b', { app: 'api' })].join('---\n')],
      ['/ws/live.json', json('web')],
      ['/ws/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ops}\n'],
      // a workload and the namespace object go away
      ['/ws/web.yaml', ''],
      ['/ws/ns.yaml', namespace('ops', { team: 'b' })],
    ];
    const before = connectivityOf(ws);
    const beforeText = connectivityText(before);
    for (const [file, text] of edits) {
      if (text) ws.setFile(file, text);
      else ws.removeFile(file);
      const incremental = connectivityOf(ws);
      const fresh = connectivityOfResources(ws.resources().concat(jsonResources(ws.file('/ws/live.json')!, 'default')));
      const what = `after editing ${file}`;
      assert.equal(connectivityText(incremental), connectivityText(fresh), what);
      assert.deepEqual(
        incremental.workloads.map(w => `${w.id} ${w.resources.map(r => r.name).join(',')}`),
        fresh.workloads.map(w => `${w.id} ${w.resources.map(r => r.name).join(',')}`),
        what,
      );
      assert.deepEqual(selections(incremental), selections(fresh), what);
      assert.equal(incremental.classCount, fresh.classCount, what);
      assert.deepEqual(incremental.warnings, fresh.warnings, what);
      // By namespace: patched from the previous version's grouping, asked for here one edit earlier.
      for (const ns of ['shop', 'ops', 'default'])
        assert.deepEqual(
          incremental.workloadsIn(ns).map(w => w.id),
          fresh.workloadsIn(ns).map(w => w.id),
          `${what}: workloads in ${ns}`,
        );
      assert.deepEqual(
        incremental
          .equivalenceClasses()
          .map(c => c.map(w => w.id).join(','))
          .sort(),
        fresh
          .equivalenceClasses()
          .map(c => c.map(w => w.id).join(','))
          .sort(),
        what,
      );
    }
    assert.equal(connectivityText(before), beforeText, 'the first version still answers as before');
  });

  it("keeps a namespace's workload array while its workloads stay, also across versions nobody asked about", () => {
    const ws = new Workspace();
    ws.setFile('/ws/api.yaml', deployment('shop', 'api', { app: 'api' }));
    ws.setFile('/ws/web.yaml', deployment('shop', 'web', { app: 'web' }));
    ws.setFile('/ws/mon.yaml', deployment('ops', 'mon', { app: 'mon' }));
    const first = connectivityOf(ws);
    const ops = first.workloadsIn('ops');
    ws.setFile('/ws/api.yaml', deployment('shop', 'api', { app: 'api-canary' }));
    const second = connectivityOf(ws); // not asked
    ws.setFile('/ws/web.yaml', deployment('shop', 'web', { app: 'web-canary' }));
    ws.setFile('/ws/new.yaml', deployment('shop', 'new', { app: 'new' }));
    const third = connectivityOf(ws);
    const fresh = connectivityOfResources(ws.resources());
    assert.equal(third.workloadsIn('ops'), ops, 'the same array: nothing in ops changed');
    for (const ns of ['shop', 'ops'])
      assert.deepEqual(
        third.workloadsIn(ns).map(w => w.id),
        fresh.workloadsIn(ns).map(w => w.id),
      );
    assert.deepEqual(
      second.workloadsIn('shop').map(w => w.labels.app),
      ['api-canary', 'web'],
    );
  });
});
