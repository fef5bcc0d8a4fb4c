// Regenerates `rules.properties` of schemas/kube-netlint.schema.json from the rule catalog, so Red
// Hat YAML completes every rule id and shows its summary. Run after adding a rule:
//   npm run schema
// (test/unit/config-schema.test.ts fails with this hint when the schema is stale).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleCatalog } from '../server/src/engine/ruleCatalog';

export const SCHEMA_FILE = path.resolve(__dirname, '../schemas/kube-netlint.schema.json');

export function ruleProperties(): Record<string, object> {
  const out: Record<string, object> = {};
  for (const r of [...ruleCatalog()].sort((a, b) => a.id.localeCompare(b.id)))
    out[r.id] = {
      $ref: '#/definitions/severity',
      description: `${r.summary} Default: ${r.defaultSeverity}.`,
      markdownDescription: `${r.summary} Default: \`${r.defaultSeverity}\`. [${r.id}](${r.helpUri})`,
    };
  return out;
}

if (require.main === module) {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  schema.properties.rules.properties = ruleProperties();
  fs.writeFileSync(SCHEMA_FILE, JSON.stringify(schema, null, 2) + '\n');
  console.log(
    `${path.relative(process.cwd(), SCHEMA_FILE)}: ${Object.keys(schema.properties.rules.properties).length} rules`,
  );
}
