import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hoverAt } from '../../server/src/engine/hover';
import { PLAN_FIXTURES, load } from './support';
import { LspSession } from '../support/lsp';

const dir = path.join(PLAN_FIXTURES, 'hover');
const kubeadm = path.join(dir, 'kubeadm.yaml');

function offsetOf(file: string, needle: string, within = 2): number {
  return fs.readFileSync(file, 'utf8').indexOf(needle) + within;
}

test('hover on a pod CIDR: bounds, size, node blocks, plan entry', () => {
  const ws = load(dir);
  const h = hoverAt(ws, kubeadm, offsetOf(kubeadm, '10.244.0.0/16'));
  assert.ok(h, 'a hover');
  assert.match(h.markdown, /\*\*10\.244\.0\.0\/16\*\* — IPv4 network/);
  assert.match(h.markdown, /First address \| `10\.244\.0\.0`/);
  assert.match(h.markdown, /Last address \| `10\.244\.255\.255`/);
  assert.match(h.markdown, /65,536 addresses/);
  assert.match(h.markdown, /256 × \/24 \(node mask, default\)/);
  assert.match(
    h.markdown,
    /pod network `10\.244\.0\.0\/16` — kubeadm networking\.podSubnet \(declared, kubeadm\.yaml:4\)/,
  );
  assert.match(h.markdown, /\*\*Overlaps\*\*: none/);
  assert.deepEqual(h.range, { start: { line: 3, character: 13 }, end: { line: 3, character: 26 } });
});

test('hover on a service CIDR names what overlaps it', () => {
  const ws = load(dir);
  const h = hoverAt(ws, kubeadm, offsetOf(kubeadm, '10.96.0.0/12'))!;
  assert.match(h.markdown, /1,048,576 addresses/);
  assert.match(
    h.markdown,
    /contains CNI network `10\.96\.128\.0\/17` — CNI network "cbr0" \(bridge\) ipam subnet \(declared, 10-flannel\.conflist:5\)/,
  );
});

test('issue 11: node blocks are counted on the pod CIDR only, not on the service CIDR or a CNI subnet', () => {
  const ws = load(dir);
  const pod = hoverAt(ws, kubeadm, offsetOf(kubeadm, '10.244.0.0/16'))!.markdown;
  assert.match(pod, /\| Node blocks \| 256 × \/24 \(node mask, default\) \|/);
  const svc = hoverAt(ws, kubeadm, offsetOf(kubeadm, '10.96.0.0/12'))!.markdown;
  assert.match(svc, /\| Size \| 1,048,576 addresses/);
  assert.ok(!svc.includes('Node blocks'), svc);
  assert.ok(!svc.includes('4,096 × /24'), svc);
  const conf = path.join(dir, '10-flannel.conflist');
  assert.ok(!hoverAt(ws, conf, offsetOf(conf, '10.96.128.0/17', 5))!.markdown.includes('Node blocks'));
});

test('hover on a CIDR inside a CNI JSON file, and on a bare IP', () => {
  const ws = load(dir);
  const conf = path.join(dir, '10-flannel.conflist');
  const h = hoverAt(ws, conf, offsetOf(conf, '10.96.128.0/17', 5))!;
  assert.match(h.markdown, /inside service network `10\.96\.0\.0\/12`/);
  assert.match(h.markdown, /32,768 addresses \(\/17\)/);
  const ip = hoverAt(ws, kubeadm, offsetOf(kubeadm, '10.96.0.10'))!;
  assert.match(ip.markdown, /\*\*10\.96\.0\.10\*\* — IPv4 address/);
  assert.match(ip.markdown, /service network `10\.96\.0\.0\/12`/);
});

test('no hover away from addresses', () => {
  const ws = load(dir);
  assert.equal(hoverAt(ws, kubeadm, offsetOf(kubeadm, 'ClusterConfiguration')), undefined);
});

let s: LspSession | undefined;
const serverBuilt = fs.existsSync(path.resolve(__dirname, '../../dist/server.js'));
before(async () => {
  if (serverBuilt) s = await LspSession.start(dir);
});
after(async () => {
  await s?.stop();
});

test(
  'protocol: textDocument/hover on a CIDR returns the same facts',
  { skip: serverBuilt ? false : 'dist/server.js not built (npm run build)' },
  async () => {
    const uri = s!.uri('kubeadm.yaml');
    await s!.diagnostics(uri);
    const h = await s!.request<{ contents: { kind: string; value: string }; range: unknown }>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 3, character: 16 },
    });
    assert.equal(h.contents.kind, 'markdown');
    assert.match(h.contents.value, /Last address \| `10\.244\.255\.255`/);
    assert.match(h.contents.value, /256 × \/24/);
    assert.match(h.contents.value, /kubeadm networking\.podSubnet/);
    assert.deepEqual(h.range, { start: { line: 3, character: 13 }, end: { line: 3, character: 26 } });
  },
);
