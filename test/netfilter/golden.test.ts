import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, loadWorkspace } from '../../server/src/engine';
import {
  nodeProxy,
  proxySettings,
  renderNft,
  renderRestore,
  renderSave,
  sortRestore,
} from '../../server/src/engine/netfilter';
import { main } from '../../server/src/cli/main';

/** The iptables sub-command through the CLI's entry point, with captured output. */
const runIptables = (argv: string[], out: (s: string) => void, err: (s: string) => void) =>
  main(['iptables', ...argv], { out, err });

// Reference §2.13: the svc3/svc4 nat block of kube-proxy's TestOverallIPTablesRules, reproduced
// from YAML (Services + EndpointSlices + the test's proxier settings in .kube-netlint.yaml).
const dir = path.resolve(__dirname, '../fixtures/netfilter/overall');
const expectedNat = fs.readFileSync(path.join(dir, 'expected-nat.restore'), 'utf8');
const expectedSave = fs.readFileSync(path.join(dir, 'expected-nat.save'), 'utf8').split('\n').filter(Boolean);

function load() {
  const { config } = loadConfig([dir]);
  return loadWorkspace([dir], config);
}

test('the nat table equals the reference block byte for byte after sorting lines within each chain', () => {
  const ws = load();
  const node = nodeProxy(ws, proxySettings(ws));
  const actual = renderRestore(node.tables, ['nat']);
  assert.equal(sortRestore(actual, true), sortRestore(expectedNat, true));
});

test("kube-proxy's own sort (chains by name, rules in write order) already matches, so rule order inside chains is right too", () => {
  const ws = load();
  const node = nodeProxy(ws, proxySettings(ws));
  assert.equal(sortRestore(renderRestore(node.tables, ['nat'])), sortRestore(expectedNat));
});

test("the iptables-save rendering contains the reference's normalised svc3/svc4 lines", () => {
  const ws = load();
  const saved = new Set(renderSave(nodeProxy(ws, proxySettings(ws)).tables).split('\n'));
  for (const line of expectedSave) assert.ok(saved.has(line), `missing:\n${line}`);
});

test('nftables mode writes the verbatim svc4 lines of TestOverallNFTablesRules', () => {
  const ws = load();
  const nft = new Set(renderNft(nodeProxy(ws, proxySettings(ws, { mode: 'nftables' }))).split('\n'));
  const expected = [
    'add chain ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80',
    'add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 ip daddr 172.30.0.44 ip saddr != 10.0.0.0/8 jump mark-for-masquerade',
    'add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 , 1 : goto endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 }',
    'add chain ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80',
    'add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 jump mark-for-masquerade',
    'add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 goto service-LAUZTJTB-ns4/svc4/tcp/p80',
    'add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 ip saddr 10.180.0.4 jump mark-for-masquerade',
    'add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 meta l4proto tcp dnat to 10.180.0.4:80',
    'add element ip kube-proxy cluster-ips { 172.30.0.44 }',
    'add element ip kube-proxy service-ips { 172.30.0.44 . tcp . 80 : goto service-LAUZTJTB-ns4/svc4/tcp/p80 }',
    'add element ip kube-proxy service-ips { 192.168.99.33 . tcp . 80 : goto external-LAUZTJTB-ns4/svc4/tcp/p80 }',
    'add element ip kube-proxy service-nodeports { tcp . 3003 : goto external-4AT6LBPK-ns3/svc3/tcp/p80 }',
  ];
  for (const line of expected) assert.ok(nft.has(line), `missing:\n${line}`);
});

test('the CLI prints the same nat block (comment lines are valid restore input and ignored by the sort)', async () => {
  const out: string[] = [];
  const code = await runIptables(
    [dir],
    s => out.push(s),
    () => undefined,
  );
  assert.equal(code, 0);
  const text = out.join('\n');
  const nat = text.slice(text.indexOf('*nat'));
  assert.equal(sortRestore(nat, true), sortRestore(expectedNat, true));
  assert.match(text, /^# ns4\/svc4:p80\/TCP: 2 endpoints \(real, from EndpointSlice\)$/m);
});

test('the CLI filters to one Service and renders save syntax', async () => {
  const out: string[] = [];
  assert.equal(
    await runIptables(
      [dir, '--service', 'ns4/svc4', '--syntax', 'save'],
      s => out.push(s),
      () => undefined,
    ),
    0,
  );
  const text = out.join('\n');
  assert.ok(text.includes(expectedSave[0]), text);
  assert.ok(!text.includes('ns3/svc3'), 'svc3 must not appear when --service ns4/svc4');
});

test('the CLI rejects an unknown Service and a bad mode', async () => {
  const err: string[] = [];
  assert.equal(
    await runIptables(
      [dir, '--service', 'ns9/nope'],
      () => undefined,
      s => err.push(s),
    ),
    2,
  );
  assert.match(err.join('\n'), /no Service ns9\/nope/);
  const usage: string[] = [];
  assert.equal(
    await runIptables(
      [dir, '--mode', 'bpf'],
      () => undefined,
      s => usage.push(s),
    ),
    2,
  );
  assert.match(usage.join('\n'), /--mode must be iptables, nftables or ipvs, not bpf/);
});
