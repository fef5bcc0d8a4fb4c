import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine';
import { hoverAt } from '../../server/src/engine/hover';
import { codeLensesFor } from '../../server/src/engine/codelens';
import '../../server/src/engine/features';

/**
 * Typing produces every intermediate state of a file. Feed the engine deterministic
 * truncations and character deletions of real manifests, as an editor would, and require
 * that every state is analysed without an exception and that diagnostics stay well-formed.
 */
const SOURCES = [
  '../fixtures/rules/service-target-port-unresolved/trigger.yaml',
  '../fixtures/rules/ingress-backend-service-missing/trigger.yaml',
  '../fixtures/rules/pod-port-conflict/trigger.yaml',
  '../../examples/shop/network/policies.yaml',
].map(p => path.resolve(__dirname, p));

function* mutations(text: string): Generator<string> {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let cut = 0; cut < text.length; cut += 17) yield text.slice(0, cut);
  for (let i = 0; i < 60; i++) {
    const at = Math.floor(rnd() * text.length);
    yield text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 4));
    yield text.slice(0, at) + ['{', '[', ':', '"', "'", '&a', '*a', '\t', '- ', '{{'][i % 10] + text.slice(at);
  }
}

test('every intermediate editing state is analysed without throwing', () => {
  const ws = new Workspace();
  for (const f of SOURCES) ws.setFile(f, fs.readFileSync(f, 'utf8'));
  ws.analyze();
  let states = 0;
  for (const f of SOURCES) {
    const original = fs.readFileSync(f, 'utf8');
    for (const text of mutations(original)) {
      ws.setFile(f, text);
      ws.analyze();
      for (const d of ws.diagnostics(f)) {
        assert.ok(d.range.start.line <= d.range.end.line);
        assert.ok(d.range.end.line <= text.split('\n').length);
      }
      hoverAt(ws, f, Math.floor(text.length / 2));
      codeLensesFor(ws, f);
      states++;
    }
    ws.setFile(f, original);
  }
  ws.analyze();
  assert.ok(states > 400, `${states} states`);
});
