import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig, loadWorkspace } from '../../server/src/engine';
import { nodeProxy, proxySettings, renderNft, renderRestore, renderSave } from '../../server/src/engine/netfilter';

// Loads the generated restore text into real iptables (legacy and nf_tables backends) inside a
// fresh network namespace and compares `iptables-save` with our save rendering. Needs root,
// `unshare` and the iptables package; skips with the reason otherwise.
function available(tool: string): string | false {
  const r = spawnSync('unshare', ['-n', `${tool}-save`], { encoding: 'utf8' });
  return r.status === 0
    ? false
    : `cannot run ${tool} in a network namespace here (${(r.stderr || r.error?.message || '').trim().split('\n')[0]})`;
}

function realSave(tool: string, restore: string): string {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `${tool}-restore && ${tool}-save`], {
    input: restore,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function generated(fixture: string) {
  const dir = path.resolve(__dirname, '../fixtures/netfilter', fixture);
  const { config } = loadConfig([dir]);
  // nfacct objects are created by kube-proxy itself; without them the kernel refuses the rules.
  const proxy = { ...(config.extra.proxy as object), nfacct: false };
  const ws = loadWorkspace([dir], { ...config, extra: { ...config.extra, proxy } });
  const node = nodeProxy(ws, proxySettings(ws));
  return { restore: renderRestore(node.tables), save: renderSave(node.tables, ['filter', 'nat'], node.ipv6) };
}

/** Our rendering without what kube-proxy installs outside its restore input (builtin-chain jumps, canary chains). */
function restorable(save: string): string[] {
  return save
    .split('\n')
    .filter(l => l && !/^-A (INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) /.test(l) && !l.includes('CANARY'));
}

function tables(lines: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const l of lines) {
    if (!l || l.startsWith('#')) continue;
    if (l.startsWith('*')) out.set(l, (cur = []));
    else cur?.push(l);
  }
  return out;
}

for (const backend of ['legacy', 'nft']) {
  for (const fixture of ['overall', 'features', 'ipv6']) {
    const tool = `${fixture === 'ipv6' ? 'ip6tables' : 'iptables'}-${backend}`;
    test(`${tool}-save prints exactly our save rendering (${fixture})`, { skip: available(tool) }, () => {
      const { restore, save } = generated(fixture);
      const real = tables(realSave(tool, restore).split('\n'));
      const ours = tables(restorable(save));
      assert.deepEqual([...real.keys()].sort(), [...ours.keys()].sort());
      for (const [t, lines] of ours) assert.deepEqual(real.get(t), lines, `table ${t}`);
    });
  }
}

function nftAvailable(): string | false {
  const r = spawnSync('unshare', ['-n', 'nft', 'list', 'ruleset'], { encoding: 'utf8' });
  return r.status === 0
    ? false
    : `cannot run nft in a network namespace here (${(r.stderr || r.error?.message || '').trim().split('\n')[0]})`;
}

for (const fixture of ['overall', 'features', 'ipv6']) {
  test(
    `the nftables rendering loads into a real kernel as one nft -f transaction (${fixture})`,
    { skip: nftAvailable() },
    () => {
      const dir = path.resolve(__dirname, '../fixtures/netfilter', fixture);
      const { config } = loadConfig([dir]);
      const ws = loadWorkspace([dir], config);
      const text = renderNft(nodeProxy(ws, proxySettings(ws, { mode: 'nftables' })));
      const r = spawnSync(
        'unshare',
        ['-n', 'sh', '-c', `nft -f - && nft list table ${fixture === 'ipv6' ? 'ip6' : 'ip'} kube-proxy`],
        { input: text, encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      for (const chain of text
        .split('\n')
        .filter(l => l.startsWith('add chain '))
        .map(l => l.split(' ')[4])) {
        assert.ok(r.stdout.includes(`chain ${chain} {`), `chain ${chain} listed`);
      }
    },
  );
}
