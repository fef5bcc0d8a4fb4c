import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryAt, listEntries, tracePath } from '../../server/src/engine/path';
import { fixture } from './support';

/** entryAt at the first occurrence of `needle` in a fixture file. */
function at(file: string, needle: string) {
  const ws = fixture('shop');
  const id = ws.fileIds().find(f => f.endsWith(file))!;
  const offset = ws.file(id)!.text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  return entryAt(ws, id, offset + 1);
}

test('the cursor picks the entry: Ingress path, Service kind, workload, container port', () => {
  assert.deepEqual(at('ingress.yaml', 'pathType: Exact'), { from: 'ingress:shop.example.com/cart' });
  assert.deepEqual(at('ingress.yaml', '"*.shop.example.com"'), { from: 'ingress:*.shop.example.com/' });
  assert.deepEqual(at('frontend.yaml', 'type: LoadBalancer'), { from: 'lb:203.0.113.10:80' });
  assert.deepEqual(at('frontend.yaml', '198.51.100.7'), { from: 'externalip:198.51.100.7:8000' });
  assert.deepEqual(at('frontend.yaml', 'containerPort: 9090'), {
    from: 'container:shop/frontend/metrics',
    to: 'localhost:9090',
  });
  assert.deepEqual(at('frontend.yaml', 'replicas: 3'), { from: 'pod:shop/frontend' });
  const cart = at('cart.yaml', 'targetPort: grpc')!;
  assert.equal(cart.to, 'cart.shop:7070');
  assert.ok(cart.from && cart.from !== 'pod:shop/cart', 'a ClusterIP Service gets a caller that is not its own pod');
});

test('every listed entry traces without an entry error', () => {
  const ws = fixture('shop');
  const { entries, destinations } = listEntries(ws);
  assert.ok(entries.length >= 10);
  const dns = destinations.find(d => d.value === 'cart.shop:7070')!.value;
  for (const e of entries) {
    const to = e.kind === 'pod' ? dns : e.kind === 'container' ? 'localhost:8080' : undefined;
    const m = tracePath(ws, { from: e.value, to });
    assert.ok(m.hops.length >= 2, `${e.value} → ${m.hops.length} hops`);
  }
});
