import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tracePath, parseEntry, formatEntry, listEntries, entryAt, ENTRY_KINDS } from '../../server/src/engine/path';
import { fixture, failedHops, branchesOf, linkedText } from './support';
import { tracePathLenses } from '../../server/src/engine/codelens/tracePathLens';

/** `trace --from gateway:<ns>/<gateway>/<host><path>` over test/fixtures/path/gateway. */
const ws = () => fixture('gateway');

test('gateway entries parse and format round trip', () => {
  assert.deepEqual(parseEntry('gateway:infra/public/Shop.Example.com/cart/items'), {
    kind: 'gateway',
    namespace: 'infra',
    gateway: 'public',
    host: 'shop.example.com',
    path: '/cart/items',
  });
  assert.deepEqual(parseEntry('gateway:infra/public'), {
    kind: 'gateway',
    namespace: 'infra',
    gateway: 'public',
    host: undefined,
    path: '/',
  });
  assert.deepEqual(parseEntry('gateway:infra/public//x'), {
    kind: 'gateway',
    namespace: 'infra',
    gateway: 'public',
    host: undefined,
    path: '/x',
  });
  for (const e of ['gateway:infra/public/shop.example.com/cart', 'gateway:infra/public//'])
    assert.equal(formatEntry(parseEntry(e)), e);
  assert.throws(() => parseEntry('gateway:public'), /expected gateway:<ns>\/<gateway>\/<host>\/<path>/);
  assert.ok(ENTRY_KINDS.some(k => k.kind === 'gateway'));
});

test('listener by host, HTTPRoute by host and longest prefix, weighted backends as branches', () => {
  const m = tracePath(ws(), { from: 'gateway:infra/public/shop.example.com/cart/items' });
  assert.equal(m.status, 'ok');
  const titles = m.hops.map(h => h.title);
  assert.match(titles[1], /^Listener http: HTTP 80 \*\.example\.com$/);
  assert.match(titles[2], /^HTTPRoute shop\/store rule 1: PathPrefix \/cart$/);
  // The header-only match is not evaluated, and the hop says so.
  assert.ok(m.hops[2].detail.some(d => /store rule 2 needs headers/.test(d)));
  const split = m.hops[3];
  assert.match(split.title, /2 weighted backends/);
  assert.deepEqual(
    split.branches!.map(b => [b.label, b.probability, b.status]),
    [
      ['shop/cart:80 (weight 90)', 0.9, 'ok'],
      ['shop/cart-v2:80 (weight 10)', 0.1, 'ok'],
    ],
  );
  // Each branch continues through its Service to the pods (the Gateway proxies to endpoints).
  assert.ok(branchesOf(m).some(b => /^cart-0 /.test(b.label)));
});

test('the most specific listener hostname wins; a Route restricted to other hosts is skipped', () => {
  // admin.example.com: the exact "admin" listener, which admits Routes of infra only (from: Same).
  const m = tracePath(ws(), { from: 'gateway:infra/public/admin.example.com/' });
  assert.equal(m.status, 'failed');
  assert.match(m.hops[1].title, /^Listener admin:/);
  assert.match(failedHops(m)[0].title, /^404: no HTTPRoute rule matches/);
});

test('a wildcard Route catches other hosts; exact Route hostnames beat it', () => {
  const www = tracePath(ws(), { from: 'gateway:infra/public/www.example.com/cart' });
  assert.match(www.hops[2].title, /^HTTPRoute shop\/wildcard rule 1/);
  const shop = tracePath(ws(), { from: 'gateway:infra/public/shop.example.com/' });
  assert.match(shop.hops[2].title, /^HTTPRoute shop\/store rule 5/);
});

test('Exact path match; a cross-namespace backend without ReferenceGrant fails with its rule', () => {
  const m = tracePath(ws(), { from: 'gateway:infra/public/shop.example.com/pay' });
  assert.match(m.hops[2].title, /rule 3: Exact \/pay$/);
  const [f] = failedHops(m);
  assert.equal(f.rule, 'route-backend-not-permitted');
  assert.match(f.detail.join(' '), /requests routed to this backend get HTTP 500/);
  assert.equal(linkedText(ws(), f.source).split('\n')[0].trim(), 'name: payments');
});

test('a redirect rule answers without backends; an unknown host gets no listener', () => {
  const m = tracePath(ws(), { from: 'gateway:infra/public/shop.example.com/old/page' });
  assert.equal(m.status, 'ok');
  assert.match(m.hops.at(-1)!.title, /RequestRedirect/);
  const none = tracePath(ws(), { from: 'gateway:infra/public/shop.example.org/' });
  assert.match(failedHops(none)[0].title, /No HTTP listener of infra\/public serves shop\.example\.org/);
});

test('a Gateway outside the workspace: its Routes are traced with an assumption', () => {
  const m = tracePath(ws(), { from: 'gateway:platform/edge/any.host/' });
  assert.equal(m.status, 'ok');
  assert.ok(m.assumptions.some(a => /platform\/edge is not in the workspace/.test(a)));
  assert.equal(tracePath(ws(), { from: 'gateway:platform/nothing/' }).status, 'failed');
});

test('--to continues from the pod the Gateway reached', () => {
  const m = tracePath(ws(), { from: 'gateway:infra/public/shop.example.com/', to: 'cart:80' });
  assert.equal(m.status, 'ok');
  assert.ok(m.hops.some(h => /calls cart:80/.test(h.title)));
});

test('the picker lists Gateway entries per HTTPRoute rule, and the cursor on a rule suggests it', () => {
  const { entries } = listEntries(ws());
  const values = entries.filter(e => e.kind === 'gateway').map(e => e.value);
  assert.ok(values.includes('gateway:infra/public/shop.example.com/cart'), values.join('\n'));
  assert.ok(values.includes('gateway:infra/public/shop.example.com/pay'));
  assert.ok(values.includes('gateway:platform/edge//'));
  const file = ws()
    .fileIds()
    .find(f => f.endsWith('routes.yaml'))!;
  const text = ws().file(file)!.text;
  assert.deepEqual(entryAt(ws(), file, text.indexOf('value: /pay')), {
    from: 'gateway:infra/public/shop.example.com/pay',
  });
});

test('a "Preview traffic path" lens above every HTTPRoute rule that has a path', () => {
  const file = ws()
    .fileIds()
    .find(f => f.endsWith('routes.yaml'))!;
  const froms = tracePathLenses(ws(), file).map(l => (l.arguments?.[0] as { from: string }).from);
  assert.deepEqual(froms.slice(0, 5), [
    'gateway:infra/public/shop.example.com/cart',
    'gateway:infra/public/shop.example.com/',
    'gateway:infra/public/shop.example.com/pay',
    'gateway:infra/public/shop.example.com/old',
    'gateway:infra/public/shop.example.com/',
  ]);
});
