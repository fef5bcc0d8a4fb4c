import type { Workspace } from '../workspace';
import type { Range } from '../text/lineIndex';

/** Markdown shown on hover, with the range it explains. */
export interface HoverResult {
  markdown: string;
  range?: Range;
}

/**
 * A hover provider answers for a position in a file, or returns undefined to let the next one
 * try. Providers are pure functions of the workspace: the LSP and the tests call them alike.
 */
export type HoverProvider = (ws: Workspace, fileId: string, offset: number) => HoverResult | undefined;

const providers: HoverProvider[] = [];

/** Feature modules register their providers at import time (see features.ts). */
export function registerHoverProvider(p: HoverProvider): void {
  providers.push(p);
}

export function hoverAt(ws: Workspace, fileId: string, offset: number): HoverResult | undefined {
  const parts: HoverResult[] = [];
  for (const p of providers) {
    const h = p(ws, fileId, offset);
    if (h) parts.push(h);
  }
  if (parts.length === 0) return undefined;
  return { markdown: parts.map(p => p.markdown).join('\n\n---\n\n'), range: parts[0].range };
}
