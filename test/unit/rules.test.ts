import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadWorkspace, defaultConfig, ALL_RULES } from '../../server/src/engine';

/**
 * Each rule has a directory of fixtures: `trigger*.yaml` marks every line where the rule must
 * report with a trailing `# <- <rule-id>` comment; `clean*` fixtures must not trigger the rule.
 * Findings must start on exactly the marked lines, no more and no fewer.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/rules');

function findingsOf(dir: string, rule: string) {
  const ws = loadWorkspace([dir], defaultConfig());
  return ws.fileIds().flatMap(f =>
    ws
      .diagnostics(f)
      .filter(d => d.code === rule)
      .map(d => ({ ...d, file: f })),
  );
}

function expectedLines(file: string, rule: string): number[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((l, i) => (l.includes(`# <- ${rule}`) ? [i] : []));
}

for (const rule of ALL_RULES) {
  const dir = path.join(FIXTURES, rule.id);

  test(`${rule.id}: has trigger and clean fixtures and a docs page`, () => {
    const files = fs.readdirSync(dir);
    assert.ok(
      files.some(f => f.startsWith('trigger')),
      'trigger fixture',
    );
    assert.ok(
      files.some(f => f.startsWith('clean') || fs.statSync(path.join(dir, f)).isDirectory()),
      'clean fixture',
    );
  });

  for (const f of fs.readdirSync(dir).filter(f => f.startsWith('trigger'))) {
    test(`${rule.id}: reports exactly the marked lines of ${f}`, () => {
      const file = path.join(dir, f);
      const found = findingsOf(file, rule.id);
      const want = expectedLines(file, rule.id);
      assert.ok(want.length > 0, 'fixture marks at least one line');
      assert.deepEqual(
        found.map(d => d.range.start.line).sort((a, b) => a - b),
        want,
        found.map(d => `${d.range.start.line + 1}: ${d.message}`).join('\n'),
      );
      for (const d of found) {
        assert.equal(d.source, 'kube-netlint');
        assert.ok(d.message.length > 20, 'message explains the problem');
        assert.ok(
          d.range.end.line > d.range.start.line || d.range.end.character > d.range.start.character,
          'non-empty range',
        );
      }
    });
  }

  for (const f of fs.readdirSync(dir).filter(f => !f.startsWith('trigger'))) {
    test(`${rule.id}: stays silent on ${f}`, () => {
      assert.deepEqual(
        findingsOf(path.join(dir, f), rule.id).map(d => `${d.range.start.line + 1}: ${d.message}`),
        [],
      );
    });
  }
}
