/**
 * The traffic path over the language server: code lenses, the entries request (pre-filled from
 * the cursor) and the path request, spoken to the bundled dist/server.js over stdio.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspSession, AS_VSCODE } from '../support/lsp';
import type { PathModel } from '../../server/src/engine/path';
import { walkHops } from '../../server/src/engine/path';

const root = path.resolve(__dirname, '../fixtures/path/shop');
let s: LspSession;

before(async () => {
  // As the VS Code extension: code lenses carry its commands.
  s = await LspSession.start(root, {}, AS_VSCODE);
});
after(async () => {
  await s.stop();
});

interface Lens {
  range: { start: { line: number } };
  command: { title: string; command: string; arguments: { from?: string; to?: string }[] };
}

test('code lenses "Preview traffic path" sit on Ingress rule paths and Services', async () => {
  const lenses = (
    await s.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: s.uri('ingress.yaml') } })
  ).filter(l => l.command.command === 'kubeNetlint.previewTrafficPath');
  const lines = fs.readFileSync(path.join(root, 'ingress.yaml'), 'utf8').split('\n');
  assert.deepEqual(
    lenses.map(l => lines[l.range.start.line].trim()),
    ['- path: /', '- path: /cart', '- path: /api/v1', '- path: /'],
  );
  assert.deepEqual(
    lenses.map(l => l.command.arguments[0].from),
    [
      'ingress:shop.example.com/',
      'ingress:shop.example.com/cart',
      'ingress:shop.example.com/api/v1',
      'ingress:*.shop.example.com/',
    ],
  );

  const svc = (await s.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: s.uri('cart.yaml') } })).filter(
    l => l.command.command === 'kubeNetlint.previewTrafficPath',
  );
  const args = svc.map(l => l.command.arguments[0]);
  assert.ok(
    args.some(a => a.to === 'cart.shop:7070' && a.from?.startsWith('pod:shop/')),
    JSON.stringify(args),
  );
  assert.ok(
    !args.some(a => a.from === 'pod:shop/cart'),
    'the caller offered for a ClusterIP Service is not one of its own pods',
  );
});

test('traceEntries lists entries and suggests one from the cursor', async () => {
  const uri = s.uri('frontend.yaml');
  const text = fs.readFileSync(path.join(root, 'frontend.yaml'), 'utf8');
  const line = text.split('\n').findIndex(l => l.includes('nodePort: 30080'));
  const res = await s.request<{
    entries: { value: string; kind: string }[];
    destinations: { value: string }[];
    suggested?: { from?: string };
  }>('kubeNetlint/traceEntries', { uri, position: { line, character: 8 } });
  assert.equal(res.suggested?.from, 'nodeport:30080');
  const values = res.entries.map(e => e.value);
  for (const v of [
    'ingress:shop.example.com/cart',
    'nodeport:30080',
    'lb:203.0.113.10:80',
    'externalip:198.51.100.7:8000',
    'pod:shop/frontend',
    'container:shop/frontend/web',
  ]) {
    assert.ok(values.includes(v), `${v} in ${values.join(', ')}`);
  }
  assert.ok(res.destinations.some(d => d.value === 'cart.shop:7070'));
  assert.ok(res.destinations.some(d => d.value === 'localhost:9090'));
});

test('tracePath returns the model with file URIs, and follows edits to the buffer', async () => {
  const res = await s.request<{ model: PathModel; markdown: string }>('kubeNetlint/tracePath', {
    from: 'pod:shop/frontend',
    to: 'cart:7070',
  });
  assert.equal(res.model.status, 'ok');
  assert.match(res.markdown, /^### Traffic path/);
  const sources = walkHops(res.model)
    .map(h => h.hop.source)
    .filter(x => x);
  assert.ok(sources.length > 5);
  assert.ok(
    sources.every(x => x!.fileId.startsWith('file://')),
    'links are URIs the client can open',
  );

  // Break the cart selector in the editor buffer: the next trace ends in REJECT.
  const uri = s.uri('cart.yaml');
  const text = fs.readFileSync(path.join(root, 'cart.yaml'), 'utf8');
  s.open(uri, text);
  s.change(uri, text.replace(/selector:\n {4}app: cart/, 'selector:\n    app: kart'));
  const broken = await s.request<{ model: PathModel }>('kubeNetlint/tracePath', {
    from: 'pod:shop/frontend',
    to: 'cart:7070',
  });
  assert.equal(broken.model.status, 'failed');
  assert.equal(broken.model.hops.at(-1)!.rule, 'service-selector-no-match');
  assert.equal(broken.model.hops.at(-1)!.source!.fileId, uri);

  const bad = await s.request<{ error?: string }>('kubeNetlint/tracePath', { from: 'nonsense' });
  assert.match(bad.error ?? '', /not an entry/);
});

test('issue 11.6: traceEntries gives each entry kind its count and an example from this workspace', async () => {
  const res = await s.request<{
    kinds: { kind: string; count: number; example: string; syntax: string }[];
    entries: { value: string; kind: string }[];
  }>('kubeNetlint/traceEntries', {});
  for (const k of res.kinds) {
    const of = res.entries.filter(e => e.kind === k.kind);
    assert.equal(k.count, of.length, k.kind);
    assert.equal(k.example, of[0]?.value ?? '', k.kind);
    assert.match(k.syntax, new RegExp(`^${k.kind}:<`), k.kind);
  }
  // This fixture has no Gateway: no example is made up for it.
  assert.deepEqual(
    res.kinds.find(k => k.kind === 'gateway'),
    {
      kind: 'gateway',
      label: 'Gateway API: Gateway, host and path',
      count: 0,
      example: '',
      syntax: 'gateway:<namespace>/<gateway>/<host>/<path>',
    },
  );
});
