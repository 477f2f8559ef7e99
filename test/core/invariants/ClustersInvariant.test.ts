import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ClustersInvariant, MAX_DERIVED_CLUSTERS, outputChannelLayout, StateError } from '@collabopt/core';
import { exportedKernel } from '../../helpers/exportedKernel';

describe('ClustersInvariant', () => {
  it('checks the distinct values per tensor, or per output channel (flat element k in channel k % channels)', () => {
    // Columns (channels) of [3, 2]: channel 0 = {1, 2, 1}, channel 1 = {5, 6, 7}.
    const w = tf.tensor2d([1, 5, 2, 6, 1, 7], [3, 2]);
    expect(ClustersInvariant.check(w, { k: 5, channels: null })).to.equal(null);
    expect(ClustersInvariant.check(w, { k: 4, channels: null })).to.equal('5 distinct values in the tensor, at most 4 allowed');
    expect(ClustersInvariant.check(w, { k: 3, channels: 2 })).to.equal(null);
    expect(ClustersInvariant.check(w, { k: 2, channels: 2 })).to.equal('3 distinct values in output channel 1, at most 2 allowed');
    w.dispose();
  });

  describe('derive', () => {
    /** `rows` × `channels` values, flat element k in channel k % channels: two values per channel, distinct across channels. */
    function twoPerChannel(rows: number, channels: number): number[] {
      return Array.from({ length: rows * channels }, (_, k) => (k % channels) + (Math.floor(k / channels) % 2) / 2);
    }

    it('finds a per-tensor count first, then a per-channel one, and nothing in unclustered weights', () => {
      const perTensor = tf.tensor2d([0.5, -0.5, 0.5, 0.5, -0.5, 0], [3, 2]);
      expect(ClustersInvariant.derive!(perTensor, outputChannelLayout('Dense', 'kernel', [3, 2]))).to.deep.equal({ k: 3, channels: null });
      // 600 values in the tensor (more than a per-tensor derivation takes), two per column.
      const perChannel = tf.tensor2d(twoPerChannel(4, 300), [4, 300]);
      expect(ClustersInvariant.derive!(perChannel, outputChannelLayout('Dense', 'kernel', [4, 300]))).to.deep.equal({ k: 2, channels: 300 });
      const distinct = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
      expect(ClustersInvariant.derive!(distinct, outputChannelLayout('Dense', 'kernel', [3, 2]))).to.equal(null);
      // Without output channels (a vector), only the per-tensor count counts.
      const vector = tf.tensor1d(twoPerChannel(2, 300));
      expect(ClustersInvariant.derive!(vector, null)).to.equal(null);
      tf.dispose([perTensor, perChannel, distinct, vector]);
    });

    it('groups a depthwise kernel by its real output channels (in · multiplier), as the layout owner says', () => {
      // [h = 4, w = 1, in = 150, multiplier = 2]: 300 real output channels, two values each. Grouped
      // by the last axis alone (2 groups of ~300 values) nothing would be derived.
      const shape = [4, 1, 150, 2];
      const w = tf.tensor4d(twoPerChannel(4, 300), shape as [number, number, number, number]);
      const layout = outputChannelLayout('DepthwiseConv2D', 'depthwise_kernel', shape);
      expect(layout?.channels).to.equal(300);
      const derived = ClustersInvariant.derive!(w, layout);
      expect(derived).to.deep.equal({ k: 2, channels: 300 });
      expect(ClustersInvariant.check(w, derived!)).to.equal(null);
      expect(ClustersInvariant.check(w, { k: 2, channels: 2 })).to.match(/^300 distinct values in output channel [01], at most 2 allowed$/);
      w.dispose();
    });

    it('gives up above MAX_DERIVED_CLUSTERS values', () => {
      const n = MAX_DERIVED_CLUSTERS + 1;
      const w = tf.tensor2d(Array.from({ length: 2 * n }, (_, i) => i % n), [n, 2]);
      expect(ClustersInvariant.derive!(w, outputChannelLayout('Dense', 'kernel', [n, 2]))).to.equal(null);
      w.dispose();
    });
  });

  describe('checkExported', () => {
    it('counts the file values per tensor, and per output channel once a BatchNorm was folded in (with a note)', () => {
      // Two values per channel; the folded factors make four in the tensor.
      const file = exportedKernel([1, 3, 2, 6, 1, 3], { foldedScale: [1, 3] });
      const folded = ClustersInvariant.checkExported!(file, { k: 2, channels: null });
      expect(folded.violation).to.equal(null);
      expect(folded.note).to.equal("clusters (k = 2, per tensor) checked per output channel: BatchNormalization 'bn' was folded in");
      expect(ClustersInvariant.checkExported!(exportedKernel([1, 3, 2, 6, 1, 3]), { k: 2, channels: null }).violation).to.equal(
        '3 or more distinct values in the tensor, at most 2 claimed',
      );
      expect(ClustersInvariant.checkExported!(exportedKernel([1, 3, 2, 6, 4, 3]), { k: 2, channels: 2 }).violation).to.equal(
        '3 or more distinct values in output channel 0, at most 2 claimed',
      );
    });
  });

  it('round-trips its data through encode/decode and refuses corrupt saved data, naming it', () => {
    expect(ClustersInvariant.decode(ClustersInvariant.encode({ k: 4, channels: 8 }), [3, 8])).to.deep.equal({ k: 4, channels: 8 });
    expect(ClustersInvariant.decode(ClustersInvariant.encode({ k: 2, channels: null }), [3, 8])).to.deep.equal({ k: 2, channels: null });
    for (const bad of [null, { k: 0, channels: null }, { k: 2 }, { k: '2', channels: null }, { k: 2, channels: 'x' }]) {
      expect(() => ClustersInvariant.decode(bad as never, [2, 2]))
        .to.throw(StateError)
        .with.property('message')
        .that.matches(/^clusters: saved data must be \{k: number >= 1, channels: number \| null\}, got /);
    }
  });
});
