import type { Middleware } from 'vscode-languageclient/node';

/**
 * Hover, code action and code lens requests that VS Code sends while the extension is being
 * deactivated (a window reload, the host shutting down) would reach a client that is stopping
 * and end as "provider FAILED … Starting server failed" stacks in the extension host log. While
 * stopping, they get an empty answer instead; at any other time errors pass through unchanged.
 */
export function quietWhileStopping(stopping: () => boolean): Middleware {
  const guard = async <T>(empty: T, run: () => T | Thenable<T>): Promise<T> => {
    if (stopping()) return empty;
    try {
      return await run();
    } catch (e) {
      if (stopping()) return empty;
      throw e;
    }
  };
  return {
    provideHover: (doc, pos, token, next) => guard(undefined, () => next(doc, pos, token)),
    provideCodeActions: (doc, range, ctx, token, next) => guard([], () => next(doc, range, ctx, token)),
    provideCodeLenses: (doc, token, next) => guard([], () => next(doc, token)),
  };
}
