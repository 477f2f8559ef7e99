import { RecipeValidationError, type RecipeIssue } from '../errors/RecipeValidationError';
import { MAX_RECIPE_NESTING, tooDeep } from './recipeNesting';

/** A syntax error at a character offset. */
class JsonSyntaxError extends Error {
  /** The issue to report instead of a syntax error (nesting too deep). */
  issue?: RecipeIssue;

  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses recipe JSON strictly, with positions: a syntax error is reported with its line and
 * column and what was expected there (the same message on every Node version, unlike
 * `JSON.parse`'s), and a key given twice in one object — which `JSON.parse` silently resolves to
 * the last value — is an issue at that key's JSON pointer. A leading byte-order mark is ignored.
 *
 * @param text - the file's contents.
 * @param source - what to call the file in the error message.
 * @throws RecipeValidationError with one issue for a syntax error (path `''`), or one issue per
 *   duplicate key.
 */
export function parseRecipeJson(text: string, source?: string): unknown {
  const parser = new Parser(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  try {
    const value = parser.document();
    if (parser.duplicates.length > 0) throw new RecipeValidationError(parser.duplicates, source);
    return value;
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const { line, column } = parser.position(e.offset);
    if (e.issue) throw new RecipeValidationError([{ ...e.issue, message: `${e.issue.message.replace(' (', ` at line ${line}, column ${column} (`)}` }], source);
    throw new RecipeValidationError([{ path: '', message: `JSON syntax error at line ${line}, column ${column}: ${e.message}` }], source);
  }
}

class Parser {
  private pos = 0;
  private depth = 0;
  readonly duplicates: RecipeIssue[] = [];

  constructor(private readonly text: string) {}

  document(): unknown {
    this.space();
    if (this.pos >= this.text.length) throw new JsonSyntaxError(this.pos, 'expected a JSON value, found the end of the file (the file is empty)');
    const value = this.value('');
    this.space();
    if (this.pos < this.text.length) throw new JsonSyntaxError(this.pos, `expected the end of the file after the top-level value, found ${this.found()}`);
    return value;
  }

  position(offset: number): { line: number; column: number } {
    const before = this.text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
  }

  private value(path: string): unknown {
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      // The parser recurses per level: refuse absurd nesting before the stack does.
      if (this.depth >= MAX_RECIPE_NESTING) {
        const e = new JsonSyntaxError(this.pos, 'nesting too deep');
        e.issue = tooDeep(path);
        throw e;
      }
      this.depth++;
      try {
        return c === '{' ? this.object(path) : this.array(path);
      } finally {
        this.depth--;
      }
    }
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    const hint = c === "'" ? ' (JSON strings use double quotes)' : '';
    throw new JsonSyntaxError(this.pos, `expected a value (object, array, string, number, true, false or null), found ${this.found()}${hint}`);
  }

  private object(path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    this.pos++;
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') {
        const hint = this.text[this.pos] === '}' ? ' (JSON allows no comma before "}")' : this.text[this.pos] === "'" ? ' (JSON strings use double quotes)' : ' (keys are double-quoted strings)';
        throw new JsonSyntaxError(this.pos, `expected a key in double quotes, found ${this.found()}${hint}`);
      }
      const keyAt = this.pos;
      const key = this.string();
      this.space();
      if (this.text[this.pos] !== ':') throw new JsonSyntaxError(this.pos, `expected ':' after the key "${key}", found ${this.found()}`);
      this.pos++;
      this.space();
      const childPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const value = this.value(childPath);
      const first = seen.get(key);
      if (first !== undefined) {
        const a = this.position(first);
        const b = this.position(keyAt);
        this.duplicates.push({
          path: childPath,
          message: `duplicate key "${key}" at line ${b.line}, column ${b.column} (first at line ${a.line}, column ${a.column}); JSON would silently keep only the last one`,
        });
      } else {
        seen.set(key, keyAt);
      }
      // defineProperty: a "__proto__" key stays an ordinary key, as with JSON.parse.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      this.space();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return out;
      if (c !== ',') throw new JsonSyntaxError(this.pos - 1, `expected ',' or '}' after the value of "${key}", found ${this.found(this.pos - 1)}`);
    }
  }

  private array(path: string): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] === ']') throw new JsonSyntaxError(this.pos, "expected a value, found ']' (JSON allows no comma before \"]\")");
      out.push(this.value(`${path}/${out.length}`));
      this.space();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return out;
      if (c !== ',') throw new JsonSyntaxError(this.pos - 1, `expected ',' or ']' after an array entry, found ${this.found(this.pos - 1)}`);
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) throw new JsonSyntaxError(start, 'this string is never closed (missing \'"\')');
      if (c === 0x22) break;
      if (c < 0x20) throw new JsonSyntaxError(this.pos, 'expected \'"\' or more text, found a line break or control character inside a string (write it as \\n, \\t, ...)');
      this.pos += c === 0x5c ? 2 : 1;
    }
    this.pos++;
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      throw new JsonSyntaxError(start, 'this string has an invalid escape sequence (valid: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
    }
  }

  private number(): number {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) throw new JsonSyntaxError(this.pos, `expected a number, found ${this.found()}`);
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private space(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
    if (this.text.startsWith('//', this.pos) || this.text.startsWith('/*', this.pos)) {
      throw new JsonSyntaxError(this.pos, 'found a comment; JSON has no comments (use the "description" fields)');
    }
  }

  private found(at = this.pos): string {
    if (at >= this.text.length) return 'the end of the file';
    const c = this.text[at];
    return c === '\n' || c === '\r' ? 'a line break' : `'${c}'`;
  }
}
