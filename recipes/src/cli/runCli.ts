import { closestMatch } from '@collabopt/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliCommand } from './CliCommand';
import { cliCommands } from './cliCommands';
import type { CliIo } from './CliIo';
import { exitCodeFor } from './exitCodeFor';

/**
 * The `collabopt` dispatcher: `collabopt <command> [args]`. Handles `--help`/`-h`/`help [command]`,
 * `--version`, `<command> --help`, unknown commands (with "did you mean"), and errors a command
 * throws: input errors print their message and exit 2, anything else prints the stack and exits 1.
 *
 * @param argv - the arguments after the program name (`process.argv.slice(2)`).
 * @param io - where to print; the process's streams in `main`.
 * @param commands - the commands to dispatch to; default {@link cliCommands}.
 * @returns the exit code.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommand[] = cliCommands): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(help(commands));
    return 2;
  }
  if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    io.out(help(commands));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(version());
    return 0;
  }
  const name = first === 'help' ? rest[0] : first;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const guess = closestMatch(name, commands.map((c) => c.name));
    const what = name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
    io.err(`collabopt: ${what}; commands: ${commands.map((c) => c.name).join(', ')}. Run "collabopt --help".`);
    return 2;
  }
  if (first === 'help' || rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    const code = exitCodeFor(e);
    const message = e instanceof Error ? e.message : String(e);
    if (code === 2) {
      io.err(`collabopt ${command.name}: ${message}`);
      if ((e as { code?: unknown }).code === 'usage') io.err(`Run "collabopt ${command.name} --help" for usage.`);
    } else {
      io.err(`collabopt ${command.name}: unexpected failure: ${e instanceof Error && e.stack ? e.stack : message}`);
    }
    return code;
  }
}

function help(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: collabopt <command> [arguments]',
    '',
    'Collaborative optimization for TensorFlow.js: recipes of pruning, clustering and',
    'quantization stages that end in deployment-ready models.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "collabopt <command> --help" for a command\'s usage.',
    'Exit codes: 0 success; 2 invalid input (arguments, recipe, model or data); 1 unexpected failure.',
  ].join('\n');
}

function version(): string {
  // src/cli and dist/cli both sit two levels below the package root.
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return `collabopt ${pkg.version}`;
}
