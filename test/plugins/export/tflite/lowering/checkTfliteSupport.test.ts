import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { checkSupport, checkTfliteSupport, TFLITE_LAYER_CLASSES } from '../../../../../plugins/src/export/tflite/lowering/checkTfliteSupport';
import { layerLowerings } from '../../../../../plugins/src/export/tflite/lowering/layerLowerings';
import type { LayerLowering } from '../../../../../plugins/src/export/tflite/lowering/LayerLowering';
import { TfliteExportError } from '../../../../../plugins/src/errors/TfliteExportError';

function thrown(fn: () => void): TfliteExportError {
  try {
    fn();
  } catch (e) {
    return e as TfliteExportError;
  }
  throw new Error('expected an error');
}

describe('checkTfliteSupport: support derives from the lowering registry', () => {
  it('lists exactly the registered classes, in registry order', () => {
    expect(TFLITE_LAYER_CLASSES).to.deep.equal([...layerLowerings.keys()]);
    for (const [name, lowering] of layerLowerings) expect(lowering.className).to.equal(name);
  });

  it('accepts a class once it is registered and refuses it, with the usual error, when it is not', () => {
    const input = tf.input({ shape: [4] });
    const out = tf.layers.dense({ units: 2, name: 'd' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out, name: 'm' });
    expect(() => checkTfliteSupport(model)).not.to.throw();

    const withoutDense = new Map<string, LayerLowering>([...layerLowerings].filter(([name]) => name !== 'Dense'));
    const e = thrown(() => checkSupport(model, withoutDense));
    expect(e).to.be.instanceOf(TfliteExportError);
    expect(e.reason).to.equal('unsupported-layer');
    expect(e.unsupported).to.deep.equal([{ layer: 'd', className: 'Dense', reason: 'no TFLite lowering for layer class Dense' }]);
    expect(e.message).to.contain(`Supported layer classes: ${[...withoutDense.keys()].join(', ')}.`);

    // A new entry is all it takes: its check runs after the common ones.
    const refusing: LayerLowering = { ...layerLowerings.get('Dense')!, check: () => 'refused by the test lowering' };
    const e2 = thrown(() => checkSupport(model, new Map([...withoutDense, ['Dense', refusing]])));
    expect(e2.unsupported[0].reason).to.equal('refused by the test lowering');
  });
});
