import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspSession } from '../support/lsp';

const root = path.resolve(__dirname, '../fixtures/protocol/ws');
let s: LspSession;

before(async () => {
  s = await LspSession.start(root);
});
after(async () => {
  await s.stop();
});

test('publishes diagnostics for a workspace file that was never opened', async () => {
  const diags = await s.diagnostics(s.uri('service.yaml'), d => d.length > 0);
  const d = diags.find(x => x.code === 'service-selector-no-match');
  assert.ok(d, JSON.stringify(diags));
  assert.equal(d.source, 'kube-netlint');
  assert.match(d.message, /fronted/);
  assert.match(d.codeDescription!.href, /docs\/rules\/service-selector-no-match\.md$/);
  // The range is the selector value `fronted` on line 7 (0-based 6), not the document start.
  assert.deepEqual(d.range, { start: { line: 6, character: 9 }, end: { line: 6, character: 16 } });
  assert.equal(d.relatedInformation?.[0].location.uri, s.uri('deployment.yaml'));
});

test('offers the near-miss label as a quick fix', async () => {
  const uri = s.uri('service.yaml');
  const diags = await s.diagnostics(uri, d => d.length > 0);
  const actions = await s.request<
    { title: string; kind: string; edit: { changes: Record<string, { newText: string; range: unknown }[]> } }[]
  >('textDocument/codeAction', { textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags } });
  const fix = actions.find(a => a.kind === 'quickfix' && /frontend/.test(a.title));
  assert.ok(fix, JSON.stringify(actions));
  assert.deepEqual(fix.edit.changes[uri], [{ range: diags[0].range, newText: 'frontend' }]);
});

test('updates diagnostics after didChange, using the buffer rather than the disk', async () => {
  const uri = s.uri('service.yaml');
  const text = fs.readFileSync(path.join(root, 'service.yaml'), 'utf8');
  s.open(uri, text);
  s.change(uri, text.replace('app: fronted', 'app: frontend'));
  const cleared = await s.diagnostics(uri, d => d.length === 0);
  assert.deepEqual(cleared, []);
  s.change(uri, text.replace('app: fronted', 'app: backend'));
  const again = await s.diagnostics(uri, d => d.length === 1);
  assert.equal(again[0].code, 'service-selector-no-match');
  assert.match(again[0].message, /backend/);
});
