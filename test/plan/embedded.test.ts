import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { scalarTextMap } from '../../server/src/engine/plan/text/textMap';
import { PLAN_FIXTURES, load, textOf } from './support';

const dir = path.join(PLAN_FIXTURES, 'embedded');
const file = path.join(dir, 'styles.yaml');

test('findings inside embedded JSON land on the exact characters of the YAML string, in every scalar style', () => {
  const ws = load(dir);
  const hostBits = ws.diagnostics(file).filter(d => d.code === 'cidr-invalid');
  // block literal, single-quoted with folding and '' escapes, double-quoted with escapes and an escaped line break, kubeadm YAML inside a kind string
  assert.deepEqual(
    hostBits.map(d => textOf(ws, file, d.range)),
    ['10.71.0.9/16', '10.72.0.9/16', '10.73.0.9/16', '10.74.0.9/16'],
  );
  assert.deepEqual(
    hostBits.map(d => d.range.start.line + 1),
    [11, 20, 28, 43],
  );
  const fix = hostBits[1].fixes[0];
  assert.equal(fix.edits[0].newText, '10.72.0.0/16');
  assert.deepEqual(fix.edits[0].range, hostBits[1].range, 'the quick fix replaces exactly the CIDR inside the string');
});

test('a config that is a YAML mapping rather than a string is not treated as CNI JSON', () => {
  const ws = load(dir);
  assert.ok(!ws.diagnostics(file).some(d => d.range.start.line + 1 === 35));
});

test('scalarTextMap maps decoded offsets back through escapes and folding', () => {
  const src = 'k: "a\\tb\\u00e9\n  c"\n';
  const doc = parseDocument(src);
  const node = (doc.contents as { items: { value: unknown }[] }).items[0].value;
  const map = scalarTextMap(src, node)!;
  assert.equal(map.text, 'a\tbé c');
  assert.deepEqual(map.toFile(1, 2), [5, 7], '\\t is two source characters');
  assert.deepEqual(map.toFile(3, 4), [8, 14], '\\u00e9 is six');
  assert.equal(src.slice(...map.toFile(5, 6)), 'c');
});

test('scalarTextMap refuses to guess when it cannot reproduce the value', () => {
  const src = 'k: |2\n   x\n';
  const doc = parseDocument(src);
  const node = (doc.contents as { items: { value: unknown }[] }).items[0].value;
  const map = scalarTextMap(src, node, 'something else');
  assert.equal(map, undefined);
});
