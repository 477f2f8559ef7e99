/**
 * docs/cli.md is generated from the commands (docs/tools/cliReference.ts): it must be current, and
 * must document every command.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import { cliCommands } from '@collabopt/recipes';
import { CLI_REFERENCE, cliReference } from '../../docs/tools/cliReference';

describe('docs/cli.md (CLI reference)', () => {
  it('is current: npm run docs:cli regenerates it from every command\'s summary and usage', async () => {
    const expected = await cliReference();
    expect(fs.existsSync(CLI_REFERENCE), 'docs/cli.md is missing: run npm run docs:cli').to.equal(true);
    expect(fs.readFileSync(CLI_REFERENCE, 'utf8'), 'docs/cli.md is stale: run npm run docs:cli').to.equal(expected);
  });

  it('has a section with the usage of every command', () => {
    const text = fs.readFileSync(CLI_REFERENCE, 'utf8');
    expect(cliCommands.length).to.be.above(0);
    for (const c of cliCommands) {
      expect(text).to.include(`## \`collabopt ${c.name}\``);
      expect(text).to.include(c.usage);
    }
  });
});
