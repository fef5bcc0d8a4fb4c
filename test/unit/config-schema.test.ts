import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { ruleCatalog } from '../../server/src/engine/ruleCatalog';
import { ruleProperties, SCHEMA_FILE } from '../../scripts/update-config-schema';

// schemas/kube-netlint.schema.json is the one definition of .kube-netlint.yaml: the engine
// validates against it and package.json hands it to Red Hat YAML. These tests keep it usable
// there and in step with the rules.

const ROOT = path.resolve(__dirname, '../..');
const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));

test('package.json contributes the schema for .kube-netlint.yaml (Red Hat YAML: completion and hovers)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.yamlValidation, [
    { fileMatch: '.kube-netlint.yaml', url: './schemas/kube-netlint.schema.json' },
  ]);
  assert.ok(fs.existsSync(path.join(ROOT, 'schemas/kube-netlint.schema.json')));
});

test('it is a draft-07 schema that compiles strictly, and every setting has a description', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const ajv = new Ajv({ strict: true });
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'markdownDescription', schemaType: 'string' });
  ajv.compile(schema);
  const missing: string[] = [];
  const visit = (props: Record<string, { description?: string; properties?: object }>, at: string) => {
    for (const [k, v] of Object.entries(props)) {
      if (!v.description) missing.push(`${at}${k}`);
      if (v.properties) visit(v.properties as typeof props, `${at}${k}.`);
    }
  };
  visit(schema.properties, '');
  assert.deepEqual(missing, []);
});

test('rules.properties lists every rule of the catalog (else: npm run schema)', () => {
  assert.deepEqual(schema.properties.rules.properties, ruleProperties(), 'stale: run npm run schema');
});

test('the rule catalog (SARIF rules, config validation) equals the docs/rules index', () => {
  const index = fs.readFileSync(path.join(ROOT, 'docs/rules/README.md'), 'utf8');
  const rows = [...index.matchAll(/^\| \[`([a-z0-9-]+)`\]\(([a-z0-9-]+)\.md\) \| (\w+) \|/gm)].map(
    m => `${m[1]} ${m[3]} ${m[2]}`,
  );
  const catalog = ruleCatalog().map(r => `${r.id} ${r.defaultSeverity} ${path.basename(r.helpUri, '.md')}`);
  assert.deepEqual([...catalog].sort(), [...rows].sort());
});
