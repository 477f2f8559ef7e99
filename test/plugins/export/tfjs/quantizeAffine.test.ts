import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { quantizeAffine, type AffineQuantized } from '../../../../plugins/src/export/tfjs/quantizeAffine';
import { fakeQuantWeightsSymmetric } from '../../../../plugins/src/quantization/fakeQuantWeightsSymmetric';
import { rng, uniform } from '../../quantization/helpers';

/** What a stock tfjs loader reads back: tfjs-core's decodeWeights on the manifest entry we would write. */
function stockDecode(q: AffineQuantized): Float32Array {
  const spec = { name: 'w', shape: [q.data.length], dtype: 'float32' as const, quantization: { dtype: q.dtype, min: q.min, scale: q.scale } };
  // JSON round trip, as model.json carries min and scale.
  const json = JSON.parse(JSON.stringify(spec)) as tf.io.WeightsManifestEntry;
  const t = tf.io.decodeWeights(q.data.slice().buffer, [json]).w;
  const out = t.dataSync() as Float32Array;
  t.dispose();
  return out;
}

/** Weights with a given fraction of exact zeros, the rest uniform in [lo, hi) (irregular: no grid). */
function sparseUniform(n: number, lo: number, hi: number, zeros: number, seed: number): Float32Array {
  const r = rng(seed + 1000);
  return uniform(n, lo, hi, seed).map((v) => (r() < zeros ? 0 : v));
}

describe('export/tfjs: quantizeAffine', () => {
  for (const dtype of ['uint8', 'uint16'] as const) {
    it(`${dtype}: zeros survive the stock decoder exactly; other values move by at most half a step`, () => {
      for (const [lo, hi, seed] of [[-0.37, 1.91, 1], [-2.2, 0.05, 2], [-1, 1, 3], [0, 0.8, 4]] as const) {
        const w = sparseUniform(3000, lo, hi, 0.5, seed);
        const q = quantizeAffine(w, dtype);
        expect(q.grid).to.equal('range');
        const back = stockDecode(q);
        w.forEach((v, i) => {
          if (v === 0) expect(back[i], `[${lo}, ${hi}) element ${i}`).to.equal(0);
          // Half a step, plus the float32 rounding of the decoded value.
          else expect(Math.abs(back[i] - v)).to.be.at.most(q.scale / 2 + Math.abs(v) * 2 ** -23);
        });
      }
    });
  }

  it('matches the converter’s nudged min/max grid (its docstring example, made irregular)', () => {
    // write_weights.py documents [0, -0.1, 1.2] → [20, 0, 255], min ≈ -0.10196078817,
    // scale ≈ 0.00509803940852. π/10 keeps the values off any uniform grid, so the converter's
    // path is taken; it lies inside the range, so min and scale do not change.
    const q = quantizeAffine(Float32Array.from([0, -0.1, 1.2, Math.PI / 10]), 'uint8');
    expect(q.grid).to.equal('range');
    expect(q.min).to.be.closeTo(-0.10196078817, 1e-10);
    expect(q.scale).to.be.closeTo(0.00509803940852, 1e-13);
    expect(Array.from(q.data)).to.deep.equal([20, 0, 255, Math.round((Math.fround(Math.PI / 10) - q.min) / q.scale)]);
    // The converter's formulas, from quantization.py, in float64.
    const min = Math.fround(-0.1);
    const scale = (Math.fround(1.2) - min) / 255;
    expect(q.scale).to.equal(scale);
    expect(q.min).to.equal(-Math.round(-min / scale) * scale);
  });

  it('does not nudge when 0 is outside the range, and stores a constant weight as level 0 with scale 1', () => {
    const positive = uniform(500, 0.25, 0.75, 9);
    const q = quantizeAffine(positive, 'uint8');
    expect(q.min).to.equal(Math.min(...positive));
    expect(q.scale).to.equal((Math.max(...positive) - q.min) / 255);
    const c = quantizeAffine(new Float32Array(7).fill(-0.3), 'uint8');
    expect([c.min, c.scale, c.grid]).to.deep.equal([Math.fround(-0.3), 1, 'exact']);
    expect(Array.from(c.data)).to.deep.equal([0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(stockDecode(c))).to.deep.equal(Array.from(new Float32Array(7).fill(-0.3)));
  });

  it('keeps a per-tensor int8 grid (quantize plugin numerics, with pruned zeros) bit for bit, in uint8 and uint16', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const raw = sparseUniform(64 * 32, -0.9 * seed, 0.6 * seed, 0.4, seed);
      const w = tf.tensor2d(raw, [64, 32]);
      const onGrid = fakeQuantWeightsSymmetric(w, { numBits: seed % 2 === 0 ? 8 : 4 });
      const values = onGrid.dataSync() as Float32Array;
      tf.dispose([w, onGrid]);
      for (const dtype of ['uint8', 'uint16'] as const) {
        const q = quantizeAffine(values, dtype);
        expect(q.grid, `seed ${seed} ${dtype}`).to.equal('exact');
        const back = stockDecode(q);
        values.forEach((v, i) => expect(back[i], `seed ${seed} ${dtype} element ${i}`).to.equal(v));
      }
    }
  });

  it('whenever it reports an exact grid, every value decodes bit for bit; grids through 0 are always found', () => {
    const r = rng(77);
    let throughZero = 0;
    for (let trial = 0; trial < 200; trial++) {
      const step = Math.fround(10 ** (-4 + 4 * r()));
      const through = r() < 0.5;
      const offset = through ? 0 : Math.fround(step * (0.1 + 0.8 * r()));
      const levels = 2 + Math.floor(r() * 200);
      const start = Math.floor((r() - 0.7) * 300);
      const values = Float32Array.from({ length: 400 }, () => Math.fround((start + Math.floor(r() * levels)) * step + offset));
      const q = quantizeAffine(values, 'uint8');
      const back = stockDecode(q);
      if (through) {
        throughZero++;
        expect(q.grid, `trial ${trial}: step ${step}, levels ${start}..${start + levels - 1}`).to.equal('exact');
      }
      if (q.grid === 'exact') values.forEach((v, i) => expect(back[i]).to.equal(v));
      else values.forEach((v, i) => expect(Math.abs(back[i] - v)).to.be.at.most(q.scale / 2 + Math.abs(v) * 2 ** -23));
    }
    expect(throughZero).to.be.greaterThan(50);
  });

  it('clustered (irregular) values keep their count and their zero, on the converter’s grid', () => {
    const centroids = [-0.71, -0.2313, 0, 0.0917, 0.3333, 0.58, 1.234, 1.5];
    const r = rng(5);
    const values = Float32Array.from({ length: 2000 }, () => centroids[Math.floor(r() * centroids.length)]);
    const q = quantizeAffine(values, 'uint8');
    expect(q.grid).to.equal('range');
    const back = stockDecode(q);
    expect(new Set(back).size).to.equal(centroids.length);
    values.forEach((v, i) => v === 0 && expect(back[i]).to.equal(0));
  });
});
