import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace, defaultAnalyzers } from '../../server/src/engine';
import { hoverAt } from '../../server/src/engine/hover';
import { LineIndex } from '../../server/src/engine/text/lineIndex';
import { decodeText } from '../../server/src/engine/text/decode';
import '../../server/src/engine/features';

/**
 * Issue 10 item 11: line endings, repeated keys and encodings. A CR-only file put every finding
 * at 1:1; with a repeated key the finding pointed at the first key while the second takes
 * effect; UTF-16 files were refused as "NUL bytes"; invalid UTF-8 passed silently.
 */

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: c
          image: nginx
          ports:
            - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: typo
spec:
  selector:
    app: wbe
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: htp
`;

function diagnose(text: string, id = 'm.yaml') {
  const ws = new Workspace(undefined, defaultAnalyzers());
  ws.setFile(id, text);
  ws.analyze();
  return { ws, diags: ws.diagnostics(id) };
}
const summary = (diags: ReturnType<typeof diagnose>['diags']) =>
  diags.map(
    d => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code}`,
  );

describe('line endings', () => {
  const lf = summary(diagnose(MANIFEST).diags);

  test('the LF file has findings away from 1:1 (the baseline)', () => {
    assert.deepEqual(lf, ['23:9-23:12 service-selector-no-match', '36:18-36:21 service-target-port-unresolved']);
  });

  for (const [name, eol] of [
    ['CRLF', '\r\n'],
    ['CR-only', '\r'],
  ] as const) {
    test(`${name}: the same positions as LF, and the quick fix edits the right characters`, () => {
      const text = MANIFEST.replace(/\n/g, eol);
      const { ws, diags } = diagnose(text);
      assert.deepEqual(summary(diags), lf);
      const lines = new LineIndex(text);
      assert.equal(lines.lineCount, MANIFEST.split('\n').length);
      assert.equal(lines.lineText(23), '    app: wbe');
      assert.equal(lines.lineBreak(23), eol);
      // The near-miss fix replaces exactly `wbe`.
      const fix = diags.find(d => d.code === 'service-selector-no-match')!.fixes[0].edits[0];
      const s = lines.offsetAt(fix.range.start),
        e = lines.offsetAt(fix.range.end);
      assert.equal(text.slice(s, e), 'wbe');
      // Hovers find the same node as in the LF file.
      const offset = text.indexOf('app: wbe') + 1;
      assert.equal(
        hoverAt(ws, 'm.yaml', offset)?.markdown,
        hoverAt(diagnose(MANIFEST).ws, 'm.yaml', MANIFEST.indexOf('app: wbe') + 1)?.markdown,
      );
    });
  }

  test('a mix of CRLF, CR and LF counts every break once', () => {
    const lines = new LineIndex('a\r\nb\rc\nd');
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(
      [0, 1, 2, 3].map(l => lines.lineText(l)),
      ['a', 'b', 'c', 'd'],
    );
    assert.deepEqual(
      [0, 1, 2, 3].map(l => lines.lineBreak(l)),
      ['\r\n', '\r', '\n', ''],
    );
    assert.deepEqual(lines.positionAt(5), { line: 2, character: 0 });
  });
});

describe('repeated keys', () => {
  const dup = MANIFEST.replace('      targetPort: htp\n', '      targetPort: http\n      targetPort: htp\n');

  test('the repeat is reported, and findings sit on the key that takes effect', () => {
    const { diags } = diagnose(dup);
    const repeat = diags.find(d => d.code === 'yaml-duplicate-key');
    assert.ok(repeat, JSON.stringify(summary(diags)));
    assert.equal(repeat.severity, 'error');
    assert.equal(repeat.range.start.line, 37);
    assert.match(repeat.message, /Key "targetPort" is repeated \(first on line 37\)/);
    // js-yaml keeps the last value (htp), so the finding is about it, on line 38 (0-based 37).
    const unresolved = diags.find(d => d.code === 'service-target-port-unresolved');
    assert.ok(unresolved);
    assert.equal(unresolved.range.start.line, 37);
    assert.match(unresolved.message, /"htp"/);
  });

  test('repeats in a file with a syntax error elsewhere are reported too, the document still read', () => {
    const { diags } = diagnose(`${dup}---\nbroken: [unclosed\n`);
    const codes = diags.map(d => d.code).sort();
    assert.deepEqual(codes, [
      'service-selector-no-match',
      'service-target-port-unresolved',
      'yaml-duplicate-key',
      'yaml-syntax',
    ]);
  });

  test('merge keys are not repeats; "1" and 1 are the same key as js-yaml reads them', () => {
    const base = `a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n`;
    assert.ok(!diagnose(base).diags.some(d => d.code === 'yaml-duplicate-key'));
    const numeric = diagnose('m:\n  1: a\n  "1": b\n').diags;
    assert.equal(numeric.filter(d => d.code === 'yaml-duplicate-key').length, 1);
  });
});

