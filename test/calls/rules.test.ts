import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CALL_RULES } from '../../server/src/engine/calls/rules';
import { load } from '../plan/support';

/**
 * Each required-connectivity rule has test/fixtures/calls/<rule>/trigger (every expected
 * finding marked `# <- rule "covered text"` in YAML, or `file:line rule "text"` in expect.txt
 * for lines inside block scalars) and clean (a working app on which no call rule reports).
 * The quoted text is what the diagnostic range must cover: the characters naming the address.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/calls');

interface Mark {
  key: string;
  text?: string;
}

function marks(dir: string, id: string): Mark[] {
  const out: Mark[] = [];
  for (const e of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, e), 'utf8');
    const lines =
      e === 'expect.txt'
        ? text.split('\n').map(l => /^(\S+):(\d+) (\S+)(?: "(.*)")?$/.exec(l.trim()))
        : text.split('\n').map((l, i) => {
            const m = /# <- (\S+)(?: "(.*)")?/.exec(l);
            return m ? [l, e, String(i + 1), m[1], m[2]] : null;
          });
    for (const m of lines) if (m && m[3] === id) out.push({ key: `${m[1]}:${m[2]}`, text: m[4] });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

for (const rule of CALL_RULES) {
  const dir = path.join(FIXTURES, rule.id);

  test(`${rule.id}: has trigger and clean fixtures and a docs page`, () => {
    assert.ok(fs.statSync(path.join(dir, 'trigger')).isDirectory());
    assert.ok(fs.statSync(path.join(dir, 'clean')).isDirectory());
    assert.ok(fs.existsSync(path.resolve(__dirname, `../../docs/rules/${rule.id}.md`)), `docs/rules/${rule.id}.md`);
  });

  test(`${rule.id}: reports exactly the marked values of its trigger workspace, on the address's characters`, () => {
    const trigger = path.join(dir, 'trigger');
    const want = marks(trigger, rule.id);
    assert.ok(want.length > 0);
    const ws = load(trigger);
    const found = ws.fileIds().flatMap(f =>
      ws
        .diagnostics(f)
        .filter(d => d.code === rule.id)
        .map(d => {
          const lines = ws.file(f)!.text.split('\n');
          const covered =
            d.range.start.line === d.range.end.line
              ? lines[d.range.start.line].slice(d.range.start.character, d.range.end.character)
              : '(multi-line)';
          assert.ok(d.message.length > 40, d.message);
          assert.match(d.href, new RegExp(`docs/rules/${rule.id}\\.md$`));
          return { key: `${path.relative(trigger, f)}:${d.range.start.line + 1}`, text: covered };
        }),
    );
    found.sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(
      found,
      want.map(w => ({ key: w.key, text: w.text ?? found.find(f => f.key === w.key)?.text })),
    );
  });

  test(`${rule.id}: the clean workspace has no call findings`, () => {
    const clean = path.join(dir, 'clean');
    const ws = load(clean);
    const found = ws
      .fileIds()
      .flatMap(f => ws.diagnostics(f).filter(d => d.code.startsWith('call-')))
      .map(d => `${d.range.start.line + 1} ${d.code}: ${d.message}`);
    assert.deepEqual(found, []);
  });
}
