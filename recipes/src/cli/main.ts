#!/usr/bin/env node
/**
 * The `collabopt` executable (package.json `bin`): runs {@link runCli} on the process's arguments
 * and streams and sets the exit code. Importing this module does nothing else; it runs only as the
 * program's entry.
 */
import type { CliIo } from './CliIo';
import { runCli } from './runCli';

/** The process's standard streams and working directory. */
export const processIo: CliIo = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  get cwd() {
    return process.cwd();
  },
};

/** Runs the CLI with the process's arguments; resolves to the exit code it set. */
export async function main(): Promise<number> {
  const code = await runCli(process.argv.slice(2), processIo);
  // exitCode, not exit(): pending output is flushed before the process ends.
  process.exitCode = code;
  return code;
}

if (require.main === module) void main();
