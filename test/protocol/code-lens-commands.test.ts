// Issue 11 item 6 (code lenses in any LSP client): a client that declares no VS Code commands
// (Neovim, Helix, Emacs) gets lenses whose commands the server advertises and runs itself; a
// client that declares the VS Code commands (our extension) gets those. Before, every client got
// `kubeNetlint.*` commands and Neovim answered "workspace/executeCommand is not supported".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspSession } from '../support/lsp';

const ROOT = path.resolve(__dirname, '../fixtures/protocol/ws');

interface Lens {
  range: unknown;
  command: { title: string; command: string; arguments?: unknown[] };
}

test('issue 11.6: without declared client commands, code lenses carry commands the server runs', async () => {
  const s = await LspSession.start(ROOT, {}, { initializationOptions: {} });
  try {
    const advertised = s.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    assert.deepEqual([...advertised].sort(), ['kube-netlint.proxyRules', 'kube-netlint.tracePath']);
    const uri = s.uri('service.yaml');
    const lenses = await s.request<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map(l => l.command.title).sort(), ['Preview traffic path', 'Show kube-proxy rules']);
    for (const l of lenses) assert.ok(advertised.includes(l.command.command), `${l.command.command} is advertised`);

    const rules = lenses.find(l => l.command.title === 'Show kube-proxy rules')!;
    const r = await s.request<{ text: string }>('workspace/executeCommand', {
      command: rules.command.command,
      arguments: rules.command.arguments,
    });
    assert.match(r.text, /^# kube-proxy iptables mode on node node-1 — Service default\/frontend/);
    // The fixture's selector has a typo, so kube-proxy rejects the ClusterIP.
    assert.match(
      r.text,
      /-A KUBE-SERVICES -m comment --comment "default\/frontend:http has no endpoints" .* -j REJECT/,
    );
    // The person sees it: the same text as a message.
    assert.ok(
      s.messages.some(m => m.type === 3 && m.message === r.text),
      JSON.stringify(s.messages),
    );

    const trace = lenses.find(l => l.command.title === 'Preview traffic path')!;
    const t = await s.request<{ text: string; markdown: string }>('workspace/executeCommand', {
      command: trace.command.command,
      arguments: trace.command.arguments,
    });
    assert.match(t.text, /^Traffic path .*: (OK|BROKEN)/);
    assert.match(t.text, /at service\.yaml:\d+:\d+/, 'sources relative to the workspace folder');
    assert.ok(s.messages.some(m => m.message === t.text));

    // Bad arguments are an error message, not a crash.
    const bad = await s.request<{ error: string }>('workspace/executeCommand', {
      command: 'kube-netlint.tracePath',
      arguments: [{ from: 'service:nowhere:80' }],
    });
    assert.ok(bad.error, JSON.stringify(bad));
    assert.ok(s.messages.some(m => m.type === 1 && m.message === `kube-netlint: ${bad.error}`));
    await assert.rejects(s.request('workspace/executeCommand', { command: 'kubeNetlint.showProxyRules' }));
  } finally {
    await s.stop();
  }
});

test('issue 11.6: a client that declares the VS Code commands gets them in its code lenses', async () => {
  const s = await LspSession.start(
    ROOT,
    {},
    { initializationOptions: { clientCommands: ['kubeNetlint.showProxyRules', 'kubeNetlint.previewTrafficPath'] } },
  );
  try {
    const lenses = await s.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: s.uri('service.yaml') } });
    assert.deepEqual(lenses.map(l => l.command.command).sort(), [
      'kubeNetlint.previewTrafficPath',
      'kubeNetlint.showProxyRules',
    ]);
    const rules = lenses.find(l => l.command.command === 'kubeNetlint.showProxyRules')!;
    assert.deepEqual(rules.command.arguments, [{ service: 'default/frontend' }]);
  } finally {
    await s.stop();
  }
});
