import type { Workspace } from '../workspace';
import type { Range } from '../text/lineIndex';
import { escapeIcons } from '../text/markdown';

/** A code lens: a title shown above `range` that runs a client command with JSON arguments. */
export interface CodeLensResult {
  range: Range;
  title: string;
  command: string;
  arguments: unknown[];
}

export type CodeLensProvider = (ws: Workspace, fileId: string) => CodeLensResult[];

const providers: CodeLensProvider[] = [];

export function registerCodeLensProvider(p: CodeLensProvider): void {
  providers.push(p);
}

/** Every lens of a file; titles may quote workspace names, so `$(icon)` syntax in them is escaped here, once. */
export function codeLensesFor(ws: Workspace, fileId: string): CodeLensResult[] {
  return providers.flatMap(p => p(ws, fileId)).map(l => ({ ...l, title: escapeIcons(l.title) }));
}
