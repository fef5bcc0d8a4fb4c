import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspSession } from '../support/lsp';

// Speaks LSP to the bundled server (dist/server.js; `npm run build` first) over stdio.
const root = path.resolve(__dirname, '../fixtures/calls/call-denied-by-policy/trigger');
let s: LspSession;

before(async () => {
  s = await LspSession.start(root);
});
after(async () => {
  await s.stop();
});

test('call-denied-by-policy is published with related information on the deciding policy and a quick fix', async () => {
  const uri = s.uri('shop.yaml');
  const diags = await s.diagnostics(uri, d => d.some(x => x.code === 'call-denied-by-policy'));
  const cart = diags.find(d => d.code === 'call-denied-by-policy' && d.message.includes('shop/cart'))!;
  assert.ok(cart, JSON.stringify(diags));
  const text = fs.readFileSync(path.join(root, 'shop.yaml'), 'utf8').split('\n');
  assert.equal(text[cart.range.start.line].slice(cart.range.start.character, cart.range.end.character), 'cart:7070');
  const rel = (
    cart as unknown as {
      relatedInformation: { location: { uri: string; range: { start: { line: number } } }; message: string }[];
    }
  ).relatedInformation;
  assert.ok(
    rel.some(
      r =>
        r.location.uri === uri &&
        /podSelector|name: cart|app: cart/.test(text[r.location.range.start.line]) &&
        /isolate|NetworkPolicy shop\/cart/.test(r.message),
    ),
    JSON.stringify(rel),
  );
  const actions = await s.request<{ title: string; edit?: unknown }[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: cart.range,
    context: { diagnostics: [cart] },
  });
  assert.ok(
    actions.some(a => a.title.startsWith('Allow this call: add a rule (ingress in NetworkPolicy shop/cart)')),
    JSON.stringify(actions.map(a => a.title)),
  );
});

test('kubeNetlint/generatePolicies, connectivityMatrix and connectivityExplain answer for the unit', async () => {
  const gen = await s.request<{ text: string; connections: number }>('kubeNetlint/generatePolicies', {});
  assert.equal(gen.connections, 4);
  assert.match(gen.text, /kind: NetworkPolicy[\s\S]*name: default-deny/);
  const m = await s.request<{ workloads: { id: string; source?: { fileId: string } }[]; cells: unknown[] }>(
    'kubeNetlint/connectivityMatrix',
    {},
  );
  assert.deepEqual(
    m.workloads.map(w => w.id),
    ['cache/redis[StatefulSet]', 'shop/cart[Deployment]', 'shop/checkout[Deployment]', 'shop/frontend[Deployment]'],
  );
  assert.ok(
    m.workloads.every(w => w.source?.fileId === s.uri('shop.yaml')),
    'links carry the client URI',
  );
  assert.equal(m.cells.length, 12);
  const e = await s.request<{
    status: string;
    calls: { status: string }[];
    directions: { decisions: { source?: { fileId: string } }[] }[];
  }>('kubeNetlint/connectivityExplain', { src: 'shop/frontend[Deployment]', dst: 'shop/cart[Deployment]' });
  assert.equal(e.status, 'denied');
  assert.deepEqual(
    e.calls.map(c => c.status),
    ['denied'],
  );
  assert.ok(e.directions[1].decisions.some(d => d.source?.fileId === s.uri('shop.yaml')));
  const bad = await s.request<{ error?: string }>('kubeNetlint/connectivityExplain', { src: 'nope', dst: 'x' });
  assert.match(bad.error ?? '', /no workload/);
});
