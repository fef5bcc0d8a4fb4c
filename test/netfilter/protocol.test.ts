import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspSession, AS_VSCODE } from '../support/lsp';

// Speaks LSP to the bundled server (dist/server.js; `npm run build` first) over stdio.
const root = path.resolve(__dirname, '../fixtures/netfilter/overall');
const text = fs.readFileSync(path.join(root, 'services.yaml'), 'utf8');
let s: LspSession;

before(async () => {
  // As the VS Code extension: code lenses carry its commands.
  s = await LspSession.start(root, {}, AS_VSCODE);
});
after(async () => {
  await s.stop();
});

function positionOf(needle: string, delta = 0) {
  const i = text.indexOf(needle) + delta;
  const lines = text.slice(0, i).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

test('hover on a Service returns the explanation and a link to its rules', async () => {
  const uri = s.uri('services.yaml');
  await s.diagnostics(uri);
  const h = await s.request<{ contents: { kind: string; value: string } | string; range?: unknown }>(
    'textDocument/hover',
    {
      textDocument: { uri },
      position: positionOf('name: svc4', 7),
    },
  );
  const md = typeof h.contents === 'string' ? h.contents : h.contents.value;
  assert.match(md, /A packet to `172\.30\.0\.44:80`\/TCP from any pod or node/);
  // The rules are one click away (the rules view, next test) instead of pasted in.
  assert.ok(!md.includes('```'), md);
  assert.ok(md.includes('[Show kube-proxy rules](<command:kubeNetlint.showProxyRules?'), md);
});

test('kubeNetlint/proxyRules returns the rules text for one Service and for the workspace', async () => {
  const one = await s.request<{ text: string; mode: string }>('kubeNetlint/proxyRules', { service: 'ns3/svc3' });
  assert.equal(one.mode, 'iptables');
  assert.ok(
    one.text.includes(
      '-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP',
    ),
    one.text,
  );
  assert.ok(!one.text.includes('ns4/svc4'));
  const all = await s.request<{ text: string }>('kubeNetlint/proxyRules', { syntax: 'save' });
  assert.ok(
    all.text.includes(
      '-A KUBE-SERVICES -d 172.30.0.44/32 -p tcp -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK',
    ),
  );
  const nft = await s.request<{ text: string }>('kubeNetlint/proxyRules', { service: 'ns4/svc4', mode: 'nftables' });
  assert.ok(nft.text.includes('add chain ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80'));
  const missing = await s.request<{ error?: string }>('kubeNetlint/proxyRules', { service: 'nope/nope' });
  assert.match(missing.error ?? '', /no Service nope\/nope/);
});

test('kubeNetlint/proxyServices lists the Services for the quick pick, and code lenses carry the command', async () => {
  const list = await s.request<{ service: string }[]>('kubeNetlint/proxyServices', {});
  assert.deepEqual(
    list.map(x => x.service),
    ['ns3/svc3', 'ns4/svc4'],
  );
  const lenses = await s.request<{ command: { command: string; arguments: unknown[] } }[]>('textDocument/codeLens', {
    textDocument: { uri: s.uri('services.yaml') },
  });
  const ours = lenses.filter(l => l.command.command === 'kubeNetlint.showProxyRules');
  assert.deepEqual(
    ours.map(l => l.command.arguments),
    [[{ service: 'ns3/svc3' }], [{ service: 'ns4/svc4' }]],
  );
});
