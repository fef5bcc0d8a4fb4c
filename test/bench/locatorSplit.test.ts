// The bench made SourceLocator parse only the document a finding needs, and take ranges from
// js-yaml where it can (server/src/engine/parse/locate.ts, fastRanges.ts). These tests hold both
// shortcuts to the ranges a whole-file `yaml` parse gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, isMap, isSeq, isPair, isScalar, Node as YNode, Document } from 'yaml';
import { SourceLocator, Path } from '../../server/src/engine/parse/locate';
import { fastDocument } from '../../server/src/engine/parse/fastRanges';
import { generateWorkspace } from './generator';
import { sharedSuite } from '../support/shared';

const corpus = sharedSuite('corpus');

interface Expected {
  path: Path;
  key?: [number, number];
  value?: [number, number];
}

/** Every key and value of one document with its range, from a whole-file parse. */
function expectedRanges(text: string): Expected[][] {
  const docs = parseAllDocuments(text, { prettyErrors: false });
  const out: Expected[][] = [];
  for (const d of Array.isArray(docs) ? docs : []) {
    const list: Expected[] = [];
    const walk = (node: unknown, p: Path) => {
      if (list.length > 400) return;
      if (isMap(node)) {
        // Last to first: a repeated key resolves to its last occurrence, whose value the parsers keep.
        for (const pair of [...node.items].reverse()) {
          if (!isPair(pair) || !isScalar(pair.key)) continue;
          const q = [...p, String(pair.key.value)];
          if (list.some(e => e.path.join('\u0000') === q.join('\u0000'))) continue;
          list.push({ path: q, key: range(pair.key), value: range(pair.value) });
          walk(pair.value, q);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => {
          list.push({ path: [...p, i], value: range(item) });
          walk(item, [...p, i]);
        });
      }
    };
    walk(d.contents, []);
    out.push(list);
  }
  return out;
}

function range(n: unknown): [number, number] | undefined {
  const r = (n as YNode | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** Compares each document through a fresh locator, so every document takes the per-document path. */
function assertSameRanges(text: string, label: string): void {
  const expected = expectedRanges(text);
  expected.forEach((entries, doc) => {
    const loc = new SourceLocator(text);
    for (const e of entries) {
      if (e.value)
        assert.deepEqual(loc.offsetsOf({ doc, path: e.path }), e.value, `${label}: doc ${doc} ${e.path.join('.')}`);
      if (e.key)
        assert.deepEqual(
          loc.offsetsOf({ doc, path: e.path, part: 'key' }),
          e.key,
          `${label}: doc ${doc} key ${e.path.join('.')}`,
        );
      const node = loc.nodeAt(doc, e.path);
      if (e.value && node) assert.deepEqual(range(node), e.value, `${label}: nodeAt doc ${doc} ${e.path.join('.')}`);
    }
  });
  assert.deepEqual(
    new SourceLocator(text).offsetsOf({ doc: expected.length, path: ['kind'] }),
    [0, 0],
    `${label}: no document ${expected.length}`,
  );
  assertSamePathAt(text, label);
}

/** pathAt as it was first written: over a whole-file `yaml` parse. The reference for the shortcuts. */
function referencePathAt(
  docs: ReturnType<typeof parseAllDocuments>,
  offset: number,
): { doc: number; path: Path; part: 'key' | 'value' } | undefined {
  const list = (Array.isArray(docs) ? docs : []) as Document.Parsed[];
  const doc = list.findIndex(d => d.range[0] <= offset && offset <= d.range[2]);
  if (doc < 0) return undefined;
  const path: (string | number)[] = [];
  let node: unknown = list[doc].contents;
  let part: 'key' | 'value' = 'value';
  const within = (n: unknown) => {
    const r = range(n);
    return !!r && r[0] <= offset && offset <= r[1];
  };
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find(p => within(p.key) || within(p.value));
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      if (within(pair.key)) {
        part = 'key';
        break;
      }
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex(it => within(it));
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
    } else {
      break;
    }
  }
  return { doc, path, part };
}

/** pathAt (hovers) through per-document parses and js-yaml ranges must answer as over the whole-file parse. */
function assertSamePathAt(text: string, label: string): void {
  const whole = parseAllDocuments(text, { prettyErrors: false });
  const step = Math.max(1, Math.floor(text.length / 60));
  const offsets: number[] = [];
  for (let offset = 0; offset <= text.length; offset += step) offsets.push(offset);
  for (const m of text.matchAll(/^---/gm)) offsets.push(m.index! - 1, m.index!, m.index! + 1); // document boundaries
  for (const offset of offsets.filter(o => o >= 0)) {
    assert.deepEqual(
      new SourceLocator(text).pathAt(offset),
      referencePathAt(whole, offset),
      `${label}: pathAt(${offset})`,
    );
  }
}

