import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { OptimizationState } from '@collabopt/core';
import { tfliteFileExporter, type FileExporter } from '@collabopt/plugins';
import { calibrateAndWrite } from '../../../recipes/src/runner/calibrateAndWrite';
import { mlpData, smallMlp } from '../../helpers/models';

/** An exporter that records how many activation ranges the state held when it was asked to write. */
function recordingExporter(needsRanges: boolean): FileExporter & { rangesSeen: number[] } {
  const rangesSeen: number[] = [];
  return {
    ...tfliteFileExporter,
    needsCalibration: () => needsRanges,
    async write(_model, target, _variant, _options, state) {
      rangesSeen.push(state.activationRanges.size);
      return { path: target, size: { raw: 0, deflated: 0 } as never, compression: '', verified: {} };
    },
    rangesSeen,
  };
}

describe('runner/calibrateAndWrite: ranges before an export that needs them, once', () => {
  it('calibrates an uncalibrated model before writing, and says so', async () => {
    const model = smallMlp();
    const { xs } = mlpData(16);
    const state = new OptimizationState();
    const exporter = recordingExporter(true);
    const first = await calibrateAndWrite(model, state, { exporter, variant: 'int8', target: 'a', calibrated: false, representative: xs });
    expect(first.calibrated).to.equal(true);
    expect(exporter.rangesSeen[0]).to.be.greaterThan(0);
    // Already calibrated: the ranges are reused, not observed again.
    state.activationRanges.clear();
    const second = await calibrateAndWrite(model, state, { exporter, variant: 'int8', target: 'b', calibrated: first.calibrated, representative: xs });
    expect(second.calibrated).to.equal(true);
    expect(exporter.rangesSeen[1]).to.equal(0);
    state.dispose();
    model.dispose();
    xs.dispose();
  });

  it('does not calibrate for a variant that needs no ranges', async () => {
    const model = smallMlp();
    const xs = tf.zeros([4, 6]);
    const state = new OptimizationState();
    const exporter = recordingExporter(false);
    const done = await calibrateAndWrite(model, state, { exporter, variant: 'float32', target: 'a', calibrated: false, representative: xs });
    expect(done.calibrated).to.equal(false);
    expect(exporter.rangesSeen).to.deep.equal([0]);
    state.dispose();
    model.dispose();
    xs.dispose();
  });
});
