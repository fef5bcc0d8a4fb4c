import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, defaultAnalyzers, defaultConfig } from '../../server/src/engine';
import '../../server/src/engine/features';

/**
 * The README's robustness sentence, case by case (issue 10 item 13 asks that it be true as
 * written): each kind of bad input it names is a diagnostic, values of the wrong type elsewhere
 * are read as absent, and in every case the healthy document beside it is still analysed.
 */

const LONELY = `apiVersion: v1
kind: Service
metadata: {name: lonely}
spec:
  selector: {app: nobody}
  ports: [{port: 80}]
`;

function codes(text: string, maxFileSize?: number): string[] {
  const ws = new Workspace({ ...defaultConfig(), ...(maxFileSize ? { maxFileSize } : {}) }, defaultAnalyzers());
  ws.setFile('a.yaml', text);
  ws.setFile('other.yaml', LONELY.replace('lonely', 'other'));
  ws.analyze();
  assert.deepEqual(
    ws.diagnostics('other.yaml').map(d => d.code),
    ['service-selector-no-match'],
  );
  return ws.diagnostics('a.yaml').map(d => d.code);
}

const SERVICE = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: ${spec}\n---\n${LONELY}`;

test('Helm templates, broken YAML, alias bombs, binary files and invalid ports are diagnostics', () => {
  assert.deepEqual(codes('metadata:\n  name: {{ .Release.Name }}\n'), ['template-skipped']);
  // The broken document is one diagnostic; the healthy one in the same file is still analysed.
  assert.deepEqual(codes(SERVICE('{ports: [')), ['yaml-syntax', 'service-selector-no-match']);
  const bomb = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++)
    bomb.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  assert.ok(codes(`${bomb.join('\n')}\n`).includes('yaml-excessive-aliasing'));
  assert.deepEqual(codes('\u0000\u0001ELF\u0002'), ['file-skipped']);
  assert.deepEqual(codes('\uFFFDPNG\r\n\u001a\n'), ['file-encoding', 'yaml-syntax']);
  assert.deepEqual(codes(SERVICE('{selector: {a: b}, ports: [{port: eighty}]}')).sort(), [
    'port-value-invalid',
    'service-selector-no-match',
    'service-selector-no-match',
  ]);
});

test('a file over maxFileSize is skipped with one diagnostic', () => {
  assert.deepEqual(codes(SERVICE('{selector: {a: b}, ports: [{port: 80}]}'), 150), ['file-skipped']);
});

test('other values of the wrong type are read as absent, and the document beside them is analysed', () => {
  for (const spec of ['5', '{ports: 80}', '{ports: "x"}', '{selector: [a], ports: {port: 80}}', '[]'])
    assert.deepEqual(codes(SERVICE(spec)), ['service-selector-no-match'], spec);
  assert.deepEqual(codes(`apiVersion: v1\nkind: 5\nmetadata: x\n---\n${LONELY}`), ['service-selector-no-match']);
});
