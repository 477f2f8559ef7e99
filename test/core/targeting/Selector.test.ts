import { expect } from 'chai';
import { matchLayerSelector, matchSelector, parseSelector } from '../../../core/src/targeting/Selector';
import type { TargetWeight } from '../../../core/src/weights/TargetWeight';

const layer = (name: string, className = 'Dense') => ({ name, getClassName: () => className });
const weight = (layerName: string, weightName: string, className = 'Dense') =>
  ({ id: `${layerName}/${weightName}`, weightName, layer: layer(layerName, className) }) as unknown as TargetWeight;

describe('Selector', () => {
  describe('parseSelector', () => {
    it('a plain name is a layer; a name with a slash is a weight id; text quotes it for messages', () => {
      expect(parseSelector('conv2d_1')).to.deep.include({ kind: 'layer', value: 'conv2d_1', text: '"conv2d_1"' });
      expect(parseSelector('conv2d_1/bias')).to.deep.include({ kind: 'weight', value: 'conv2d_1/bias', text: '"conv2d_1/bias"' });
    });

    it('/…/flags is a regular expression with its flags; a slash inside the pattern is allowed', () => {
      const p = parseSelector('/^block_\\d+/i');
      expect(p.kind).to.equal('regex');
      expect(p.regex!.flags).to.equal('i');
      expect(p.regex!.test('BLOCK_3')).to.equal(true);
      expect(p.text).to.equal('/^block_\\d+/i');
      expect(parseSelector('/a\\/b/').regex!.test('a/b')).to.equal(true);
      // A leading slash without a closing one is a weight id, not a regex.
      expect(parseSelector('/dense').kind).to.equal('weight');
    });

    it('{className} selects a tfjs class', () => {
      const p = parseSelector({ className: 'Conv2D' });
      expect(p).to.deep.include({ kind: 'class', value: 'Conv2D', text: '{className: Conv2D}' });
    });

    it('rejects empty strings, non-strings and broken regular expressions, saying what it got', () => {
      expect(() => parseSelector('')).to.throw('a selector must be a non-empty string or {className}, got ""');
      expect(() => parseSelector(3 as never)).to.throw('a selector must be a non-empty string or {className}, got 3');
      expect(() => parseSelector({ className: 1 } as never)).to.throw('got {"className":1}');
      expect(() => parseSelector('/[/')).to.throw(/^invalid regular expression \/\[\/: /);
      expect(() => parseSelector('/a/q')).to.throw(/^invalid regular expression \/a\/q: /);
    });
  });

  describe('matchSelector: how a selector matched, strongest first (weight, layer, pattern)', () => {
    const kernel = weight('conv_a', 'kernel', 'Conv2D');
    it('a weight id matches only that weight, as "weight"', () => {
      expect(matchSelector(parseSelector('conv_a/kernel'), kernel)).to.equal('weight');
      expect(matchSelector(parseSelector('conv_a/bias'), kernel)).to.equal(null);
    });

    it('a layer name and a class match as "layer"; exact names only', () => {
      expect(matchSelector(parseSelector('conv_a'), kernel)).to.equal('layer');
      expect(matchSelector(parseSelector('conv'), kernel)).to.equal(null);
      expect(matchSelector(parseSelector({ className: 'Conv2D' }), kernel)).to.equal('layer');
      expect(matchSelector(parseSelector({ className: 'conv2d' }), kernel)).to.equal(null);
    });

    it('a regex matches the layer name as "pattern", the same on every call (global flag included)', () => {
      const g = parseSelector('/conv/g');
      expect(matchSelector(g, kernel)).to.equal('pattern');
      // A /g regex keeps lastIndex between test() calls; the matcher resets it.
      expect(matchSelector(g, kernel)).to.equal('pattern');
      expect(matchSelector(g, kernel)).to.equal('pattern');
      expect(matchSelector(parseSelector('/^a/'), kernel)).to.equal(null);
    });
  });

  describe('matchLayerSelector', () => {
    it('a weight id matches the layer that owns the weight, and no layer whose name is a prefix', () => {
      expect(matchLayerSelector(parseSelector('conv_a/kernel'), layer('conv_a'))).to.equal('weight');
      expect(matchLayerSelector(parseSelector('conv_ab/kernel'), layer('conv_a'))).to.equal(null);
      expect(matchLayerSelector(parseSelector('conv_a'), layer('conv_a'))).to.equal('layer');
      expect(matchLayerSelector(parseSelector({ className: 'Dense' }), layer('x'))).to.equal('layer');
      expect(matchLayerSelector(parseSelector('/x/'), layer('x'))).to.equal('pattern');
    });
  });
});
