// Issue 10 item 7: an incremental didChange whose range lies outside the document (line 1e9)
// used to leave the server's buffer with a billion-slot line table, and the next edit spun it
// until it ran out of memory. Driven over stdio, as an editor would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspSession } from '../support/lsp';

const FIXTURE = path.resolve(__dirname, '../fixtures/protocol/ws');
const at = (line: number, character: number) => ({ line, character });

test('issue 10.7: an out-of-range incremental didChange is clamped, logged, and later edits stay consistent', async () => {
  const s = await LspSession.start(FIXTURE);
  try {
    const uri = s.uri('service.yaml');
    const text = fs.readFileSync(path.join(FIXTURE, 'service.yaml'), 'utf8');
    assert.equal(text.split('\n').length, 12, 'fixture: 11 lines and a final newline');
    s.open(uri, text);
    await s.diagnostics(uri, d => d.some(x => x.code === 'service-selector-no-match'));

    // The line table bomb: a one-line range a billion lines down, replaced by one line.
    s.changeRange(uri, { start: at(1e9, 0), end: at(1e9 + 1, 0) }, '# appended\n');
    // Any edit after it: fix the selector typo on line 7 (0-based 6).
    s.changeRange(uri, { start: at(6, 9), end: at(6, 16) }, 'frontend');
    assert.deepEqual(await s.diagnostics(uri, d => d.length === 0), []);

    // The change went to the end of the document: "...http\n" + "# appended\n", so the buffer
    // now has lines 0-12 with line 12 empty. A Service appended there must be reported on the
    // lines where it really is, which only holds if the server's line table is right.
    const appended = [
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: other',
      'spec:',
      '  selector:',
      '    app: nothere',
      '  ports:',
      '    - port: 81',
      '',
    ].join('\n');
    s.changeRange(uri, { start: at(12, 0), end: at(12, 0) }, appended);
    const d = await s.diagnostics(uri, x => x.length === 1);
    assert.equal(d[0].code, 'service-selector-no-match');
    assert.match(d[0].message, /nothere/);
    // With no near miss to offer, the finding sits on the `selector` key (line 7 of the Service).
    assert.deepEqual(d[0].range, { start: at(18, 2), end: at(18, 10) });

    const warning = s.logs.find(l => l.message.includes('outside the document'));
    assert.ok(warning, `a log line about the range; logs: ${JSON.stringify(s.logs)}`);
    assert.equal(warning.type, 2, 'logged as a warning');
    assert.match(warning.message, /service\.yaml \(version 2\): range 1000000000:0-1000000001:0 lies outside/);
    assert.match(warning.message, /applied at 11:0-11:0/);
  } finally {
    await s.stop();
  }
});

test('issue 10.7: changes that are not changes are dropped with a log line, and the server keeps answering', async () => {
  const s = await LspSession.start(FIXTURE);
  try {
    const uri = s.uri('service.yaml');
    const text = fs.readFileSync(path.join(FIXTURE, 'service.yaml'), 'utf8');
    s.open(uri, text);
    await s.diagnostics(uri, d => d.length === 1);
    s.changeRange(uri, { start: { line: 'x', character: 0 }, end: at(1, 0) }, 'kind: Oops\n');
    s.changeRange(uri, { start: at(-5, -1), end: at(0, 0) }, '# head\n');
    s.changeRange(uri, { start: at(Number.MAX_SAFE_INTEGER, 0), end: at(1.5, 2) }, '');
    // After all that the buffer is "# head\n" + the first line and a half (dropped range 1.5 → 1:2
    // to the end); fix it up with a full-text change and check the server followed.
    s.change(uri, text.replace('app: fronted', 'app: backend'));
    const d = await s.diagnostics(uri, x => x.length === 1 && /backend/.test(x[0].message));
    assert.deepEqual(d[0].range, { start: at(5, 2), end: at(5, 10) });
    const hover = await s.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: at(3, 9),
    });
    assert.ok(hover && /kube-proxy/.test(hover.contents.value), 'hover still answered');
    const lines = s.logs.map(l => l.message).filter(m => m.includes('didChange'));
    assert.equal(lines.length, 3, JSON.stringify(lines));
    assert.match(lines[0], /range is not a range .*dropped/);
    assert.match(lines[1], /range -5:-1-0:0 lies outside the document/);
    assert.match(lines[2], /lies outside the document/);
  } finally {
    await s.stop();
  }
});
