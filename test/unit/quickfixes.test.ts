import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine';
import { LineIndex } from '../../server/src/engine/text/lineIndex';

/** Applying a rule's preferred quick fix must make that finding go away. */
const FIXTURES = path.resolve(__dirname, '../fixtures/rules');

function applyFirstFix(ws: Workspace, file: string, rule: string): string | undefined {
  const d = ws.diagnostics(file).find(x => x.code === rule && x.fixes.length > 0);
  if (!d) return undefined;
  const text = ws.file(file)!.text;
  const lines = new LineIndex(text);
  const edits = [...d.fixes[0].edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let out = text;
  for (const e of edits)
    out = out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end));
  return out;
}

for (const [rule, fixture, expectText] of [
  ['service-selector-no-match', 'service-selector-no-match/trigger.yaml', 'app: web # <-'],
  ['service-target-port-unresolved', 'service-target-port-unresolved/trigger.yaml', 'targetPort: http # <-'],
  ['port-name-invalid', 'port-name-invalid/trigger.yaml', 'name: n23456789012345 # <-'],
  ['workload-selector-mismatch', 'workload-selector-mismatch/trigger.yaml', 'app: db # <-'],
  ['ingress-backend-service-missing', 'ingress-backend-service-missing/trigger.yaml', 'name: cart # <-'],
  ['port-value-invalid', 'port-value-invalid/trigger.yaml', 'port: 8080 # <-'],
  ['service-target-port-undeclared', 'service-target-port-undeclared/trigger.yaml', 'targetPort: 8080 # <-'],
  ['probe-port-undefined', 'probe-port-undefined/trigger.yaml', 'port: 9090 # <-'],
] as const) {
  test(`${rule}: the quick fix repairs the text`, () => {
    const file = path.join(FIXTURES, fixture);
    const ws = new Workspace();
    ws.setFile(file, fs.readFileSync(file, 'utf8'));
    ws.analyze();
    const before = ws.diagnostics(file).filter(d => d.code === rule).length;
    const fixed = applyFirstFix(ws, file, rule);
    assert.ok(fixed, 'a fix is offered');
    assert.ok(fixed.includes(expectText), fixed);
    ws.setFile(file, fixed);
    ws.analyze();
    assert.equal(ws.diagnostics(file).filter(d => d.code === rule).length, before - 1);
  });
}

test('the suppression edit silences exactly the finding it was made for', async () => {
  const { suppressionEdit } = await import('../../server/src/engine/config/suppressionEdit');
  const file = path.join(FIXTURES, 'service-selector-no-match/trigger.yaml');
  const ws = new Workspace();
  ws.setFile(file, fs.readFileSync(file, 'utf8'));
  ws.analyze();
  const [first, second] = ws.diagnostics(file);
  const text = ws.file(file)!.text;
  const lines = new LineIndex(text);
  const e = suppressionEdit(file, ws.file(file)!.locator, first.range.start, first.code);
  const offset = lines.offsetAt(e.range.start);
  ws.setFile(file, text.slice(0, offset) + e.newText + text.slice(lines.offsetAt(e.range.end)));
  ws.analyze();
  const after = ws.diagnostics(file);
  assert.equal(after.length, 1);
  assert.equal(after[0].message, second.message);
  // A second rule on an existing directive is appended to it.
  const again = suppressionEdit(
    file,
    ws.file(file)!.locator,
    { line: first.range.start.line + 1, character: first.range.start.character },
    'pod-port-conflict',
  );
  assert.equal(again.newText, ',pod-port-conflict');
});

// Fixes are located when first read (workspace.ts withLazyFixes): read after the file changed,
// they must still be those of the text the diagnostic was made for.
test('fixes read after the file changed are those of the text the diagnostics were made for', () => {
  const files = fs
    .readdirSync(FIXTURES)
    .map(d => path.join(FIXTURES, d, 'trigger.yaml'))
    .filter(f => fs.existsSync(f));
  let withFixes = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const eager = new Workspace();
    eager.setFile(file, text);
    eager.analyze();
    const expected = eager.diagnostics(file).map(d => d.fixes);
    const lazy = new Workspace();
    lazy.setFile(file, text);
    lazy.analyze();
    const held = lazy.diagnostics(file);
    lazy.setFile(file, '# moved\n\n' + text.replace(/: /g, ':  '));
    lazy.analyze();
    assert.ok(lazy.diagnostics(file) !== held);
    assert.deepEqual(
      held.map(d => d.fixes),
      expected,
      file,
    );
    if (expected.some(f => f.length)) withFixes++;
  }
  assert.ok(withFixes >= 8, `fixtures with fixes: ${withFixes}`);
});
