// Found while replaying edits for the bench: the cluster must forget a file's old nodePorts and
// hostPorts when the file changes, or the old values keep "conflicting" with other objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine';

const service = (name: string, nodePort: number) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  type: NodePort\n  selector: {app: ${name}}\n  ports:\n  - port: 80\n    nodePort: ${nodePort}\n`;
const hostPortPod = (name: string, hostPort: number) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels: {app: ${name}}\nspec:\n  containers:\n  - name: c\n    image: x\n    ports:\n    - containerPort: 8080\n      hostPort: ${hostPort}\n`;

test('changing a nodePort removes the old value from the cluster, and its duplicate finding goes away', () => {
  const ws = new Workspace();
  ws.setFile('a.yaml', service('a', 30001));
  ws.setFile('b.yaml', service('b', 30001));
  ws.analyze();
  assert.ok(ws.diagnostics('b.yaml').some(d => d.code === 'nodeport-duplicate'));
  ws.setFile('a.yaml', service('a', 30002));
  ws.analyze();
  assert.equal(ws.cluster.nodePortUsers(30001).size, 1);
  assert.deepEqual(
    ws.diagnostics('b.yaml').filter(d => d.code === 'nodeport-duplicate'),
    [],
  );
  ws.removeFile('a.yaml');
  assert.equal(ws.cluster.nodePortUsers(30002).size, 0);
});

test('changing a hostPort removes the old value from the cluster', () => {
  const ws = new Workspace();
  ws.setFile('a.yaml', hostPortPod('a', 9100));
  ws.setFile('b.yaml', hostPortPod('b', 9100));
  ws.analyze();
  assert.equal(ws.cluster.hostPortUsers(9100, 'TCP').size, 2);
  ws.setFile('a.yaml', hostPortPod('a', 9200));
  ws.analyze();
  assert.equal(ws.cluster.hostPortUsers(9100, 'TCP').size, 1);
  assert.deepEqual(
    ws.diagnostics('b.yaml').filter(d => d.code === 'host-port-conflict'),
    [],
  );
  ws.removeFile('a.yaml');
  assert.equal(ws.cluster.hostPortUsers(9200, 'TCP').size, 0);
});
