import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine';
import { connectivityOf, connectivityOfResources, connectivityText } from '../../server/src/engine/connectivity';
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
    const selections = (m: ReturnType<typeof connectivityOf>) =>
      m.policies.all.map(p =>
        m
          .workloadsSelectedBy(p)
          .map(w => w.id)
          .join(','),
      );
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
});
