import { expect } from 'chai';
import { SeededRandom } from '../../../core/src/util/SeededRandom';
import { channelGeometry } from '../../../plugins/src/clustering/channelGeometry';
import { clusterPerChannel } from '../../../plugins/src/clustering/clusterPerChannel';
import { clusterWeights } from '../../../plugins/src/clustering/clusterWeights';
import { perChannelClusteredValues } from '../../../plugins/src/clustering/perChannelClusteredValues';
import { distinct, normalWeights } from './helpers';

/** A kernel whose channel c (under the given geometry) holds values in [100c, 100c + 1). */
function taggedKernel(shape: number[], channelAxes: number[] | undefined, seed: number): Float32Array {
  const { channels, inner, size } = channelGeometry(shape, channelAxes);
  const r = new SeededRandom(seed);
  const w = new Float32Array(size);
  for (let i = 0; i < size; i++) w[i] = 100 * (Math.floor(i / inner) % channels) + r.float();
  return w;
}

describe('channelGeometry', () => {
  it('maps Conv2D, DepthwiseConv2D and Conv2DTranspose kernels to output channels', () => {
    expect(channelGeometry([3, 3, 4, 8])).to.deep.equal({ channels: 8, inner: 1, perChannel: 36, size: 288 });
    expect(channelGeometry([3, 3, 4, 2], [2, 3])).to.deep.equal({ channels: 8, inner: 1, perChannel: 9, size: 72 });
    expect(channelGeometry([3, 3, 4, 2], [-2, -1])).to.deep.equal({ channels: 8, inner: 1, perChannel: 9, size: 72 });
    expect(channelGeometry([3, 3, 5, 2], [2])).to.deep.equal({ channels: 5, inner: 2, perChannel: 18, size: 90 });
  });

  it('rejects bad shapes and axes', () => {
    expect(() => channelGeometry([])).to.throw(RangeError, /shape must be a non-empty array/);
    expect(() => channelGeometry([3, 0])).to.throw(RangeError, /shape\[1\] must be a positive integer, got 0/);
    expect(() => channelGeometry([3, 3, 4], [0, 2])).to.throw(RangeError, /contiguous ascending axes.*\[0,2\]/);
    expect(() => channelGeometry([3, 3], [2])).to.throw(RangeError, /channelAxes/);
  });
});

