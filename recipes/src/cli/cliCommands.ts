import type { CliCommand } from './CliCommand';
import { validateCommand } from './commands/validateCommand';
import { runCommand } from './commands/runCommand';
import { startCommand } from './commands/startCommand';
import { exploreCommand } from './commands/exploreCommand';
import { inspectCommand } from './commands/inspectCommand';
import { seedTablesCommand } from './commands/seedTablesCommand';

/**
 * The commands of `collabopt`, in the order `--help` lists them. A new command lives in
 * `commands/<name>Command.ts` and is added here.
 */
export const cliCommands: readonly CliCommand[] = [validateCommand, runCommand, startCommand, exploreCommand, inspectCommand, seedTablesCommand];
