import { expect } from 'chai';
import { deflateSync } from 'node:zlib';
import { formatCompression, sizeReport } from '../../../plugins/src/export/sizeReport';
import { weightStats } from '../../../plugins/src/export/weightStats';

describe('export: size report and weight stats', () => {
  it('measures raw and zlib-6 deflate sizes and formats them as the seed does', () => {
    const bytes = new Uint8Array(10000).map((_, i) => (i % 7 === 0 ? i & 255 : 0));
    const r = sizeReport(bytes);
    expect(r.raw).to.equal(10000);
    expect(r.deflated).to.equal(deflateSync(bytes, { level: 6 }).byteLength);
    expect(r.reduction).to.be.closeTo(1 - r.deflated / 10000, 1e-12);
    expect(formatCompression({ raw: 512032, deflated: 303997, reduction: 1 - 303997 / 512032 })).to.equal('512,032 → 303,997 (40.63%)');
    expect(formatCompression({ raw: 528128, deflated: 434879, reduction: 1 - 434879 / 528128 })).to.equal('528,128 → 434,879 (17.66%)');
  });

  it('counts sparsity and distinct values, per tensor and per channel', () => {
    const s = weightStats([0, 1, 2, 0, 1, 3, -0, 1], 2);
    expect(s.sparsity).to.equal(3 / 8);
    expect(s.distinct).to.equal(4);
    // channel 0: 0, 2, 1, -0 → {0, 2, 1}; channel 1: 1, 0, 3, 1 → {1, 0, 3}
    expect(s.distinctPerChannel).to.equal(3);
    expect(weightStats(new Int8Array([0, 0, 5]))).to.deep.equal({ size: 3, sparsity: 2 / 3, distinct: 2 });
  });
});
