import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { modelLayers, modelWeights } from '../../../core/src/weights/modelWeights';
import { SessionError } from '../../../core/src/errors/SessionError';

describe('modelWeights', () => {
  it('modelLayers: topological order, descending into nested models instead of listing them', () => {
    const inner = tf.sequential({ name: 'inner', layers: [tf.layers.dense({ inputShape: [4], units: 4, name: 'in_a' }), tf.layers.dense({ units: 4, name: 'in_b' })] });
    const input = tf.input({ shape: [4], name: 'x' });
    const out = tf.layers.dense({ units: 2, name: 'head' }).apply(inner.apply(input)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    expect(modelLayers(model).map((l) => l.name)).to.deep.equal(['x', 'in_a', 'in_b', 'head']);
  });

  it('a layer shared by two nested models is listed once, with one set of weights', () => {
    const shared = tf.layers.dense({ units: 3, name: 'shared', inputShape: [3] });
    const a = tf.sequential({ name: 'a', layers: [shared] });
    const b = tf.sequential({ name: 'b', layers: [tf.layers.dense({ inputShape: [3], units: 3, name: 'b_first' }), shared] });
    const input = tf.input({ shape: [3] });
    const out = tf.layers.add().apply([a.apply(input) as tf.SymbolicTensor, b.apply(input) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const names = modelLayers(model).map((l) => l.name);
    expect(names.filter((n) => n === 'shared')).to.have.length(1);
    expect([...modelWeights(model).keys()].filter((id) => id.startsWith('shared/'))).to.deep.equal(['shared/kernel', 'shared/bias']);
  });

  it('keys every weight by <layer>/<weight>, with its class, shape and size', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 3, name: 'conv' }),
        tf.layers.batchNormalization({ name: 'bn' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, name: 'fc', useBias: false }),
      ],
    });
    const weights = modelWeights(model);
    expect([...weights.keys()]).to.deep.equal([
      'conv/kernel', 'conv/bias', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance', 'fc/kernel',
    ]);
    const kernel = weights.get('conv/kernel')!;
    expect(kernel).to.deep.include({ id: 'conv/kernel', weightName: 'kernel', className: 'Conv2D' });
    expect(kernel.shape).to.deep.equal([3, 3, 2, 3]);
    expect(kernel.size).to.equal(54);
    expect(kernel.trainable).to.equal(true);
    expect(weights.get('bn/moving_mean')!.trainable, 'BatchNorm statistics are not trained').to.equal(false);
    expect(Array.from(kernel.value().dataSync())).to.deep.equal(Array.from(model.getLayer('conv').getWeights()[0]!.dataSync()));
  });

  it('a frozen layer’s weights are not trainable', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, name: 'frozen', trainable: false })] });
    expect(modelWeights(model).get('frozen/kernel')!.trainable).to.equal(false);
  });

  it('same-named layers in two nested models are an error: ids would collide', () => {
    const mk = (name: string) => tf.sequential({ name, layers: [tf.layers.dense({ inputShape: [2], units: 2, name: 'same' })] });
    const input = tf.input({ shape: [2] });
    const out = tf.layers.concatenate().apply([mk('m1').apply(input) as tf.SymbolicTensor, mk('m2').apply(input) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    expect(() => modelWeights(model)).to.throw(
      SessionError,
      "the model has two weights with id 'same/kernel' (layers named 'same' in nested models); give the layers unique names",
    );
  });
});
