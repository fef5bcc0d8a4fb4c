// Issue 11 item 6 (hovers link to the rest): the Service hover's links are `command:` URIs only
// for a client that declared those commands (the VS Code extension, which trusts exactly them);
// any other client gets the plain hint, since it cannot follow a command link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { AS_VSCODE, LspSession } from '../support/lsp';

const ROOT = path.resolve(__dirname, '../fixtures/protocol/ws');

async function serviceHover(initializationOptions: object): Promise<string> {
  const s = await LspSession.start(ROOT, {}, { initializationOptions });
  try {
    const h = await s.request<{ contents: { kind: string; value: string } } | null>('textDocument/hover', {
      textDocument: { uri: s.uri('service.yaml') },
      position: { line: 3, character: 9 },
    });
    assert.ok(h, 'a hover on the Service name');
    assert.equal(h.contents.kind, 'markdown');
    return h.contents.value;
  } finally {
    await s.stop();
  }
}

/** The target of the Markdown link titled `title` (`[title](<target>)`). */
function linkTarget(md: string, title: string): string | undefined {
  return new RegExp(`\\[${title}\\]\\(<([^>]*)>\\)`).exec(md)?.[1];
}

test('issue 11.6: a client declaring the VS Code commands gets command links to the rules view and the path preview', async () => {
  const md = await serviceHover(AS_VSCODE.initializationOptions);
  const rules = linkTarget(md, 'Show kube-proxy rules');
  assert.ok(rules, md);
  // What VS Code does with a command URI: the query is URI-decoded and parsed as the argument list.
  const [command, query] = rules.split('?');
  assert.equal(command, 'command:kubeNetlint.showProxyRules');
  assert.deepEqual(JSON.parse(decodeURIComponent(query)), [{ service: 'default/frontend' }]);
  const trace = linkTarget(md, 'Preview traffic path');
  assert.ok(trace, md);
  assert.ok(trace.startsWith('command:kubeNetlint.previewTrafficPath?'), trace);
  const [target] = JSON.parse(decodeURIComponent(trace.split('?')[1])) as { from?: string; to?: string }[];
  assert.match(target.to ?? '', /^frontend\.default:80$/);
  // Both links are in the summary, before the packet story.
  assert.ok(md.indexOf(trace) < md.indexOf('\n---\n'));
});

test('issue 11.6: a client declaring nothing gets no command link, but where to find the rules and the path', async () => {
  const md = await serviceHover({});
  assert.ok(!md.includes('command:'), md);
  assert.match(md, /"Show kube-proxy rules" code lens or `kube-netlint iptables --service default\/frontend`/);
  assert.match(md, /"Preview traffic path" code lens/);
});