describe('encodings', () => {
  const utf8 = Buffer.from(MANIFEST, 'utf8');
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MANIFEST, 'utf16le')]);
  const be = Buffer.from(le);
  be.swap16();
  be[0] = 0xfe;
  be[1] = 0xff;

  test('UTF-16LE, UTF-16BE and UTF-8 with a BOM decode to the same text as plain UTF-8', () => {
    assert.deepEqual(decodeText(utf8), { text: MANIFEST, encoding: 'utf-8', bom: false });
    assert.deepEqual(decodeText(le), { text: MANIFEST, encoding: 'utf-16le', bom: true, notice: undefined });
    assert.deepEqual(decodeText(be), { text: MANIFEST, encoding: 'utf-16be', bom: true, notice: undefined });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
    assert.deepEqual(decodeText(bom), { text: MANIFEST, encoding: 'utf-8', bom: true });
  });

  test('invalid UTF-8: a notice from decoding, a diagnostic where it is, the rest analysed', () => {
    const at = MANIFEST.indexOf('nginx');
    const bad = Buffer.concat([utf8.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff]), utf8.subarray(at)]);
    const decoded = decodeText(bad);
    assert.match(decoded.notice ?? '', /not valid UTF-8: the first invalid byte is at line 14, column 18/);
    const { diags } = diagnose(decoded.text);
    const enc = diags.find(d => d.code === 'file-encoding');
    assert.ok(enc);
    assert.equal(enc.severity, 'warning');
    assert.deepEqual(enc.range.start, { line: 13, character: 17 });
    assert.match(enc.message, /2 replacement characters/);
    assert.ok(diags.some(d => d.code === 'service-selector-no-match'));
  });

  const CLI = path.resolve(__dirname, '../../dist/cli.js');
  before(() => assert.ok(fs.existsSync(CLI), 'run npm run build first (npm test does)'));

  test('the CLI reads every encoding of the same manifest to the same findings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-enc-'));
    try {
      const files: Record<string, Buffer> = {
        'utf8.yaml': utf8,
        'bom.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]),
        'utf16le.yaml': le,
        'utf16be.yaml': be,
        'cr.yaml': Buffer.from(MANIFEST.replace(/\n/g, '\r'), 'utf8'),
        'crlf.yaml': Buffer.from(MANIFEST.replace(/\n/g, '\r\n'), 'utf8'),
      };
      const out: Record<string, string[]> = {};
      for (const [name, bytes] of Object.entries(files)) {
        fs.mkdirSync(path.join(dir, name));
        fs.writeFileSync(path.join(dir, name, name), bytes);
        const r = spawnSync(process.execPath, [CLI, '--format', 'json', path.join(dir, name)], { encoding: 'utf8' });
        assert.equal(r.status, 1, r.stderr);
        out[name] = (
          JSON.parse(r.stdout) as { code: string; range: { start: { line: number; character: number } } }[]
        ).map(d => `${d.range.start.line}:${d.range.start.character} ${d.code}`);
      }
      for (const name of Object.keys(files)) assert.deepEqual(out[name], out['utf8.yaml'], name);
      assert.deepEqual(out['utf8.yaml'], ['23:9 service-selector-no-match', '36:18 service-target-port-unresolved']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
