import { expect } from 'chai';
import { parseRecipeJson } from '../../../recipes/src/recipe/parseRecipeJson';
import { RecipeValidationError, type RecipeIssue } from '../../../recipes/src/errors/RecipeValidationError';
import { MAX_RECIPE_NESTING } from '../../../recipes/src/recipe/recipeNesting';

function failure(text: string, source?: string): RecipeValidationError {
  try {
    parseRecipeJson(text, source);
  } catch (e) {
    expect(e).to.be.instanceOf(RecipeValidationError);
    return e as RecipeValidationError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

const only = (text: string): RecipeIssue => {
  const e = failure(text);
  expect(e.issues).to.have.length(1);
  return e.issues[0]!;
};

describe('parseRecipeJson', () => {
  it('parses what JSON.parse parses, to the same value', () => {
    const texts = [
      '{"a": 1, "b": [true, false, null], "c": {"d": "e\\u00e9\\n"}, "n": -1.5e3, "z": 0}',
      '[]',
      '{}',
      '"text"',
      '  \n\t 42 \r\n',
      '{"__proto__": {"x": 1}}',
    ];
    for (const t of texts) expect(parseRecipeJson(t), t).to.deep.equal(JSON.parse(t));
    // "__proto__" stays an ordinary key, as with JSON.parse.
    const o = parseRecipeJson('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(Object.keys(o)).to.deep.equal(['__proto__']);
    expect(Object.getPrototypeOf(o)).to.equal(Object.prototype);
  });

  it('ignores a leading byte-order mark', () => {
    expect(parseRecipeJson('\ufeff{"a": 1}')).to.deep.equal({ a: 1 });
  });

  describe('syntax errors: one issue at the recipe (path ""), with line, column and what was expected', () => {
    const cases: [string, string, string][] = [
      ['an empty file', '  \n', 'JSON syntax error at line 2, column 1: expected a JSON value, found the end of the file (the file is empty)'],
      ['a trailing comma in an object', '{\n  "a": 1,\n}', 'JSON syntax error at line 3, column 1: expected a key in double quotes, found \'}\' (JSON allows no comma before "}")'],
      ['a trailing comma in an array', '[1,\n 2, ]', 'JSON syntax error at line 2, column 5: expected a value, found \']\' (JSON allows no comma before "]")'],
      ['single quotes', "{'a': 1}", 'JSON syntax error at line 1, column 2: expected a key in double quotes, found \'\'\' (JSON strings use double quotes)'],
      ['a single-quoted value', '{"a": \'x\'}', 'JSON syntax error at line 1, column 7: expected a value (object, array, string, number, true, false or null), found \'\'\' (JSON strings use double quotes)'],
      ['an unquoted key', '{a: 1}', 'JSON syntax error at line 1, column 2: expected a key in double quotes, found \'a\' (keys are double-quoted strings)'],
      ['a missing colon', '{"a" 1}', 'JSON syntax error at line 1, column 6: expected \':\' after the key "a", found \'1\''],
      ['a missing comma between keys', '{"a": 1\n "b": 2}', 'JSON syntax error at line 2, column 2: expected \',\' or \'}\' after the value of "a", found \'"\''],
      ['a missing comma in an array', '[1 2]', 'JSON syntax error at line 1, column 4: expected \',\' or \']\' after an array entry, found \'2\''],
      ['an unclosed object', '{"a": 1', 'JSON syntax error at line 1, column 8: expected \',\' or \'}\' after the value of "a", found the end of the file'],
      ['an unclosed string', '{"a": "b}', 'JSON syntax error at line 1, column 7: this string is never closed (missing \'"\')'],
      ['a line break inside a string', '{"a": "b\nc"}', 'JSON syntax error at line 1, column 9: expected \'"\' or more text, found a line break or control character inside a string (write it as \\n, \\t, ...)'],
      ['a bad escape', '{"a": "\\x"}', 'JSON syntax error at line 1, column 7: this string has an invalid escape sequence (valid: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)'],
      ['a comment', '{\n  // the model\n  "a": 1}', 'JSON syntax error at line 2, column 3: found a comment; JSON has no comments (use the "description" fields)'],
      ['a block comment', '/* x */ {}', 'JSON syntax error at line 1, column 1: found a comment; JSON has no comments (use the "description" fields)'],
      ['text after the value', '{} {}', 'JSON syntax error at line 1, column 4: expected the end of the file after the top-level value, found \'{\''],
      ['NaN', '{"a": NaN}', 'JSON syntax error at line 1, column 7: expected a value (object, array, string, number, true, false or null), found \'N\''],
      ['a leading plus', '[+1]', 'JSON syntax error at line 1, column 2: expected a value (object, array, string, number, true, false or null), found \'+\''],
      ['a bare minus', '[-]', "JSON syntax error at line 1, column 2: expected a number, found '-'"],
    ];
    for (const [what, text, message] of cases) {
      it(what, () => {
        expect(only(text)).to.deep.equal({ path: '', message });
      });
    }

    it('columns count from 1 after the last line break; the BOM is not a column', () => {
      expect(only('\ufeff{"a": x}').message).to.match(/^JSON syntax error at line 1, column 7: /);
      expect(only('{\n\n    "a": x}').message).to.match(/^JSON syntax error at line 3, column 10: /);
    });

    it('the error names the file', () => {
      const e = failure('{', 'recipes/bad.json');
      expect(e.source).to.equal('recipes/bad.json');
      expect(e.message).to.equal(
        "recipes/bad.json: invalid recipe (1 issue)\n  (recipe): JSON syntax error at line 1, column 2: expected a key in double quotes, found the end of the file (keys are double-quoted strings)",
      );
    });
  });

  describe('duplicate keys, which JSON.parse would silently resolve to the last value', () => {
    it('one issue per duplicate, at its JSON pointer, with both positions', () => {
      const e = failure('{\n  "stages": [\n    {"name": "a", "name": "b"}\n  ],\n  "seed": 1,\n  "seed": 2,\n  "seed": 3\n}');
      expect(e.issues).to.deep.equal([
        { path: '/stages/0/name', message: 'duplicate key "name" at line 3, column 19 (first at line 3, column 6); JSON would silently keep only the last one' },
        { path: '/seed', message: 'duplicate key "seed" at line 6, column 3 (first at line 5, column 3); JSON would silently keep only the last one' },
        { path: '/seed', message: 'duplicate key "seed" at line 7, column 3 (first at line 5, column 3); JSON would silently keep only the last one' },
      ]);
    });

    it('keys with "/" and "~" are escaped in the pointer', () => {
      expect(only('{"a/b": {"c~d": 1, "c~d": 2}}').path).to.equal('/a~1b/c~0d');
    });

    it('the same key in different objects is not a duplicate', () => {
      expect(parseRecipeJson('[{"a": 1}, {"a": 2}]')).to.deep.equal([{ a: 1 }, { a: 2 }]);
    });
  });

  it(`nesting deeper than ${MAX_RECIPE_NESTING} levels is an issue at the (abbreviated) pointer with its position, not a stack overflow`, () => {
    const issue = only('['.repeat(MAX_RECIPE_NESTING + 1) + ']'.repeat(MAX_RECIPE_NESTING + 1));
    expect(issue.path).to.match(/^\/0\/0\/0\/0\/…\(\d+ more levels\)…\/0\/0$/);
    expect(issue.message).to.equal(
      `nesting too deep: more than ${MAX_RECIPE_NESTING} levels of arrays and objects at line 1, column ${MAX_RECIPE_NESTING + 1} (a recipe needs fewer than 10)`,
    );
    // Exactly the limit parses.
    expect(() => parseRecipeJson('['.repeat(MAX_RECIPE_NESTING) + ']'.repeat(MAX_RECIPE_NESTING))).to.not.throw();
    // Far deeper input fails the same way, quickly.
    expect(only('{"a":'.repeat(100000)).message).to.match(/^nesting too deep/);
  });
});
