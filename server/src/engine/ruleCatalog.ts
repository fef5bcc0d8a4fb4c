import type { Severity } from './findings';
import { ruleDocUrl } from './findings';
import { ALL_RULES } from './rules';
import { PLAN_RULES, PLAN_NOTE_IDS } from './plan/rules';
import { CALL_RULES } from './calls/rules';

/** One diagnostic code as tools outside the editor describe it (SARIF rules, config validation). */
export interface RuleInfo {
  id: string;
  defaultSeverity: Severity;
  summary: string;
  helpUri: string;
}

/**
 * Codes reported outside the rule lists: reading files, rendering units, the configuration file.
 * A new code of this kind is added here (test/docs/rule-catalog.test.ts holds this catalog equal
 * to the docs/rules index).
 */
const FILE_CODES: readonly Omit<RuleInfo, 'helpUri'>[] = [
  { id: 'yaml-syntax', defaultSeverity: 'error', summary: 'A YAML file does not parse.' },
  {
    id: 'yaml-excessive-aliasing',
    defaultSeverity: 'error',
    summary: 'A YAML document whose aliases expand far beyond its own size (an alias bomb) is left out.',
  },
  {
    id: 'template-skipped',
    defaultSeverity: 'information',
    summary: 'A file with Go/Helm template markers was skipped; render it to lint it.',
  },
  {
    id: 'file-skipped',
    defaultSeverity: 'information',
    summary: 'A file was skipped because it is over the size limit or not text.',
  },
  {
    id: 'render-failed',
    defaultSeverity: 'warning',
    summary: '`kustomize build` or `helm template` of a unit failed; its files are analysed as plain manifests.',
  },
  {
    id: 'render-unavailable',
    defaultSeverity: 'information',
    summary: 'No kustomize/kubectl or helm binary: the overlay or chart is analysed as plain files.',
  },
  {
    id: 'render-untrusted',
    defaultSeverity: 'information',
    summary: 'Restricted Mode: rendering waits until the workspace is trusted.',
  },
  {
    id: 'config-invalid',
    defaultSeverity: 'error',
    summary: 'A .kube-netlint.yaml key or value that kube-netlint does not understand (it is ignored).',
  },
];

const PAGE: Record<string, string> = {
  'template-skipped': 'file-skipped',
  'render-unavailable': 'render-failed',
  'render-untrusted': 'render-failed',
};

let catalog: RuleInfo[] | undefined;

/** Every code kube-netlint can report, with its default severity, summary and docs page. */
export function ruleCatalog(): readonly RuleInfo[] {
  catalog ??= [
    ...[...ALL_RULES, ...CALL_RULES, ...PLAN_RULES].map(r => ({
      id: r.id,
      defaultSeverity: r.defaultSeverity,
      summary: r.summary,
    })),
    ...PLAN_NOTE_IDS.map(id => ({
      id,
      defaultSeverity: 'information' as const,
      summary: 'A network value holds a placeholder and cannot be evaluated until it is substituted.',
    })),
    ...FILE_CODES,
  ].map(r => ({ ...r, helpUri: ruleDocUrl(PAGE[r.id] ?? r.id) }));
  return catalog;
}

export function isKnownRule(id: string): boolean {
  return ruleCatalog().some(r => r.id === id);
}
