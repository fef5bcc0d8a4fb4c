import * as path from 'node:path';
import { ResponseError, ErrorCodes } from 'vscode-languageserver/node';
import type { RequestContext } from './requests/context';
import { proxyRulesFor, unitWorkspace } from './requests/proxyRules';
import { EntryError, renderMarkdown, renderText, tracePath } from '../engine/path';
import { SHOW_PROXY_RULES_COMMAND } from '../engine/codelens/proxyRulesLens';
import { PREVIEW_TRAFFIC_PATH_COMMAND } from '../engine/codelens/tracePathLens';
import { UriMap } from './uris';
import type { HoverLink } from '../engine/hover';
import { markdownLink } from '../engine/text/markdown';

/**
 * Commands the server runs itself (workspace/executeCommand), so code lenses work in any LSP
 * client. A client that runs the VS Code commands (the rules view, the path webview) says so in
 * `initializationOptions.clientCommands` and gets those; every other client gets these, which
 * answer with the text and show it as a message.
 */
export const SERVER_COMMANDS = {
  proxyRules: 'kube-netlint.proxyRules',
  tracePath: 'kube-netlint.tracePath',
} as const;

const SERVER_COMMAND_FOR: Record<string, string> = {
  [SHOW_PROXY_RULES_COMMAND]: SERVER_COMMANDS.proxyRules,
  [PREVIEW_TRAFFIC_PATH_COMMAND]: SERVER_COMMANDS.tracePath,
};

/** The client commands a client declared it runs (`initializationOptions.clientCommands`). */
export function declaredClientCommands(initializationOptions: unknown): Set<string> {
  const list = (initializationOptions as { clientCommands?: unknown } | undefined)?.clientCommands;
  return new Set(Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : []);
}

/**
 * The command a code lens carries for this client: the client's own when it declared it, else
 * the server command doing the same (with the document's URI, so it runs in the document's
 * analysis unit), else none (the lens is then left out rather than shown broken).
 */
export function lensCommand(
  command: string,
  args: unknown[],
  clientCommands: ReadonlySet<string>,
  uri: string,
): { command: string; arguments: unknown[] } | undefined {
  if (clientCommands.has(command)) return { command, arguments: args };
  const server = SERVER_COMMAND_FOR[command];
  if (!server) return undefined;
  const first = args[0] && typeof args[0] === 'object' ? (args[0] as object) : {};
  return { command: server, arguments: [{ ...first, uri }] };
}

/**
 * A hover link running a client command: a `command:` URI, which only VS Code follows and only
 * for commands the extension trusts (clientOptions.markdown.isTrusted). Other clients get the
 * hover's plain hint instead, since no client follows a link to a server command.
 */
export function hoverLink(link: HoverLink, clientCommands: ReadonlySet<string>): string | undefined {
  if (!clientCommands.has(link.command)) return undefined;
  return markdownLink(link.title, `command:${link.command}?${encodeURIComponent(JSON.stringify(link.arguments))}`);
}

export interface CommandContext extends RequestContext {
  /** Shows the answer to the person (window/showMessage). */
  show(message: string, isError: boolean): void;
  roots(): readonly string[];
}

export type CommandResult = { text: string; markdown?: string } | { error: string };

export function registerCommands(ctx: CommandContext): void {
  ctx.connection.onExecuteCommand((p): CommandResult => {
    const arg = (p.arguments?.[0] && typeof p.arguments[0] === 'object' ? p.arguments[0] : {}) as Record<
      string,
      unknown
    >;
    const answer = (r: CommandResult): CommandResult => {
      ctx.show('error' in r ? `kube-netlint: ${r.error}` : r.text, 'error' in r);
      return r;
    };
    switch (p.command) {
      case SERVER_COMMANDS.proxyRules: {
        const r = proxyRulesFor(unitWorkspace(ctx, arg), { service: str(arg.service) });
        return answer('error' in r ? r : { text: r.text });
      }
      case SERVER_COMMANDS.tracePath: {
        const from = str(arg.from);
        if (!from) return answer({ error: 'a traffic path needs an entry ({ "from": … })' });
        try {
          const model = tracePath(unitWorkspace(ctx, arg), { from, to: str(arg.to) });
          const text = renderText(model, { fileLabel: id => relative(ctx.roots(), id) });
          return answer({ text, markdown: renderMarkdown(model) });
        } catch (e) {
          if (e instanceof EntryError) return answer({ error: e.message });
          throw e;
        }
      }
    }
    throw new ResponseError(ErrorCodes.InvalidParams, `kube-netlint has no command ${p.command}`);
  });
}

/** A file as a person reads it: relative to its workspace folder. */
function relative(roots: readonly string[], fileId: string): string {
  const p = UriMap.toPath(fileId);
  if (!p) return fileId;
  const root = roots.find(r => p.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  return root ? path.relative(root, p) : p;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