describe('clusterPerChannel', () => {
  const cases: [string, number[], number[] | undefined][] = [
    ['Conv2D [3,3,4,8]', [3, 3, 4, 8], undefined],
    ['DepthwiseConv2D [3,3,4,2] per in·mult', [3, 3, 4, 2], [2, 3]],
    ['Conv2DTranspose [3,3,5,2] per out (axis 2)', [3, 3, 5, 2], [2]],
    ['Dense [20,6]', [20, 6], undefined],
  ];
  for (const [name, shape, axes] of cases) {
    it(`${name}: [C, k] centroids from each channel's own weights`, () => {
      const w = taggedKernel(shape, axes, 1);
      const k = 4;
      const { channels } = channelGeometry(shape, axes);
      const r = clusterPerChannel(w, shape, k, { channelAxes: axes, random: new SeededRandom(1) });
      expect(r.channels).to.equal(channels);
      expect(r.k).to.equal(k);
      expect(r.centroids).to.have.length(channels * k);
      expect(r.assignment).to.have.length(w.length);
      for (let c = 0; c < channels; c++) {
        const row = r.centroids.subarray(c * k, c * k + k);
        for (const v of row) expect(v, `channel ${c}`).to.be.at.least(100 * c).and.below(100 * c + 1);
        expect(new Set(row).size).to.equal(k);
      }
      for (const a of r.assignment) expect(a).to.be.at.least(0).and.below(k);
      const v = perChannelClusteredValues(r.centroids, r.assignment, shape, axes);
      const { inner } = channelGeometry(shape, axes);
      for (let i = 0; i < w.length; i++) {
        const c = Math.floor(i / inner) % channels;
        expect(Math.floor(v[i] / 100)).to.equal(c); // each weight took a centroid of its own channel
        expect(Math.abs(v[i] - w[i])).to.be.below(1);
      }
    });
  }

  it('each channel equals clusterWeights on that channel with random.child(c)', () => {
    const shape = [3, 3, 2, 5];
    const w = normalWeights(90, 2);
    const rng = new SeededRandom(7);
    const r = clusterPerChannel(w, shape, 3, { random: rng, refineIterations: 3 });
    for (let c = 0; c < 5; c++) {
      const slice = Float32Array.from({ length: 18 }, (_, t) => w[t * 5 + c]);
      const single = clusterWeights(slice, 3, { random: rng.child(c), refineIterations: 3 });
      expect(Array.from(r.centroids.subarray(c * 3, c * 3 + 3))).to.deep.equal(Array.from(single.centroids));
      expect(Array.from({ length: 18 }, (_, t) => r.assignment[t * 5 + c])).to.deep.equal(Array.from(single.assignment));
    }
  });

  it('with preserveSparsity every channel has exactly one zero centroid holding its zeros', () => {
    const shape = [3, 3, 4, 6];
    const w = normalWeights(216, 3);
    for (let i = 0; i < w.length; i += 4) w[i] = 0; // channels 0, 2, 4: half zeros; 1, 3, 5: none
    for (const method of ['kmeans++', 'linear', 'density', 'random'] as const) {
      const r = clusterPerChannel(w, shape, 5, { method, preserveSparsity: true, random: new SeededRandom(3), refineIterations: 10 });
      for (let c = 0; c < 6; c++) {
        const row = Array.from(r.centroids.subarray(c * 5, c * 5 + 5));
        const zeros = row.flatMap((v, j) => (v === 0 ? [j] : []));
        expect(zeros, `${method} channel ${c}`).to.have.length(1);
        for (let i = c; i < w.length; i += 6) if (w[i] === 0) expect(r.assignment[i]).to.equal(zeros[0]);
      }
      const v = perChannelClusteredValues(r.centroids, r.assignment, shape);
      for (let i = 0; i < w.length; i++) if (w[i] === 0) expect(v[i]).to.equal(0);
      for (let c = 0; c < 6; c++) {
        expect(distinct(Array.from({ length: 36 }, (_, t) => v[t * 6 + c])).length).to.be.at.most(5);
      }
    }
  });

  it('is reproducible per seed', () => {
    const w = normalWeights(288, 4);
    const a = clusterPerChannel(w, [3, 3, 4, 8], 4, { random: new SeededRandom(1) });
    const b = clusterPerChannel(w, [3, 3, 4, 8], 4, { random: new SeededRandom(1) });
    const c = clusterPerChannel(w, [3, 3, 4, 8], 4, { random: new SeededRandom(2) });
    expect(Array.from(a.centroids)).to.deep.equal(Array.from(b.centroids));
    expect(Array.from(a.centroids)).to.not.deep.equal(Array.from(c.centroids));
  });

  it('reports a channel that is entirely zero under preserveSparsity', () => {
    const w = normalWeights(216, 3);
    for (let i = 0; i < w.length; i += 3) w[i] = 0; // channels 0 and 3 are all zeros
    expect(() => clusterPerChannel(w, [3, 3, 4, 6], 5, { preserveSparsity: true, random: new SeededRandom(3) })).to.throw(
      RangeError,
      /needs 4 distinct non-zero values besides the pinned zero centroid, but there are only 0 in weights \(channel 0 of 6\); use k <= 1/,
    );
  });

  it('names the channel, the shape and the value in errors', () => {
    const w = normalWeights(72, 5);
    expect(() => clusterPerChannel(w, [3, 3, 4, 2], 40, { random: new SeededRandom(0) })).to.throw(
      RangeError,
      /k \(number of clusters\) = 40 exceeds the 36 weights per channel of shape \[3,3,4,2\] \(2 channels\)/,
    );
    expect(() => clusterPerChannel(w, [3, 3, 4, 3], 4, { random: new SeededRandom(0) })).to.throw(
      RangeError,
      /weights has 72 values but shape \[3,3,4,3\] has 108/,
    );
    const dup = Float32Array.from(w);
    for (let i = 1; i < dup.length; i += 2) dup[i] = 0.5; // channel 1 has a single distinct value
    expect(() => clusterPerChannel(dup, [3, 3, 4, 2], 2, { random: new SeededRandom(0) })).to.throw(
      RangeError,
      /distinct values \(1\) in weights \(channel 1 of 2\); use k <= 1/,
    );
    const bad = Float32Array.from(w);
    bad[41] = NaN;
    expect(() => clusterPerChannel(bad, [3, 3, 4, 2], 2, { random: new SeededRandom(0) })).to.throw(RangeError, /weights\[41\] is NaN/);
    expect(() => clusterPerChannel(w, [3, 3, 4, 2], 0)).to.throw(RangeError, /k \(number of clusters\) must be an integer >= 1, got 0/);
    expect(() => clusterPerChannel(w, [3, 3, 4, 2], 2)).to.throw(TypeError, /options.random is required/);
  });
});

describe('perChannelClusteredValues', () => {
  it('rejects mismatched inputs', () => {
    expect(() => perChannelClusteredValues(new Float32Array(4), new Int32Array(5), [2, 2])).to.throw(RangeError, /assignment has 5 entries/);
    expect(() => perChannelClusteredValues(new Float32Array(3), new Int32Array(4), [2, 2])).to.throw(RangeError, /not a positive multiple of 2 channels/);
    expect(() => perChannelClusteredValues(new Float32Array(4), Int32Array.from([0, 0, 2, 0]), [2, 2])).to.throw(
      RangeError,
      /assignment\[2\] = 2 is not a valid index into 2 centroids per channel/,
    );
  });
});
