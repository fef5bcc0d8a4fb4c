import { runLint, LINT_USAGE } from './lint';

export type Command = (argv: string[], out: (s: string) => void, err: (s: string) => void) => number | Promise<number>;

/** Sub-commands by name; the default (no sub-command) is lint. */
export const COMMANDS: Record<string, { run: Command; usage: string }> = {
  lint: { run: runLint, usage: LINT_USAGE },
};
