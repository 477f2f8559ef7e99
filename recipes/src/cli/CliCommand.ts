import type { CliIo } from './CliIo';

/**
 * One `collabopt <command>`. Each lives in `cli/commands/<name>Command.ts` and is registered in
 * `cliCommands`. The dispatcher handles `--help`/`-h` for every command (it prints `usage`), maps
 * thrown errors to exit codes (`exitCodeFor`) and prints them; a command prints its own results
 * and returns its exit code.
 */
export interface CliCommand {
  /** The word after `collabopt`, e.g. `'validate'`. */
  readonly name: string;
  /** One line for `collabopt --help`. */
  readonly summary: string;
  /** The full help text: synopsis, options, exit codes (printed by `collabopt <name> --help`). */
  readonly usage: string;
  /**
   * Runs the command.
   * @param args - the arguments after the command name.
   * @param io - where to print, and the working directory relative paths are resolved against.
   * @returns the exit code: 0 success, 2 invalid input (bad arguments, invalid recipe, missing
   *   file), 1 unexpected failure. Throwing is fine too: the dispatcher maps the error.
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
