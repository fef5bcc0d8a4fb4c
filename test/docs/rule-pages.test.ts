import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/engine/rules';
import { Workspace } from '../../server/src/engine/workspace';
import { defaultConfig } from '../../server/src/engine/config/config';
import { ruleDocUrl, DOCS_BASE } from '../../server/src/engine/findings';
import { PLAN_RULES, PLAN_NOTE_IDS } from '../../server/src/engine/plan/rules';
import { CALL_RULES } from '../../server/src/engine/calls/rules';
import { PARSE_PROBLEM_KINDS, problemCode } from '../../server/src/engine/parse/yamlFile';

/** Diagnostics link to docs/rules/<id>.md; these pages must exist and say what the rules do. */
const DOCS = path.resolve(__dirname, '../../docs/rules');
const read = (name: string) => fs.readFileSync(path.join(DOCS, name), 'utf8');
const index = read('README.md');

/** The first YAML block under "## Example", when it is a whole manifest (not a fragment). */
function exampleManifest(page: string): string | undefined {
  const m = /## Example\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(page);
  return m && /^kind:/m.test(m[1]) ? m[1] : undefined;
}

describe('rule pages (docs/rules)', () => {
  for (const rule of ALL_RULES) {
    describe(rule.id, () => {
      const file = `${rule.id}.md`;

      it('has a page where its diagnostics link', () => {
        assert.equal(ruleDocUrl(rule.id), `${DOCS_BASE}${file}`);
        assert.ok(fs.existsSync(path.join(DOCS, file)), `docs/rules/${file} is missing`);
      });

      it('states the default severity, configuration and suppression', () => {
        const page = read(file);
        assert.match(page, new RegExp(`\\*\\*Default severity: ${rule.defaultSeverity}`));
        assert.match(page, new RegExp(`kube-netlint-disable-next-line ${rule.id}`));
        assert.match(page, new RegExp(`kube-netlint.io/ignore: "${rule.id}"`));
        assert.match(page, new RegExp(`\\n  ${rule.id}: `), 'a .kube-netlint.yaml rules: example');
      });

      it('is listed in the index with its default severity', () => {
        assert.match(index, new RegExp(`\\| \\[\`${rule.id}\`\\]\\(${rule.id}\\.md\\) \\| ${rule.defaultSeverity} \\|`));
      });

      const example = exampleManifest(read(file));
      if (example) {
        it('its failing example triggers it', () => {
          const ws = new Workspace(defaultConfig());
          ws.setFile('example.yaml', example);
          ws.analyze();
          const codes = ws.diagnostics('example.yaml').map(d => d.code);
          assert.ok(codes.includes(rule.id), `the example on ${file} yields ${JSON.stringify(codes)}`);
        });
      }
    });
  }

  it('has pages for the file-level codes', () => {
    for (const kind of PARSE_PROBLEM_KINDS) {
      const { code, page, severity } = problemCode({ kind, message: '', start: 0, end: 0 });
      assert.ok(fs.existsSync(path.join(DOCS, `${page}.md`)), `docs/rules/${page}.md is missing`);
      assert.match(index, new RegExp(`\\| \\[\`${code}\`\\]\\(${page}\\.md\\) \\| ${severity} \\|`));
    }
    assert.match(index, /\[`template-skipped`\]\(file-skipped\.md\)/);
  });
});

describe('address-plan rule pages (docs/rules)', () => {
  // Imported lazily so this file's subject stays the per-resource rules above.
  for (const rule of PLAN_RULES) {
    it(`${rule.id} has a page and an index row with its default severity`, () => {
      assert.ok(fs.existsSync(path.join(DOCS, `${rule.id}.md`)), `docs/rules/${rule.id}.md is missing`);
      assert.match(index, new RegExp(`\\| \\[\`${rule.id}\`\\]\\(${rule.id}\\.md\\) \\| ${rule.defaultSeverity} \\|`));
    });
  }
  for (const id of PLAN_NOTE_IDS) {
    it(`${id} has a page and an index row`, () => {
      assert.ok(fs.existsSync(path.join(DOCS, `${id}.md`)));
      assert.match(index, new RegExp(`\\| \\[\`${id}\`\\]\\(${id}\\.md\\) \\| information \\|`));
    });
  }
});

describe('required-connectivity rule pages (docs/rules) and settings', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
  const settings = pkg.contributes.configuration.properties['kubeNetlint.rules'].properties;
  for (const rule of CALL_RULES) {
    it(`${rule.id} has a page, an index row with its default severity and a settings entry`, () => {
      const page = read(`${rule.id}.md`);
      assert.match(page, new RegExp(`\\*\\*Default severity: ${rule.defaultSeverity}`));
      assert.match(page, new RegExp(`kube-netlint-disable-next-line ${rule.id}`));
      assert.match(index, new RegExp(`\\| \\[\`${rule.id}\`\\]\\(${rule.id}\\.md\\) \\| ${rule.defaultSeverity} \\|`));
      assert.ok(settings[rule.id], `package.json kubeNetlint.rules.${rule.id}`);
    });
  }
});
