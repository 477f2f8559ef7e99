import Ajv from 'ajv';
import { expect } from 'chai';
import { selectorListSchema, selectorSchema, targetingSchema } from '../../../core/src/targeting/TargetSpec';

const ajv = () => new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true });

describe('TargetSpec', () => {
  it('selectorSchema accepts what parseSelector accepts: a non-empty string or {className}', () => {
    const validate = ajv().compile(selectorListSchema);
    expect(validate(['conv1', 'conv1/bias', '/^block/', { className: 'Conv2D' }])).to.equal(true);
    for (const bad of [[''], [{ className: '' }], [{ className: 'Dense', extra: 1 }], [3], [{}]]) expect(validate(bad), JSON.stringify(bad)).to.equal(false);
    expect(selectorListSchema.items).to.equal(selectorSchema);
  });

  describe('targetingSchema', () => {
    const settings = { bits: { type: 'integer', minimum: 2, maximum: 8, default: 8, description: 'Bits.' } } as const;
    const plugin = () => ({
      type: 'object',
      properties: { ...settings, ...targetingSchema(settings, { select: ['fc1'], bits: 4 }) },
      additionalProperties: false,
    });

    it('include / exclude / layers with per-layer settings; a rule needs select and knows only the plugin’s settings', () => {
      const validate = ajv().compile(plugin());
      expect(validate({ include: ['conv1'], exclude: [{ className: 'Dense' }], layers: [{ select: ['fc1'], bits: 4 }] })).to.equal(true);
      expect(validate({ layers: [{ bits: 4 }] })).to.equal(false);
      expect(validate({ layers: [{ select: [] }] })).to.equal(false);
      expect(validate({ layers: [{ select: ['fc1'], bitz: 4 }] })).to.equal(false);
      expect(validate({ layers: [{ select: ['fc1'], bits: 9 }] }), 'the setting keeps its constraints').to.equal(false);
    });

    it('a rule that omits a setting keeps the plugin-wide value: its default is not filled into the rule', () => {
      const options: { bits?: number; layers: { select: string[]; bits?: number }[] } = { layers: [{ select: ['fc1'] }] };
      expect(ajv().compile(plugin())(options)).to.equal(true);
      expect(options.bits, 'plugin-wide default filled').to.equal(8);
      expect(options.layers[0]).to.deep.equal({ select: ['fc1'] });
    });

    it('the removed default stays on as an example, and the input schema is not changed', () => {
      const rule = (targetingSchema(settings).layers.items.properties as Record<string, Record<string, unknown>>).bits!;
      expect(rule).to.not.have.property('default');
      expect(rule.examples).to.deep.equal([8]);
      expect(settings.bits.default).to.equal(8);
      expect(targetingSchema(settings, { select: ['fc1'], bits: 4 }).layers.examples).to.deep.equal([[{ select: ['fc1'], bits: 4 }]]);
      expect(targetingSchema(settings).layers).to.not.have.property('examples');
    });
  });
});
