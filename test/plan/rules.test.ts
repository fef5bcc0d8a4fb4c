import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLAN_RULES, PLAN_NOTE_IDS } from '../../server/src/engine/plan/rules';
import { PLAN_FIXTURES, load, findingKeys, expectedKeys } from './support';

/**
 * Each address-plan rule has test/fixtures/plan/<rule>/trigger (a workspace whose every expected
 * finding is marked: `# <- rule` in YAML, `file:line rule` in expect.txt for JSON and embedded
 * strings) and clean (a workspace on which the plan analyzer reports nothing at all).
 */
const ids = [...PLAN_RULES.map(r => r.id), ...PLAN_NOTE_IDS];

for (const id of ids) {
  const dir = path.join(PLAN_FIXTURES, id);

  test(`${id}: has trigger and clean fixtures and a docs page`, () => {
    assert.ok(fs.statSync(path.join(dir, 'trigger')).isDirectory());
    assert.ok(fs.statSync(path.join(dir, 'clean')).isDirectory());
    assert.ok(fs.existsSync(path.resolve(__dirname, `../../docs/rules/${id}.md`)), `docs/rules/${id}.md`);
  });

  test(`${id}: reports exactly the marked lines of its trigger workspace`, () => {
    const trigger = path.join(dir, 'trigger');
    const want = expectedKeys(trigger, id);
    assert.ok(want.length > 0, 'the fixture marks at least one finding');
    const ws = load(trigger);
    assert.deepEqual(findingKeys(ws, trigger, id), want);
    for (const f of ws.fileIds())
      for (const d of ws.diagnostics(f).filter(x => x.code === id)) {
        assert.ok(d.message.length > 30, 'the message explains the problem');
        assert.ok(
          d.range.end.line > d.range.start.line || d.range.end.character > d.range.start.character,
          `non-empty range: ${d.message}`,
        );
        assert.match(d.href, new RegExp(`docs/rules/${id}\\.md$`));
      }
  });

  test(`${id}: the clean workspace has no findings at all`, () => {
    const clean = path.join(dir, 'clean');
    assert.deepEqual(findingKeys(load(clean), clean), []);
  });
}
