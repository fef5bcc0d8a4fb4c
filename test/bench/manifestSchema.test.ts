// The bench's profile showed js-yaml spending ~15 % of its time resolving implicit timestamps;
// the engine now reads manifests without them (server/src/engine/parse/yamlFile.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlText } from '../../server/src/engine/parse/yamlFile';

test('an unquoted date stays the string Kubernetes sees, as it does on the yaml recovery path', () => {
  const fast = parseYamlText('metadata:\n  labels:\n    release: 2024-01-01\n').docs[0] as {
    metadata: { labels: Record<string, unknown> };
  };
  assert.equal(fast.metadata.labels.release, '2024-01-01');
  // A syntax error elsewhere in the file sends it through `yaml`, which has no implicit timestamps either.
  const recovered = parseYamlText('metadata:\n  labels:\n    release: 2024-01-01\n---\na: [\n').docs[0] as {
    metadata: { labels: Record<string, unknown> };
  };
  assert.equal(recovered.metadata.labels.release, '2024-01-01');
});

test('merge keys, explicit timestamps and the other js-yaml types still load', () => {
  const [doc] = parseYamlText(
    'base: &b {port: 80}\nsvc:\n  <<: *b\n  name: web\nwhen: !!timestamp 2024-01-02\nblob: !!binary aGk=\nn: 0x1F\nf: 1.5\nok: true\nnone: null\n',
  ).docs as Record<string, unknown>[];
  assert.deepEqual(doc.svc, { port: 80, name: 'web' });
  assert.ok(doc.when instanceof Date);
  assert.equal(doc.n, 31);
  assert.equal(doc.f, 1.5);
  assert.equal(doc.ok, true);
  assert.equal(doc.none, null);
  assert.ok(doc.blob && typeof doc.blob === 'object');
});
