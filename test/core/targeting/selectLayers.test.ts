import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { selectLayers } from '../../../core/src/targeting/selectLayers';
import { TargetError } from '../../../core/src/errors/TargetError';

describe('selectLayers', () => {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, name: 'conv_a' }),
      tf.layers.reLU({ name: 'relu' }),
      tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'conv_b' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 3, name: 'head' }),
    ],
  });
  const layers = model.layers;
  const names = (s: Set<tf.layers.Layer>) => [...s].map((l) => l.name);

  it('without include: every layer, in model order, minus the excluded ones', () => {
    expect(names(selectLayers('q', layers))).to.deep.equal(['conv_a', 'relu', 'conv_b', 'flat', 'head']);
    expect(names(selectLayers('q', layers, { exclude: ['relu', { className: 'Flatten' }] }))).to.deep.equal(['conv_a', 'conv_b', 'head']);
  });

  it('include by name, weight id (selects its layer), /regex/ and class; exclude wins over include', () => {
    expect(names(selectLayers('q', layers, { include: ['head'] }))).to.deep.equal(['head']);
    expect(names(selectLayers('q', layers, { include: ['conv_b/kernel'] }))).to.deep.equal(['conv_b']);
    expect(names(selectLayers('q', layers, { include: ['/^conv_/'] }))).to.deep.equal(['conv_a', 'conv_b']);
    expect(names(selectLayers('q', layers, { include: [{ className: 'Conv2D' }], exclude: ['conv_a'] }))).to.deep.equal(['conv_b']);
  });

  it('layers without weights can be selected (activation quantization acts on layers)', () => {
    expect(names(selectLayers('q', layers, { include: ['relu', 'flat'] }))).to.deep.equal(['relu', 'flat']);
  });

  it('an unknown name is a TargetError naming the plugin, the list position and a suggestion; a regex that matches nothing is not', () => {
    expect(() => selectLayers('quantize', layers, { include: ['conv_c'] })).to.throw(
      TargetError,
      'quantize: include[0] selects "conv_c", but the model has no such layer (did you mean "conv_a"?)',
    );
    expect(() => selectLayers('quantize', layers, { exclude: ['head', 'hed/kernel'] })).to.throw(TargetError, 'quantize: exclude[1] selects "hed/kernel"');
    expect(names(selectLayers('q', layers, { include: ['/^nothing/'] }))).to.deep.equal([]);
  });

  it('a malformed selector is a TargetError naming the plugin and the position', () => {
    expect(() => selectLayers('quantize', layers, { include: ['head', ''] })).to.throw(TargetError, /^quantize: include\[1\]: a selector must be a non-empty string/);
    expect(() => selectLayers('quantize', layers, { exclude: ['/(/'] })).to.throw(TargetError, /^quantize: exclude\[0\]: invalid regular expression/);
  });
});
