import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEntry, parseDestination, formatEntry, EntryError } from '../../server/src/engine/path';
import {
  hostMatches,
  pathMatchLength,
  matchIngress,
  IngressCandidate,
} from '../../server/src/engine/path/ingressMatch';
import { resolveServiceName, searchPath } from '../../server/src/engine/path/dns';
import { fixture } from './support';

test('entries parse into their kinds and print back the same', () => {
  const cases = [
    'ingress:shop.example.com/cart',
    'ingress:/healthz',
    'nodeport:30080',
    'nodeport:node-2:30080',
    'nodeport:shop/frontend:80',
    'lb:203.0.113.10',
    'lb:shop/frontend-lb:80',
    'externalip:198.51.100.7:8000',
    'pod:shop/frontend',
    'container:shop/frontend/web',
  ];
  for (const c of cases) assert.equal(formatEntry(parseEntry(c)), c);
  assert.deepEqual(parseEntry('ingress:Shop.Example.com'), { kind: 'ingress', host: 'shop.example.com', path: '/' });
  assert.deepEqual(parseDestination('cart.shop:7070'), { kind: 'dns', name: 'cart.shop', port: 7070 });
  assert.deepEqual(parseDestination('localhost:9090'), { kind: 'localhost', port: 9090 });
  assert.deepEqual(parseDestination('cart:grpc'), { kind: 'dns', name: 'cart', port: 'grpc' });
  for (const bad of ['shop', 'ingres:x', 'nodeport:99999', 'pod:', 'container:a', 'lb:'])
    assert.throws(() => parseEntry(bad), EntryError, bad);
  assert.throws(() => parseDestination('localhost:http'), EntryError);
});

test('Ingress hosts: exact, and single-label wildcards only', () => {
  assert.ok(hostMatches('shop.example.com', 'SHOP.example.com'));
  assert.ok(hostMatches('*.example.com', 'shop.example.com'));
  assert.ok(!hostMatches('*.example.com', 'example.com'));
  assert.ok(!hostMatches('*.example.com', 'a.shop.example.com'));
});

test('Ingress paths: Prefix matches whole segments, Exact the whole path', () => {
  assert.ok(pathMatchLength('Prefix', '/foo', '/foo/bar') > 0);
  assert.ok(pathMatchLength('Prefix', '/foo/', '/foo') > 0, 'a trailing slash is ignored');
  assert.equal(pathMatchLength('Prefix', '/foo', '/foobar'), -1);
  assert.ok(pathMatchLength('Prefix', '/', '/anything') > 0);
  assert.equal(pathMatchLength('Exact', '/foo', '/foo/'), -1);
  assert.ok(pathMatchLength('Exact', '/foo', '/foo') > 0);
});

test('Ingress rule choice: longest path, Exact over Prefix, wildcard host, defaultBackend', () => {
  const ws = fixture('shop');
  const candidates: IngressCandidate[] = [];
  for (const f of ws.cluster.allFacts())
    for (const b of f.backends) candidates.push({ ingress: f.resource, backend: b });
  const pick = (host: string | undefined, p: string) => {
    const m = matchIngress(candidates, host, p);
    return m && `${m.how} ${m.backend.serviceName}:${m.backend.port}`;
  };
  assert.equal(pick('shop.example.com', '/cart'), 'exact-host cart:grpc');
  assert.equal(
    pick('shop.example.com', '/cart/items'),
    'exact-host frontend:80',
    'Exact /cart does not take /cart/items',
  );
  assert.equal(
    pick('shop.example.com', '/api/v1/orders'),
    'exact-host cart:7070',
    'ImplementationSpecific is treated as Prefix',
  );
  assert.equal(pick('shop.example.com', '/api/v10'), 'exact-host frontend:80', 'prefixes match element-wise');
  assert.equal(pick('eu.shop.example.com', '/x'), 'wildcard-host frontend:80');
  assert.equal(pick('a.b.shop.example.com', '/x'), 'default-backend frontend:http');
  assert.equal(pick(undefined, '/'), 'default-backend frontend:http');
});

test('DNS: the pod search path and ndots:5 decide which names are tried', () => {
  const ws = fixture('shop');
  assert.deepEqual(searchPath('shop', 'cluster.local'), [
    'shop.svc.cluster.local',
    'svc.cluster.local',
    'cluster.local',
  ]);
  const short = resolveServiceName(ws.cluster, 'cart', 'shop', 'cluster.local');
  assert.equal(short.fqdn, 'cart.shop.svc.cluster.local');
  assert.equal(short.queries[0].answer, 'hit');

  const withNs = resolveServiceName(ws.cluster, 'cart.shop', 'other', 'cluster.local');
  assert.deepEqual(
    withNs.queries.filter(q => q.answer !== 'not-tried').map(q => [q.name, q.answer]),
    [
      ['cart.shop.other.svc.cluster.local', 'NXDOMAIN'],
      ['cart.shop.svc.cluster.local', 'hit'],
    ],
  );

  // Four dots are still fewer than five: the search list is tried (and fails) before the name as given.
  const fqdn = resolveServiceName(ws.cluster, 'cart.shop.svc.cluster.local', 'shop', 'cluster.local');
  assert.deepEqual(
    fqdn.queries.map(q => q.answer),
    ['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'hit'],
  );
  const absolute = resolveServiceName(ws.cluster, 'cart.shop.svc.cluster.local.', 'shop', 'cluster.local');
  assert.deepEqual(
    absolute.queries.map(q => q.answer),
    ['hit'],
  );

  const missing = resolveServiceName(ws.cluster, 'cart', 'default', 'cluster.local');
  assert.equal(missing.service, undefined, 'a Service is found only in its own namespace');
  assert.deepEqual(missing.wantedService, { name: 'cart', namespace: 'default' });
});
