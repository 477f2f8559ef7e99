import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Int8GridInvariant, StateError } from '@collabopt/core';
import { exportedKernel } from '../../helpers/exportedKernel';

function kernel(values: number[], dtype: string, options: { model?: number[]; folded?: number[]; onStateGrid?: boolean } = {}) {
  return exportedKernel(values, { dtype, model: options.model, foldedScale: options.folded ?? null, onStateGrid: options.onStateGrid });
}

describe('Int8GridInvariant', () => {
  it('accepts scale·q with integer q in [-127, 127] per tensor, and names the first element off the grid', () => {
    const data = { scales: Float32Array.of(0.5), channels: null, bits: 8 };
    const on = tf.tensor1d([0, 0.5, -63.5, 63.5]);
    expect(Int8GridInvariant.check(on, data)).to.equal(null);
    const off = tf.tensor1d([0.5, 0.7]);
    expect(Int8GridInvariant.check(off, data)).to.equal('element 1 = 0.699999988079071 is not on the grid (scale 0.5, q ≈ 1.4000, |q| ≤ 127)');
    const outside = tf.tensor1d([64]);
    expect(Int8GridInvariant.check(outside, data)).to.match(/^element 0 = 64 is not on the grid \(scale 0.5, q ≈ 128.0000, \|q\| ≤ 127\)$/);
    tf.dispose([on, off, outside]);
  });

  it('uses one scale per output channel (element k in channel k % channels) and the bit width given', () => {
    const data = { scales: Float32Array.of(1, 0.25), channels: 2, bits: 4 };
    const on = tf.tensor2d([7, 0.25, -7, 1.75], [2, 2]);
    expect(Int8GridInvariant.check(on, data)).to.equal(null);
    // 0.25 is on channel 1's grid, not channel 0's; 8 is beyond 4-bit's ±7.
    const wrongChannel = tf.tensor2d([0.25, 0.25, 0, 0], [2, 2]);
    expect(Int8GridInvariant.check(wrongChannel, data)).to.match(/^element 0 = 0.25 is not on the grid \(scale 1,/);
    const tooWide = tf.tensor2d([8, 0, 0, 0], [2, 2]);
    expect(Int8GridInvariant.check(tooWide, data)).to.match(/\|q\| ≤ 7\)$/);
    tf.dispose([on, wrongChannel, tooWide]);
  });

  describe('checkExported', () => {
    const data = { scales: Float32Array.of(0.5, 0.25), channels: 2, bits: 8 };

    it('checks float32 storage of unfolded values on the grid, and says float16 storage is not verified', () => {
      expect(Int8GridInvariant.checkExported!(kernel([0.5, 0.25, 1, 0.75], 'float32'), data)).to.deep.equal({ violation: null });
      expect(Int8GridInvariant.checkExported!(kernel([0.5, 0.3, 1, 0.75], 'float32'), data).violation).to.match(/^element 1 = 0.3/);
      expect(Int8GridInvariant.checkExported!(kernel([0.5, 0.3, 1, 0.75], 'float16'), data)).to.deep.equal({ violation: null, applies: false });
    });

    it('requires an int8 kernel to hold the model values, times the folded factor of their channel', () => {
      expect(Int8GridInvariant.checkExported!(kernel([0.5, 0.25, 1, 0.75], 'int8'), data).violation).to.equal(null);
      expect(Int8GridInvariant.checkExported!(kernel([1.5, 0.5, 3, 1.5], 'int8', { model: [0.5, 0.25, 1, 0.75], folded: [3, 2] }), data).violation).to.equal(null);
      expect(Int8GridInvariant.checkExported!(kernel([1, 0.25, 1, 0.75], 'int8', { model: [0.5, 0.25, 1, 0.75] }), data).violation).to.equal(
        'the element at 0 is 1 in the file but 0.5 in the model',
      );
      const regridded = Int8GridInvariant.checkExported!(kernel([1, 0.25, 1, 0.75], 'int8', { folded: [3, 2], onStateGrid: false }), data);
      expect(regridded.applies).to.equal(false);
      expect(regridded.note).to.match(/^int8-grid not kept: BatchNormalization 'bn' was folded into this per-tensor kernel/);
    });
  });

  it('round-trips its data and refuses corrupt saved data', () => {
    const data = { scales: Float32Array.of(0.5, 0.25), channels: 2, bits: 8 };
    const back = Int8GridInvariant.decode(Int8GridInvariant.encode(data), [2, 2]);
    expect({ ...back, scales: Array.from(back.scales) }).to.deep.equal({ scales: [0.5, 0.25], channels: 2, bits: 8 });
    for (const bad of [null, { scales: [0], channels: null, bits: 8 }, { scales: [1], channels: 'x', bits: 8 }, { scales: [1], channels: null }]) {
      expect(() => Int8GridInvariant.decode(bad as never, [2, 2])).to.throw(StateError, /^int8-grid: saved data must be \{scales: positive numbers, channels, bits\}, got /);
    }
  });
});
