import { closestMatch } from '@collabopt/core';
import * as path from 'node:path';
import { RecipeValidationError, type RecipeIssue } from '../../errors/RecipeValidationError';
import { loadRecipe } from '../../recipe/loadRecipe';
import type { CliCommand } from '../CliCommand';
import { CliUsageError } from '../../errors/CliUsageError';

const OPTIONS = ['--json'];

/**
 * `collabopt validate <recipe>...`: checks recipes — JSON syntax, the recipe schema, the checks
 * the schema cannot express, and the files they reference — and prints every issue as
 * `path: message`. Writes nothing. Exit code 0 when every recipe is valid, 2 when one is invalid
 * or missing.
 */
export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check recipes against the recipe schema and the files they reference',
  usage: [
    'Usage: collabopt validate <recipe.json>... [--json]',
    '',
    'Checks each recipe: JSON syntax, the recipe schema (recipes/schema/recipe.schema.json), the',
    'checks the schema cannot express (unique stage names and export files, ...) and the files it',
    'references (model and data modules, saved models, dataset directories). Writes nothing.',
    '',
    'Prints "<file>: valid" or "<file>: invalid recipe (N issues)" followed by every issue as',
    '"  <JSON pointer>: <message>".',
    '',
    'Options:',
    '  --json   print one JSON array: [{ "file", "valid", "issues": [{ "path", "message" }] }]',
    '',
    'Exit codes: 0 all valid; 2 an invalid or missing recipe, or bad arguments; 1 unexpected failure.',
  ].join('\n'),

  async run(args, io) {
    const files: string[] = [];
    let json = false;
    for (const arg of args) {
      if (arg === '--json') json = true;
      else if (arg.startsWith('-')) {
        const guess = closestMatch(arg, OPTIONS);
        throw new CliUsageError(`unknown option ${arg}${guess ? ` (did you mean ${guess}?)` : ''}`);
      } else files.push(arg);
    }
    if (files.length === 0) throw new CliUsageError('give at least one recipe file');

    const results: { file: string; valid: boolean; issues: readonly RecipeIssue[]; summary?: string }[] = [];
    for (const file of files) {
      try {
        const recipe = await loadRecipe(path.resolve(io.cwd, file));
        const stages = recipe.stages.map((s) => s.name).join(' → ');
        const exports = recipe.exports?.length ?? 0;
        results.push({ file, valid: true, issues: [], summary: `${recipe.name}: ${recipe.stages.length} ${recipe.stages.length === 1 ? 'stage' : 'stages'} (${stages}), ${exports} ${exports === 1 ? 'export' : 'exports'}` });
      } catch (e) {
        if (!(e instanceof RecipeValidationError)) throw e;
        results.push({ file, valid: false, issues: e.issues });
      }
    }

    if (json) {
      io.out(JSON.stringify(results.map(({ file, valid, issues }) => ({ file, valid, issues })), null, 2));
    } else {
      for (const r of results) {
        if (r.valid) {
          io.out(`${r.file}: valid — ${r.summary}`);
        } else {
          io.out(`${r.file}: invalid recipe (${r.issues.length} ${r.issues.length === 1 ? 'issue' : 'issues'})`);
          for (const issue of r.issues) io.out(`  ${RecipeValidationError.formatIssue(issue)}`);
        }
      }
    }
    return results.every((r) => r.valid) ? 0 : 2;
  },
};
