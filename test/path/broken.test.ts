import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tracePath, PathModel, Hop } from '../../server/src/engine/path';
import { fixture, failedHops, linkedText } from './support';

const ws = () => fixture('broken');

/** The one failed hop a broken path ends in. */
function brokenHop(m: PathModel): Hop {
  assert.equal(m.status, 'failed', `${m.title} should be broken`);
  const f = failedHops(m);
  assert.equal(f.length, 1);
  assert.equal(m.hops.at(-1), f[0], 'the failed hop ends the path');
  return f[0];
}

test('selector matches nothing: REJECT, service-selector-no-match, link to the selector', () => {
  const h = brokenHop(tracePath(ws(), { from: 'pod:broken/client', to: 'typo:80' }));
  assert.equal(h.rule, 'service-selector-no-match');
  assert.match(h.title, /^REJECT: broken\/typo has no endpoints$/);
  assert.ok(
    h.detail.some(d => /-j REJECT/.test(d)),
    'shows the filter-table REJECT rule',
  );
  assert.equal(linkedText(ws(), h.source).trim(), 'app: apj', 'links the selector');
});

test('named targetPort unresolved in every pod: service-target-port-unresolved, link to targetPort', () => {
  const h = brokenHop(tracePath(ws(), { from: 'pod:broken/client', to: 'badport:80' }));
  assert.equal(h.rule, 'service-target-port-unresolved');
  assert.equal(linkedText(ws(), h.source), 'web-port');
  assert.match(h.detail[0], /no container of Deployment api has a port named "web-port" with protocol TCP/);
});

test('workload scaled to zero: no endpoints, link to replicas', () => {
  const h = brokenHop(tracePath(ws(), { from: 'pod:broken/client', to: 'idle:80' }));
  assert.match(h.title, /^REJECT: broken\/idle has no endpoints$/);
  assert.equal(linkedText(ws(), h.source), '0');
});

test('no selector and no EndpointSlices: no endpoints', () => {
  const h = brokenHop(tracePath(ws(), { from: 'pod:broken/client', to: 'manual:5432' }));
  assert.match(h.detail[0], /no selector, and no EndpointSlice or Endpoints/);
});

test('no Service of that name: NXDOMAIN with a suggestion', () => {
  const h = brokenHop(tracePath(ws(), { from: 'pod:broken/client', to: 'apii:80' }));
  assert.equal(h.lane, 'dns');
  assert.match(h.title, /^NXDOMAIN: no Service answers apii$/);
  assert.match(h.detail.at(-1)!, /Did you mean api\?/);
});

test('the Service has no such port', () => {
  const h = brokenHop(tracePath(ws(), { from: 'pod:broken/client', to: 'api:8080' }));
  assert.match(h.title, /^api has no port 8080$/);
});

test('Ingress backend Service missing: ingress-backend-service-missing, link to the name', () => {
  const h = brokenHop(tracePath(ws(), { from: 'ingress:broken.example.com/missing' }));
  assert.equal(h.rule, 'ingress-backend-service-missing');
  assert.equal(linkedText(ws(), h.source), 'api-gateway');
});

test('Ingress backend port missing: ingress-backend-port-missing, link to the port', () => {
  const h = brokenHop(tracePath(ws(), { from: 'ingress:broken.example.com/wrongport' }));
  assert.equal(h.rule, 'ingress-backend-port-missing');
  assert.equal(linkedText(ws(), h.source), '8080');
});

test('Ingress to a Service whose selector matches nothing: the controller answers 503', () => {
  const h = brokenHop(tracePath(ws(), { from: 'ingress:broken.example.com/typo' }));
  assert.match(h.title, /^503: broken\/typo has no endpoints$/);
  assert.equal(h.rule, 'service-selector-no-match');
});

test('no Ingress rule and no defaultBackend: 404 from the controller', () => {
  const h = brokenHop(tracePath(ws(), { from: 'ingress:nowhere.example.com/' }));
  assert.match(h.title, /^No Ingress rule matches/);
});

test('no Service has the nodePort', () => {
  const h = brokenHop(tracePath(ws(), { from: 'nodeport:31999' }));
  assert.equal(h.title, 'No Service has nodePort 31999');
});
