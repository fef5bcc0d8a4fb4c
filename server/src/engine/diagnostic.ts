import type { Range } from './text/lineIndex';
import type { Severity } from './findings';

/** A finding placed in its file: the shape every front end renders (LSP, CLI, tests). */
export interface LocatedRelated {
  fileId: string;
  range: Range;
  message: string;
}
export interface LocatedEdit {
  fileId: string;
  range: Range;
  newText: string;
}
export interface LocatedFix {
  title: string;
  edits: LocatedEdit[];
  preferred?: boolean;
}

export interface LocatedDiagnostic {
  fileId: string;
  range: Range;
  severity: Severity;
  code: string;
  source: 'kube-netlint';
  message: string;
  href: string;
  related: LocatedRelated[];
  fixes: LocatedFix[];
}

export function compareDiagnostics(a: LocatedDiagnostic, b: LocatedDiagnostic): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.code.localeCompare(b.code)
  );
}
