#!/usr/bin/env node
import { COMMANDS, commandGroup, findCommand, topUsage } from './commands';
import { InputError, UsageError, parseArgs } from './args';
import { EXIT, usageOf } from './command';
import { processIo, version } from './io';

/** True when a help or version flag appears before `--` (anywhere, so `plan x -h` helps too). */
function asks(argv: readonly string[], ...flags: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some(a => flags.includes(a));
}

export async function main(argv: string[], io = processIo()): Promise<number> {
  if (argv[0] === 'help') argv = argv.length > 1 ? [...argv.slice(1), '--help'] : ['--help'];
  const found = findCommand(argv);
  const group = found ? [] : commandGroup(argv[0]);
  if (group.length) {
    const names = group.map(c => c.name.split(' ').slice(1).join(' '));
    if (asks(argv.slice(1), '-h', '--help')) {
      io.out(group.map(c => usageOf(c)).join('\n\n'));
      return EXIT.ok;
    }
    const what =
      argv[1] && !argv[1].startsWith('-') ? `unknown ${argv[0]} command "${argv[1]}"` : `${argv[0]} needs a command`;
    io.err(`kube-netlint ${argv[0]}: ${what}: ${names.join(', ')}`);
    io.err(`Run "kube-netlint ${group[0].name} --help" for its usage.`);
    return EXIT.input;
  }
  const command = found?.command ?? COMMANDS.find(c => c.name === 'lint')!;
  const rest = found ? argv.slice(found.words) : argv;
  if (asks(rest, '--version')) {
    io.out(`kube-netlint ${version()}`);
    return EXIT.ok;
  }
  if (asks(rest, '-h', '--help')) {
    io.out(found ? usageOf(command) : topUsage());
    return EXIT.ok;
  }
  try {
    return await (command.runArgv ? command.runArgv(rest, io) : command.run(parseArgs(rest, command.options), io));
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kube-netlint ${command.name}: ${e.message}`);
      io.err(`Run "kube-netlint ${command.name} --help" for its usage.`);
      return EXIT.input;
    }
    if (e instanceof InputError) {
      for (const line of e.message.split('\n')) io.err(`kube-netlint: ${line}`);
      return EXIT.input;
    }
    io.err(`kube-netlint: internal error: ${(e as Error).stack ?? String(e)}`);
    return EXIT.input;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
}
