/**
 * Generates docs/cli.md from the `collabopt` commands themselves — each command's `summary` and
 * `usage`, and the dispatcher's `--help` — so the reference cannot drift from the program.
 *
 *   npm run docs:cli              rewrite docs/cli.md
 *   npm run docs:cli -- --check   exit 1 if docs/cli.md is not current
 *
 * test/docs/cliReference.test.ts runs the check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliCommands, runCli, type CliCommand, type CliIo } from '@collabopt/recipes';
import { REPO_ROOT } from './codeBlocks';

/** Where the reference is written. */
export const CLI_REFERENCE = path.join(REPO_ROOT, 'docs', 'cli.md');

/** What `collabopt <args>` prints on standard output. */
async function captured(args: readonly string[], commands: readonly CliCommand[]): Promise<string> {
  const lines: string[] = [];
  const io: CliIo = { out: (line) => void lines.push(line), err: (line) => void lines.push(line), cwd: REPO_ROOT };
  await runCli(args, io, commands);
  return lines.join('\n');
}

const fence = (text: string) => ['```text', text, '```'].join('\n');

/** The Markdown of docs/cli.md for the given commands (default: every command of the CLI). */
export async function cliReference(commands: readonly CliCommand[] = cliCommands): Promise<string> {
  const parts = [
    '# CLI reference',
    '',
    '<!-- Generated from the `summary` and `usage` of every command (recipes/src/cli/commands) by',
    '     `npm run docs:cli` (docs/tools/cliReference.ts); do not edit. test/docs/cliReference.test.ts',
    '     fails when this file is not current. -->',
    '',
    '`collabopt` is the command-line program of `@collabopt/recipes` (its `bin`): `npx collabopt',
    '<command>` in this repository after `npm install`. Every command prints its usage with',
    '`--help`; `collabopt help <command>` does the same. Recipes are described in the',
    '[recipes reference](recipes-reference.md); [Getting started](guides/getting-started.md) runs one.',
    '',
    '| command | what it does |',
    '|---|---|',
    ...commands.map((c) => `| [\`${c.name}\`](#collabopt-${c.name}) | ${c.summary} |`),
    '',
    '## `collabopt --help`',
    '',
    fence(await captured(['--help'], commands)),
  ];
  for (const c of commands) {
    parts.push('', `## \`collabopt ${c.name}\``, '', `${c.summary[0].toUpperCase()}${c.summary.slice(1)}.`, '', fence(c.usage));
  }
  return `${parts.join('\n')}\n`;
}

async function main(): Promise<void> {
  const text = await cliReference();
  const current = fs.existsSync(CLI_REFERENCE) ? fs.readFileSync(CLI_REFERENCE, 'utf8') : '';
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error('docs/cli.md is not current: run npm run docs:cli');
      process.exitCode = 1;
    }
    return;
  }
  if (current !== text) fs.writeFileSync(CLI_REFERENCE, text);
  console.log(current === text ? 'docs/cli.md is current' : 'docs/cli.md updated');
}

if (require.main === module) void main();
