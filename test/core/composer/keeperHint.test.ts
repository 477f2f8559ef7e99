import { expect } from 'chai';
import { collab, CompositionError, registerInvariant } from '@collabopt/core';
import { keeperHint } from '../../../core/src/composer/keeperHint';
import { testNeeds } from '../../helpers/testPlugins';
import { smallMlp } from '../../helpers/models';

const quiet = { onWarning: () => {} };

registerInvariant<null>({
  name: 'test-hinted',
  description: 'a custom invariant with its own hint',
  hint: 'add hintMaker() — the only plugin that establishes test-hinted',
  check: () => null,
  encode: () => null,
  decode: () => null,
});

registerInvariant<null>({
  name: 'test-unhinted',
  description: 'a custom invariant without a hint',
  check: () => null,
  encode: () => null,
  decode: () => null,
});

describe('keeperHint: composition errors take their hints from the invariant', () => {
  it("puts a custom invariant's hint into the composition error", () => {
    const model = smallMlp();
    expect(() => collab(model, [testNeeds({ invariant: 'test-hinted' })], quiet))
      .to.throw(CompositionError)
      .with.property('message')
      .that.matches(/requires invariant 'test-hinted'.*add hintMaker\(\) — the only plugin that establishes test-hinted/);
    model.dispose();
  });

  it('falls back to a generic sentence for an invariant without a hint, and keeps the built-ins\' hints', () => {
    expect(keeperHint('test-unhinted')).to.equal("add a plugin that establishes 'test-unhinted'");
    expect(keeperHint('sparsity')).to.match(/sparsityConstraint\(\)/);
    expect(keeperHint('int8-grid')).to.match(/quantize\(\)/);
  });
});
