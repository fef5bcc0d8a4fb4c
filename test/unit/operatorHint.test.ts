import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine';

/**
 * Operator-created pods in a namespace shared by unrelated samples (the gke-samples layout): a
 * word of a value that happens to be another operator's kind (`my-cluster` and a CloudNativePG
 * `Cluster`) must not hide the custom resource the selector names, and among custom resources
 * of the same name the kind the selector's words point at wins.
 */
function selectorFinding(extra: string): { severity: string; message: string } {
  const ws = new Workspace();
  ws.setFile(
    'redis.yaml',
    `apiVersion: databases.spotahome.com/v1
kind: RedisFailover
metadata: {name: my-cluster}
spec: {redis: {replicas: 3}}
---
apiVersion: v1
kind: Service
metadata: {name: redis-my-cluster}
spec:
  selector:
    app.kubernetes.io/component: redis
    app.kubernetes.io/name: my-cluster
    redisfailovers-role: master
  ports: [{port: 6379}]
`,
  );
  ws.setFile('others.yaml', extra);
  ws.analyze();
  const d = ws.diagnostics('redis.yaml').find(x => x.code === 'service-selector-no-match')!;
  return { severity: d.severity, message: d.message };
}

test('an operator kind that is only a word of a value does not hide the named owner', () => {
  const d = selectorFinding(`apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: gke-pg-cluster}
spec: {instances: 3}
`);
  assert.equal(d.severity, 'information');
  assert.match(d.message, /operator from RedisFailover default\/my-cluster/);
});

test('between custom resources of the same name, the kind the selector points at wins', () => {
  const d = selectorFinding(`apiVersion: acid.zalan.do/v1
kind: postgresql
metadata: {name: my-cluster}
spec: {numberOfInstances: 2}
`);
  assert.match(d.message, /operator from RedisFailover default\/my-cluster/);
});

test('a kind written as a whole key still rules other owners out', () => {
  const ws = new Workspace();
  ws.setFile(
    'x.yaml',
    `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: main}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: alertmanager}
spec:
  podSelector:
    matchLabels: {alertmanager: main}
`,
  );
  ws.analyze();
  const d = ws.diagnostics('x.yaml').find(x => x.code === 'networkpolicy-selects-nothing')!;
  assert.equal(d.severity, 'warning', d.message);
});
