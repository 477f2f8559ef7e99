import { expect } from 'chai';
import { CliUsageError } from '../../../recipes/src/errors/CliUsageError';
import { parseCliArgs } from '../../../recipes/src/cli/parseCliArgs';

const SPEC = { resume: { type: 'boolean' }, out: { type: 'string' }, quick: { type: 'boolean' } } as const;

describe('parseCliArgs', () => {
  it('returns flags as booleans, valued options as strings and the rest as positionals', () => {
    const { values, positionals } = parseCliArgs(['a.json', '--resume', '--out', 'dir', 'b.json'], SPEC);
    expect(values).to.deep.equal({ resume: true, out: 'dir' });
    expect(positionals).to.deep.equal(['a.json', 'b.json']);
  });

  it('refuses an unknown option with a usage error that names it and suggests the closest one', () => {
    expect(() => parseCliArgs(['--resum'], SPEC)).to.throw(CliUsageError, /^unknown option --resum \(did you mean --resume\?\)$/);
  });

  it('names an unknown option without a suggestion when nothing is close', () => {
    expect(() => parseCliArgs(['--zzzzzzzz'], SPEC)).to.throw(CliUsageError, /^unknown option --zzzzzzzz$/);
  });

  it('refuses a valued option given without its value', () => {
    expect(() => parseCliArgs(['--out'], SPEC)).to.throw(CliUsageError, /--out/);
  });

  it('refuses an option given twice instead of keeping the last silently', () => {
    expect(() => parseCliArgs(['--out', 'a', '--out', 'b'], SPEC)).to.throw(CliUsageError, /^option --out is given more than once$/);
    expect(() => parseCliArgs(['--resume', '--resume'], SPEC)).to.throw(CliUsageError, /^option --resume is given more than once$/);
  });

  it('gives usage errors exit code 2 via their code', () => {
    try {
      parseCliArgs(['--nope'], SPEC);
      expect.fail('no error');
    } catch (e) {
      expect((e as CliUsageError).code).to.equal('usage');
    }
  });
});
