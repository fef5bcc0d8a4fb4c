import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { goodSets, findingsOfSet, CorpusFinding } from './collect';
import { CLASSES, Category, TODO, categoryAccepts, entryOf, keyOf, readExpectations } from './expectations';
import { sharedSuite } from '../support/shared';

/**
 * The real-world corpus: every finding on every set must be listed and justified in
 * expectations.json, and nothing listed may disappear silently. A failure prints the exact
 * difference and how to regenerate (node scripts/update-corpus-expectations.mjs).
 */
const shared = sharedSuite('corpus/good');
const expectations = readExpectations();
const sets = shared.present ? goodSets() : [];

function multiset(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function difference(a: Map<string, number>, b: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [k, n] of a) for (let i = b.get(k) ?? 0; i < n; i++) out.push(k);
  return out;
}

describe('real-world corpus (../shared/corpus/good)', { skip: shared.skip }, () => {
  it('lists exactly the sets in the corpus', () => {
    assert.deepEqual(Object.keys(expectations.sets).sort(), sets);
  });

  for (const set of sets) {
    describe(set, () => {
      let findings: CorpusFinding[] = [];
      const categories: Category[] = expectations.sets[set] ?? [];
      before(async () => {
        findings = await findingsOfSet(set);
      });

      it('reports exactly the expected findings', () => {
        const actual = multiset(findings.map(f => keyOf(f.rule, entryOf(f))));
        const expected = multiset(categories.flatMap(c => c.findings.map(e => keyOf(c.rule, e))));
        const extra = difference(actual, expected);
        const missing = difference(expected, actual);
        if (extra.length || missing.length) {
          const message = (k: string) => findings.find(f => keyOf(f.rule, entryOf(f)) === k)?.message ?? '';
          assert.fail(
            [
              `${set}: findings differ from test/corpus/expectations.json (regenerate with node scripts/update-corpus-expectations.mjs, then review)`,
              ...extra.map(k => `  + ${k}  ${message(k).slice(0, 160)}`),
              ...missing.map(k => `  - ${k}`),
            ].join('\n'),
          );
        }
      });

      it('justifies every category', () => {
        for (const c of categories) {
          const where = `${set} ${c.rule} /${c.files}/`;
          assert.ok(
            (CLASSES as readonly string[]).includes(c.class),
            `${where}: class "${c.class}" must be one of ${CLASSES.join(', ')}`,
          );
          assert.ok(c.justification.trim() && !c.justification.includes(TODO), `${where}: needs a justification`);
          assert.ok(c.findings.length > 0, `${where}: category without findings (stale; regenerate)`);
        }
      });

      it('files each finding under the category that claims it', () => {
        for (const c of categories) {
          for (const e of c.findings) {
            const [file, line] = [e.slice(0, e.lastIndexOf(':')), e.slice(e.lastIndexOf(':') + 1)];
            const probe = {
              rule: c.rule,
              file,
              line: Number.parseInt(line, 10),
              severity: 'error' as const,
              message: '',
            };
            const owner = categories.find(x => categoryAccepts(x, probe));
            assert.equal(
              owner,
              c,
              `${set}: ${c.rule} ${e} is listed under /${c.files}/ but belongs to /${owner?.files}/`,
            );
          }
        }
      });

      it('reports errors only where the manifest really is wrong', () => {
        for (const f of findings.filter(x => x.severity === 'error')) {
          const c = categories.find(x => categoryAccepts(x, f));
          assert.equal(
            c?.class,
            'true-problem',
            `${set}: error ${f.rule} ${f.file}:${f.line} is not justified as a true problem: ${f.message}`,
          );
        }
      });
    });
  }
});
