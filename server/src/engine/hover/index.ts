import type { Workspace } from '../workspace';
import type { Range } from '../text/lineIndex';

/** Markdown shown on hover, with the range it explains. */
export interface HoverResult {
  markdown: string;
  range?: Range;
}

/** A view a hover offers for the rest of its story: a client command with its arguments. */
export interface HoverLink {
  title: string;
  command: string;
  arguments: unknown[];
  /** Plain Markdown saying how to get the same without the command (a code lens, the CLI). */
  otherwise: string;
}

export interface HoverOptions {
  /**
   * The Markdown link running `link` in this client, or undefined when the client cannot run it
   * (only VS Code runs `command:` URIs, and only for commands it declared).
   */
  commandLink?: (link: HoverLink) => string | undefined;
}

/**
 * A hover provider answers for a position in a file, or returns undefined to let the next one
 * try. Providers are pure functions of the workspace: the LSP and the tests call them alike.
 */
export type HoverProvider = (
  ws: Workspace,
  fileId: string,
  offset: number,
  opts: HoverOptions,
) => HoverResult | undefined;

const providers: HoverProvider[] = [];

/** Feature modules register their providers at import time (see features.ts). */
export function registerHoverProvider(p: HoverProvider): void {
  providers.push(p);
}

export function hoverAt(
  ws: Workspace,
  fileId: string,
  offset: number,
  opts: HoverOptions = {},
): HoverResult | undefined {
  const parts: HoverResult[] = [];
  for (const p of providers) {
    const h = p(ws, fileId, offset, opts);
    if (h) parts.push(h);
  }
  if (parts.length === 0) return undefined;
  return { markdown: parts.map(p => p.markdown).join('\n\n---\n\n'), range: parts[0].range };
}

/** One line of links to the views holding the rest of a hover, or how to get them elsewhere. */
export function linksLine(links: HoverLink[], opts: HoverOptions): string {
  return links.map(l => opts.commandLink?.(l) ?? l.otherwise).join(' · ');
}
