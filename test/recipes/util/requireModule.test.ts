import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { requireModule } from '../../../recipes/src/util/requireModule';
import { RecipeSourceError } from '../../../recipes/src/errors/RecipeSourceError';

describe('requireModule', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-require-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const failure = (fn: () => unknown): RecipeSourceError => {
    try {
      fn();
    } catch (e) {
      expect(e).to.be.instanceOf(RecipeSourceError);
      return e as RecipeSourceError;
    }
    throw new Error('expected a RecipeSourceError');
  };

  it("returns a module's exports: CommonJS objects, functions with properties, and TypeScript (ts-node is loaded here)", () => {
    expect(requireModule(file('a.js', 'exports.createModel = () => 1;'), 'model module').createModel).to.be.a('function');
    const fn = requireModule(file('b.cjs', 'module.exports = Object.assign(() => 2, { loadData: 3 });'), 'data module');
    expect(fn.loadData).to.equal(3);
    expect(requireModule(file('c.ts', 'export const size: number = 4;'), 'model module').size).to.equal(4);
  });

  it('a module that throws while loading: the error names what it is, the file and the cause', () => {
    const p = file('throws.js', "throw new Error('no GPU here');");
    const e = failure(() => requireModule(p, 'model module'));
    expect(e.message).to.equal(`cannot load the model module ${p}: no GPU here`);
    expect((e.cause as Error).message).to.equal('no GPU here');
  });

  it('a missing file', () => {
    const p = path.join(dir, 'nope.js');
    expect(failure(() => requireModule(p, 'data module')).message).to.match(new RegExp(`^cannot load the data module ${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Cannot find module`));
  });

  it('a module whose exports are not an object says what it exported', () => {
    const p = file('num.js', 'module.exports = 3;');
    expect(failure(() => requireModule(p, 'model module')).message).to.equal(`the model module ${p} exports 3, not an object of exports`);
    const q = file('null.js', 'module.exports = null;');
    expect(failure(() => requireModule(q, 'model module')).message).to.equal(`the model module ${q} exports null, not an object of exports`);
  });
});
