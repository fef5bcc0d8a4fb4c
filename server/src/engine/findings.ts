import type { Anchor } from './parse/locate';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off' | 'info';

export interface RelatedInfo {
  fileId: string;
  anchor: Anchor;
  message: string;
}

export interface TextEdit {
  fileId: string;
  anchor: Anchor;
  /** The new text; when the anchor is a scalar, its new value (written in the scalar's style, see edit/safeEdit.ts). */
  newText: string;
  /** The fix means a number (`port: "8080"` → `8080`); otherwise a replaced value keeps its type. */
  valueType?: 'number';
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

/** What a rule reports: located by anchor, turned into a range only when shown. */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  fileId: string;
  anchor: Anchor;
  related: RelatedInfo[];
  fixes: Fix[];
}

export const SOURCE = 'kube-netlint';
export const DOCS_BASE = 'https://github.com/kube-netlint/kube-netlint/blob/main/docs/rules/';

export function ruleDocUrl(rule: string): string {
  return `${DOCS_BASE}${rule}.md`;
}

export function normalizeSeverity(s: unknown): SeveritySetting | undefined {
  if (typeof s !== 'string') return undefined;
  const v = s.toLowerCase();
  if (v === 'info' || v === 'information') return 'information';
  if (v === 'off' || v === 'error' || v === 'warning' || v === 'hint') return v;
  return undefined;
}
