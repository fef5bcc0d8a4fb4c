import type { Severity } from './findings';
import { ruleDocUrl } from './findings';
import { ALL_RULES } from './rules';
import { PLAN_RULES, PLAN_NOTE_IDS } from './plan/rules';
import { CALL_RULES } from './calls/rules';
import { PARSE_PROBLEM_KINDS, problemCode } from './parse/yamlFile';

/** One diagnostic code as tools outside the editor describe it (SARIF rules, config validation). */
export interface RuleInfo {
  id: string;
  defaultSeverity: Severity;
  summary: string;
  helpUri: string;
}

/**
 * One-line summaries of the codes reported outside the rule lists (reading files, rendering
 * units, the configuration file). Reading codes and their severities come from the parser
 * (PARSE_PROBLEM_KINDS/problemCode); a code without a summary here gets a pointer to its page.
 * test/unit/config-schema.test.ts holds this catalog equal to the docs/rules index.
 */
const SUMMARY: Record<string, string> = {
  'yaml-syntax': 'A YAML file does not parse.',
  'yaml-excessive-aliasing':
    'A YAML document whose aliases expand far beyond its own size (an alias bomb) is left out.',
  'yaml-duplicate-key': 'A mapping repeats a key; the last value is used.',
  'file-encoding': 'A file is not valid UTF-8 (bad bytes read as U+FFFD).',
  'template-skipped': 'A file with Go/Helm template markers was skipped; render it to lint it.',
  'file-skipped': 'A file was skipped because it is over the size limit or not text.',
  'render-failed': '`kustomize build` or `helm template` of a unit failed; its files are analysed as plain manifests.',
  'render-unavailable': 'No kustomize/kubectl or helm binary: the overlay or chart is analysed as plain files.',
  'render-untrusted': 'Restricted Mode: rendering waits until the workspace is trusted.',
  'config-invalid': 'A .kube-netlint.yaml key or value that kube-netlint does not understand (it is ignored).',
};

/** Codes of units and the configuration file (not produced by the parser or a rule list). */
const OTHER_CODES: readonly { id: string; defaultSeverity: Severity; page?: string }[] = [
  { id: 'render-failed', defaultSeverity: 'warning' },
  { id: 'render-unavailable', defaultSeverity: 'information', page: 'render-failed' },
  { id: 'render-untrusted', defaultSeverity: 'information', page: 'render-failed' },
  { id: 'config-invalid', defaultSeverity: 'error' },
];

let catalog: RuleInfo[] | undefined;

/** Every code kube-netlint can report, with its default severity, summary and docs page. */
export function ruleCatalog(): readonly RuleInfo[] {
  catalog ??= [
    ...[...ALL_RULES, ...CALL_RULES, ...PLAN_RULES].map(r => info(r.id, r.defaultSeverity, r.summary)),
    ...PLAN_NOTE_IDS.map(id =>
      info(id, 'information', 'A network value holds a placeholder and cannot be evaluated until it is substituted.'),
    ),
    ...parseCodes(),
    ...OTHER_CODES.map(c => info(c.id, c.defaultSeverity, SUMMARY[c.id] ?? '', c.page)),
  ];
  return catalog;
}

function info(id: string, defaultSeverity: Severity, summary: string, page = id): RuleInfo {
  const helpUri = ruleDocUrl(page);
  return { id, defaultSeverity, summary: summary || `See ${helpUri}.`, helpUri };
}

function parseCodes(): RuleInfo[] {
  const seen = new Set<string>();
  const out: RuleInfo[] = [];
  for (const kind of PARSE_PROBLEM_KINDS) {
    const { code, severity, page } = problemCode({ kind, message: '', start: 0, end: 0 });
    if (seen.has(code)) continue;
    seen.add(code);
    out.push(info(code, severity, SUMMARY[code] ?? '', page));
  }
  return out;
}

export function isKnownRule(id: string): boolean {
  return ruleCatalog().some(r => r.id === id);
}
