import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { TargetWeight } from '../../../core/src/weights/TargetWeight';

describe('TargetWeight', () => {
  it('is named <layer>/<weight> after the variable, with the layer class and a frozen shape', () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, name: 'conv' })] });
    const layer = model.getLayer('conv');
    const w = new TargetWeight(layer, layer.weights[0]!);
    expect(w).to.deep.include({ id: 'conv/kernel', weightName: 'kernel', className: 'Conv2D' });
    expect(w.shape).to.deep.equal([3, 3, 1, 2]);
    expect(Object.isFrozen(w.shape)).to.equal(true);
    expect(w.size).to.equal(18);
    expect(w.layer).to.equal(layer);
    expect(w.latent).to.equal(null);
    expect(w.lastProjected).to.equal(null);
    expect(w.delta).to.equal(null);
  });

  it('a variable named with a scope prefix (layers of nested or reused models) keeps only its own name', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, name: 'fc' })] });
    const layer = model.getLayer('fc');
    const variable = layer.weights[1]!;
    const scoped = Object.create(variable, { originalName: { value: 'outer/fc_1/bias' } }) as typeof variable;
    const w = new TargetWeight(layer, scoped);
    expect(w.weightName).to.equal('bias');
    expect(w.id).to.equal('fc/bias');
  });

  it('value() reads the variable as it is now; trainable follows the layer and the variable', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, name: 'fc' })] });
    const layer = model.getLayer('fc');
    const w = new TargetWeight(layer, layer.weights[0]!);
    layer.setWeights([tf.tensor2d([[3], [4]]), tf.tensor1d([0])]);
    expect(Array.from(w.value().dataSync())).to.deep.equal([3, 4]);
    expect(w.trainable).to.equal(true);
    layer.trainable = false;
    expect(w.trainable).to.equal(false);
  });
});
