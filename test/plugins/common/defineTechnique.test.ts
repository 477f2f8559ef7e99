import { expect } from 'chai';
import { definePlugin } from '@collabopt/core';
import { defineTechnique, isTechnique } from '../../../plugins/src/common/defineTechnique';

const plugin = (name: string) => definePlugin({ name, optionsSchema: { type: 'object', properties: {}, additionalProperties: false }, invariants: { establishes: [], preserves: [], requires: [] }, create: () => ({ apply: () => {} }) });

describe('defineTechnique', () => {
  it('returns a frozen copy that isTechnique recognises, unlike a look-alike object', () => {
    const plugins = [plugin('a')];
    const description = { name: 'alpha', plugins, establishes: ['x'], optionTypes: [] };
    const technique = defineTechnique(description);
    expect(isTechnique(technique)).to.equal(true);
    expect(isTechnique(description)).to.equal(false);
    expect(isTechnique(null)).to.equal(false);
    expect(Object.isFrozen(technique) && Object.isFrozen(technique.plugins) && Object.isFrozen(technique.establishes)).to.equal(true);
    plugins.push(plugin('b'));
    expect(technique.plugins.map((f) => f.pluginName)).to.deep.equal(['a']);
  });

  it('refuses a name that is not a folder name, no plugins, and two plugins of one name', () => {
    expect(() => defineTechnique({ name: 'Bad Name', plugins: [plugin('a')], establishes: [], optionTypes: [] })).to.throw("technique 'Bad Name': its name must be its folder's name");
    expect(() => defineTechnique({ name: 'empty', plugins: [], establishes: [], optionTypes: [] })).to.throw("technique 'empty': it lists no plugin factory");
    expect(() => defineTechnique({ name: 'twice', plugins: [plugin('a'), plugin('a')], establishes: [], optionTypes: [] })).to.throw("technique 'twice': two plugin factories are named 'a'");
  });
});
