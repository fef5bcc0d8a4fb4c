#!/usr/bin/env node
import { COMMANDS } from './commands';
import { UsageError } from './args';

async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s + '\n');
  const err = (s: string) => process.stderr.write(s + '\n');
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    out(
      Object.values(COMMANDS)
        .map(c => c.usage)
        .join('\n\n'),
    );
    return 0;
  }
  const named = argv[0] !== undefined ? COMMANDS[argv[0]] : undefined;
  const command = named ?? COMMANDS.lint;
  const rest = named ? argv.slice(1) : argv;
  try {
    return await command.run(rest, out, err);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`kube-netlint: ${e.message}\n\n${command.usage}`);
      return 2;
    }
    err(`kube-netlint: internal error: ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
}

main(process.argv.slice(2)).then(code => {
  process.exitCode = code;
});
