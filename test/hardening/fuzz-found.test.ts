import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, defaultAnalyzers, defaultConfig } from '../../server/src/engine';
import { hoverAt } from '../../server/src/engine/hover';
import '../../server/src/engine/features';

/**
 * What the fuzzer (fuzz.test.ts, `npm run fuzz`) found, one test per problem, each the shrunk
 * mutant written out as a case a person can read.
 */

const LONELY = `apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
  selector:
    app: nobody
  ports:
    - port: 80
`;

function analyse(text: string) {
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  ws.setFile('a.yaml', text);
  ws.analyze();
  return ws;
}

// `yaml` (the recovery parser and the range locator) compared every key of a mapping with every
// key before it: a Service whose `spec:` became a flow map of 2,550 keys (fuzz: a huge value
// swapped in above indented lines) took 10 s, 32,000 keys 30 s to read and as long to locate. The
// timeout fails the test when that comes back (a synchronous parse is only reported when it ends,
// after a minute); in linear time it takes a few seconds.
for (const [shape, map] of [
  ['a flow mapping', (keys: string[]) => `{${keys.join(', ')}}`],
  ['a block mapping', (keys: string[]) => `\n${keys.map(k => `    ${k}`).join('\n')}`],
] as const) {
  /** A ConfigMap holding `n` keys (the 8th repeated at the end), maybe a syntax error, and a Service with a finding. */
  const file = (n: number, broken: boolean) => {
    const keys = Array.from({ length: n }, (_, i) => `k${i}: ${i}`);
    keys.push('k7: again');
    return `apiVersion: v1
kind: ConfigMap
metadata:
  name: big
data:
  big: ${map(keys)}
${broken ? '   misindented: [\n' : ''}---
${LONELY}`;
  };

  test(
    `a syntax error beside ${shape} of 30,000 keys: read in linear time, repeats still reported`,
    { timeout: 30_000 },
    () => {
      const text = file(30_000, true);
      const ws = analyse(text);
      const codes = ws.diagnostics('a.yaml').map(d => d.code);
      assert.ok(codes.includes('yaml-syntax'), codes.join());
      assert.ok(codes.includes('service-selector-no-match'), codes.join());
      // Hovers locate through the same parse, at the last key and on the Service.
      hoverAt(ws, 'a.yaml', text.indexOf('k29999'));
      assert.ok(hoverAt(ws, 'a.yaml', text.indexOf('app: nobody')));
      // A repeated key is found by the engine's own one-pass check, with or without the error.
      for (const broken of [false, true]) {
        const repeat = analyse(file(1000, broken))
          .diagnostics('a.yaml')
          .filter(d => d.code === 'yaml-duplicate-key');
        assert.equal(repeat.length, 1, `broken: ${broken}`);
        assert.match(repeat[0].message, /"k7" is repeated/);
      }
    },
  );
}

// A `.kube-netlint.yaml` whose `rules:` became a flow map of 44,350 keys (fuzz: a huge value on the
// first line of the CLI fixture's config) took minutes: every unknown rule id was located by a
// parse of its own and a scan of the map, and checked against every other problem by a scan.
test(
  'a configuration file with 20,000 unknown rule ids: each one a config-invalid at its key',
  { timeout: 30_000 },
  () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `no-such-rule-${i}`);
    const text = `rules: {${ids.map(id => `${id}: off`).join(', ')}}\n`;
    const ws = new Workspace(defaultConfig(), defaultAnalyzers());
    ws.setFile('.kube-netlint.yaml', text);
    ws.analyze();
    const diags = ws.diagnostics('.kube-netlint.yaml');
    assert.equal(diags.length, 20_000);
    assert.ok(diags.every(d => d.code === 'config-invalid'));
    const last = diags[diags.length - 1];
    assert.equal(last.range.start.character, text.indexOf('no-such-rule-19999'));
    assert.match(last.message, /no-such-rule-19999/);
  },
);

// A `.kube-netlint.yaml` whose first line opened thousands of flow sequences (fuzz: an alias chain
// inserted above, `FUZZ_SEED=1202`): `yaml`, which locates configuration problems, ran out of
// stack and placed "cannot parse configuration" where it stopped, which depends on how deep the
// caller's stack was: typed over the original the file reported one character left of a fresh read.
test('a configuration nested 10,000 flow levels deep is placed where the reader stopped, however it was opened', () => {
  const id = 'file:///w/.kube-netlint.yaml';
  const original = 'rules:\n  probe-port-undefined: warning\n';
  const text = `${'['.repeat(10_000)}\n${original}`;
  const placed = (ws: Workspace) =>
    ws
      .diagnostics(id)
      .filter(d => d.code === 'config-invalid')
      .map(d => [d.message, d.range]);
  const fresh = new Workspace(defaultConfig(), defaultAnalyzers());
  fresh.setFile(id, text);
  fresh.analyze();
  const typed = new Workspace(defaultConfig(), defaultAnalyzers());
  typed.setFile(id, original);
  typed.analyze();
  typed.setFile(id, text);
  typed.analyze();
  assert.deepEqual(placed(fresh), [
    [
      'cannot parse configuration: nesting exceeded maxDepth (100) (1:100)',
      { start: { line: 0, character: 99 }, end: { line: 0, character: 100 } },
    ],
  ]);
  assert.deepEqual(placed(typed), placed(fresh));
});
