import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Workspace, defaultAnalyzers, defaultConfig } from '../../server/src/engine';
import { load } from '../plan/support';
import type { LocatedDiagnostic } from '../../server/src/engine';

/**
 * Quick fixes of the call rules: applied to the text, they leave valid YAML in the file's own
 * style, and re-analysing the edited workspace makes the finding go away.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/calls');

function applyFix(ws: Workspace, d: LocatedDiagnostic): Map<string, string> {
  const fix = d.fixes[0];
  assert.ok(fix, `a quick fix for: ${d.message}`);
  const texts = new Map<string, string>();
  const byFile = new Map<string, { s: number; e: number; t: string }[]>();
  for (const e of fix.edits) {
    const lines = ws.file(e.fileId)!.locator.lines;
    const list = byFile.get(e.fileId) ?? [];
    list.push({ s: lines.offsetAt(e.range.start), e: lines.offsetAt(e.range.end), t: e.newText });
    byFile.set(e.fileId, list);
  }
  for (const [f, edits] of byFile) {
    let text = ws.file(f)!.text;
    for (const x of edits.sort((a, b) => b.s - a.s)) text = text.slice(0, x.s) + x.t + text.slice(x.e);
    texts.set(f, text);
  }
  return texts;
}

function copyOf(dir: string): Workspace {
  const src = load(dir);
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  for (const f of src.fileIds()) ws.setFile(f, src.file(f)!.text);
  ws.analyze();
  return ws;
}

for (const id of ['call-denied-by-policy', 'call-port-missing', 'call-service-missing']) {
  test(`${id}: every quick fix yields valid YAML and removes its finding`, () => {
    const dir = path.join(FIXTURES, id, 'trigger');
    const ws = copyOf(dir);
    const all = ws.fileIds().flatMap(f => ws.diagnostics(f).filter(d => d.code === id));
    const withFix = all.filter(d => d.fixes.length);
    assert.ok(withFix.length > 0, 'at least one finding offers a fix');
    for (const d of withFix) {
      const fresh = copyOf(dir);
      const before = fresh.diagnostics(d.fileId).filter(x => x.code === id).length;
      for (const [f, text] of applyFix(fresh, d)) {
        for (const doc of parseAllDocuments(text))
          assert.deepEqual(doc.errors, [], `valid YAML after "${d.fixes[0].title}"`);
        fresh.setFile(f, text);
      }
      fresh.analyze();
      const after = fresh.diagnostics(d.fileId).filter(x => x.code === id);
      assert.equal(
        after.length,
        before - 1,
        `"${d.fixes[0].title}" fixes ${d.message}\n${after.map(x => x.message).join('\n')}`,
      );
    }
  });
}

test('call-denied-by-policy: the added rule follows the list style of the policy it extends', () => {
  const ws = copyOf(path.join(FIXTURES, 'call-denied-by-policy', 'trigger'));
  const cart = ws
    .fileIds()
    .flatMap(f => ws.diagnostics(f))
    .find(d => d.code === 'call-denied-by-policy' && d.message.includes('shop/cart'))!;
  assert.equal(cart.fixes[0].edits.length, 1);
  assert.equal(
    cart.fixes[0].edits[0].newText,
    [
      '',
      '    - from:',
      '        - podSelector:',
      '            matchLabels:',
      '              app: frontend',
      '      ports:',
      '        - protocol: TCP',
      '          port: 8080',
    ].join('\n'),
  );
  const redis = ws
    .fileIds()
    .flatMap(f => ws.diagnostics(f))
    .find(d => d.code === 'call-denied-by-policy' && d.message.includes('cache/redis'))!;
  // default-deny has no ingress list: the fix adds one, with a namespaceSelector for shop.
  assert.match(
    redis.fixes[0].edits[0].newText,
    /\n {2}ingress:\n {4}- from:\n {8}- podSelector:[\s\S]*namespaceSelector:\n {12}matchLabels:\n {14}kubernetes\.io\/metadata\.name: shop\n/,
  );
  assert.ok(
    redis.related.some(r => r.message.includes('default-deny')),
    JSON.stringify(redis.related),
  );
});
