// Regenerates the findings in test/corpus/expectations.json from the current engine while
// keeping every category's justification. Findings that no category accepts land in new
// categories marked "TODO justify", which the corpus test rejects until someone reviews them.
//   node scripts/update-corpus-expectations.mjs [set…]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The engine is TypeScript; load it the way the test runner does (node --import tsx).
if (!process.env.KN_CORPUS_TSX) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, KN_CORPUS_TSX: '1' },
  });
  process.exit(r.status ?? 1);
}
const { goodSets, findingsOfSet } = await import('../test/corpus/collect.ts');
const { readExpectations, writeExpectations, refile, EXPECTATIONS_FILE } =
  await import('../test/corpus/expectations.ts');

const only = process.argv.slice(2);
const expectations = readExpectations();
const sets = goodSets();
let todo = 0;
for (const set of sets) {
  if (only.length && !only.includes(set)) continue;
  const findings = await findingsOfSet(set);
  const { categories, dropped, added } = refile(expectations.sets[set] ?? [], findings);
  expectations.sets[set] = categories;
  todo += added.length;
  console.log(`${set}: ${findings.length} findings in ${categories.length} categories`);
  for (const c of dropped) console.log(`  dropped (no findings left): ${c.rule} /${c.files}/ — ${c.justification}`);
  for (const c of added) console.log(`  NEW, needs a justification: ${c.rule} (${c.findings.length}) /${c.files}/`);
}
for (const set of Object.keys(expectations.sets)) if (!sets.includes(set)) delete expectations.sets[set];
expectations.sets = Object.fromEntries(Object.entries(expectations.sets).sort(([a], [b]) => a.localeCompare(b)));
writeExpectations(expectations);
console.log(`wrote ${EXPECTATIONS_FILE}${todo ? `; ${todo} new categories need a justification` : ''}`);