const EDGE_CASES: Record<string, string> = {
  'leading marker': '---\na: 1\n',
  'comment before first marker': '# header\n---\na: 1\n---\nb: 2\n',
  'trailing marker': 'a: 1\n---\n',
  'comment-only document': 'a: 1\n---\n# only a comment\n---\nb: 2\n',
  'marker with comment and tag': '--- # first\na: 1\n--- !!map\nb: 2\n',
  'block scalar before marker': 'a: |\n  x\n  ---\n---\nb: [1, 2]\n',
  directive: '%YAML 1.2\n---\na: 1\n---\nb: 2\n',
  'document end marker': 'a: 1\n...\n---\nb: 2\n',
  'byte-order mark': '\uFEFFa: 1\n---\nb: 2\n',
  CRLF: 'a: 1\r\n---\r\nb:\r\n  c: 2\r\n',
  'broken flow across marker': 'a: [1,\n---\n2]\nb: 3\n',
  'quoted scalar across marker': "a: 'x\n---\ny'\n---\nb: 2\n",
  'empty first document': '---\n---\na: 1\n',
  'blank head': '  \n\n---\na: 1\n',
  'four dashes': 'a: 1\n----\nb: 2\n',
  list: 'apiVersion: v1\nkind: List\nitems:\n- kind: Service\n  metadata:\n    name: a\n- kind: Pod\n---\nkind: ConfigMap\n',
  'indented marker-like line': 'a: |\n  ---\n  b\nc: 1\n',
  // Shapes the js-yaml fast path (parse/fastRanges.ts) answers for itself, or must hand to yaml.
  'block scalars': 'a: |-\n  x\n\n  y\n\nb: >\n  folded\n  text\nc: |2\n    indented\nd: |+\n  keep\n\n',
  'flow collections': 'a: {x: 1, "y": [1, 2]}\nb: [ {c: d} ]\ne: []\nf: {}\n',
  'quoted keys and values': "\"a b\": 'c'\n'd': \"e \\\" f\"\ng: ''\n",
  'nested sequences': 'a:\n- - 1\n  - 2\n- - 3\nb:\n  - x\n\n  - y: 1\n    z:\n    - 2\n',
  'empty values': 'a:\nb: 1\nc:\n  d:\n',
  'no final newline': 'a:\n  b: [1]\n  c: x',
  'trailing spaces': 'a: 1   \nb:   \n  - x  \n  - y\n',
  'non-string keys': '1: a\ntrue: b\nnull: c\n',
  'multi-line plain scalar': 'a: one\n  two\nb: 2\n',
  comments: 'a: 1 # one\n# between\nb:\n  - x # ex\n  # tail\nc: 2\n',
  'anchors and aliases': 'a: &x {b: 1}\nc: *x\n',
  'scalar document': '--- plain\n--- "quoted"\n--- |\n  block\n',
};

test('per-document locating matches a whole-file parse on edge cases', () => {
  for (const [label, text] of Object.entries(EDGE_CASES)) assertSameRanges(text, label);
});

test('per-document locating matches a whole-file parse on generated multi-document and List files', () => {
  const ws = generateWorkspace({ resources: 150, seed: 3 });
  for (const f of ws.files) assertSameRanges(f.text, f.path);
});

test('the js-yaml fast path answers for plain manifests, so the comparisons above exercise it', () => {
  const w = generateWorkspace({ resources: 1000, seed: 5 });
  let fast = 0,
    all = 0;
  for (const f of w.files)
    for (const d of f.text.split(/^---\n/m)) {
      all++;
      if (fastDocument(d)) fast++;
    }
  assert.ok(fast / all > 0.8, `${fast}/${all} documents`);
  assert.equal(fastDocument('a: &x 1\nb: *x\n'), undefined, 'aliases go to yaml');
  assert.equal(fastDocument('a: 1 # note\n'), undefined, 'comments go to yaml');
  assert.equal(fastDocument('a:\nb: 1\n'), undefined, 'empty values go to yaml');
});

test('per-document locating matches a whole-file parse on the real-world corpus', { skip: corpus.skip }, () => {
  const files: string[] = [];
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (/\.ya?ml$/.test(e.name) && fs.statSync(p).size < 512 * 1024) files.push(p);
    }
  };
  visit(corpus.dir);
  // Single-document files take the same path as a whole-file parse; the multi-document ones matter.
  const multi = files.filter(f => /^---/m.test(fs.readFileSync(f, 'utf8')));
  assert.ok(multi.length > 50, 'the corpus has multi-document YAML files');
  for (const f of multi) assertSameRanges(fs.readFileSync(f, 'utf8'), f);
});
