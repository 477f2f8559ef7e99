import { closestMatch } from '@collabopt/core';
import { parseArgs } from 'node:util';
import { CliUsageError } from '../errors/CliUsageError';

/** Options a command accepts: `--name` flags (boolean) or `--name value` (string). */
export type CliOptionSpec = Readonly<Record<string, { readonly type: 'boolean' | 'string' }>>;

/** Parsed values: booleans for flags, strings for valued options (absent when not given). */
export type CliOptionValues<S extends CliOptionSpec> = {
  readonly [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string;
};

/**
 * Parses a command's arguments strictly (Node's `util.parseArgs`): unknown options, missing
 * values and repeated options are usage errors naming the option, with a "did you mean".
 * @throws CliUsageError
 */
export function parseCliArgs<S extends CliOptionSpec>(args: readonly string[], spec: S): { values: CliOptionValues<S>; positionals: string[] } {
  try {
    const { values, positionals, tokens } = parseArgs({ args: [...args], options: spec as Record<string, { type: 'boolean' | 'string' }>, allowPositionals: true, strict: true, tokens: true });
    // parseArgs keeps the last of a repeated option silently; `--out a --out b` is a mistake to name.
    const seen = new Set<string>();
    for (const token of tokens) {
      if (token.kind !== 'option') continue;
      if (seen.has(token.name)) throw new CliUsageError(`option --${token.name} is given more than once`);
      seen.add(token.name);
    }
    return { values: values as CliOptionValues<S>, positionals };
  } catch (e) {
    const err = e as Error & { code?: string };
    if (!err.code?.startsWith('ERR_PARSE_ARGS')) throw e;
    const option = /'(-[^']*)'/.exec(err.message)?.[1]?.split(' ')[0];
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
      const guess = closestMatch(option.replace(/^-+/, ''), Object.keys(spec));
      throw new CliUsageError(`unknown option ${option}${guess ? ` (did you mean --${guess}?)` : ''}`);
    }
    throw new CliUsageError(err.message.split('\n')[0]);
  }
}
