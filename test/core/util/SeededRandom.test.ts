import { expect } from 'chai';
import { SeededRandom } from '../../../core/src/util/SeededRandom';

function draws(r: SeededRandom, n: number): number[] {
  return Array.from({ length: n }, () => r.nextUint32());
}

describe('SeededRandom', () => {
  it('is reproducible: same seed, same stream', () => {
    expect(draws(new SeededRandom(42), 50)).to.deep.equal(draws(new SeededRandom(42), 50));
  });

  it('matches the reference mulberry32 stream', () => {
    // Reference values of mulberry32(seed = 1), computed independently of this class.
    let a = 1;
    const ref = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (t ^ (t >>> 14)) >>> 0;
    };
    const expected = Array.from({ length: 10 }, ref);
    expect(draws(new SeededRandom(1), 10)).to.deep.equal(expected);
  });

  it('gives different streams for different seeds', () => {
    const a = draws(new SeededRandom(1), 20);
    const b = draws(new SeededRandom(2), 20);
    expect(a).to.not.deep.equal(b);
  });

  it('float() is in [0, 1) and roughly uniform', () => {
    const r = new SeededRandom(7);
    const bins = new Array(10).fill(0);
    const n = 100000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = r.float();
      expect(x).to.be.at.least(0).and.below(1);
      bins[Math.floor(x * 10)]++;
      sum += x;
    }
    expect(sum / n).to.be.closeTo(0.5, 0.01);
    // chi-square, 9 degrees of freedom; 27.9 is the p = 0.001 critical value.
    const e = n / 10;
    const chi = bins.reduce((s, o) => s + ((o - e) * (o - e)) / e, 0);
    expect(chi).to.be.below(27.9);
  });

  it('int(min, max) covers exactly [min, max) uniformly', () => {
    const r = new SeededRandom(3);
    const counts = new Map<number, number>();
    const n = 70000;
    for (let i = 0; i < n; i++) {
      const v = r.int(-3, 4);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).to.deep.equal([-3, -2, -1, 0, 1, 2, 3]);
    const e = n / 7;
    const chi = [...counts.values()].reduce((s, o) => s + ((o - e) * (o - e)) / e, 0);
    expect(chi).to.be.below(22.5); // df = 6, p = 0.001
  });

  it('int() handles a single-value range and the full 2^32 range', () => {
    const r = new SeededRandom(5);
    expect(r.int(9, 10)).to.equal(9);
    const v = r.int(0, 2 ** 32);
    expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).to.equal(true);
  });

  it('uniform(lo, hi) stays in [lo, hi)', () => {
    const r = new SeededRandom(11);
    for (let i = 0; i < 1000; i++) {
      const x = r.uniform(-2, 3);
      expect(x).to.be.at.least(-2).and.below(3);
    }
    expect(r.uniform(4, 4)).to.equal(4);
  });

  it('normal() has mean and std close to the requested ones', () => {
    const r = new SeededRandom(13);
    const n = 50000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal(1, 2);
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    expect(mean).to.be.closeTo(1, 0.05);
    expect(Math.sqrt(s2 / n - mean * mean)).to.be.closeTo(2, 0.05);
  });

  it('child streams depend on seed and key only, not on draws made before', () => {
    const a = new SeededRandom(99);
    const b = new SeededRandom(99);
    draws(b, 17); // advancing the parent must not change its children
    expect(draws(a.child('conv1/kernel'), 10)).to.deep.equal(draws(b.child('conv1/kernel'), 10));
    expect(draws(a.child(3), 10)).to.deep.equal(draws(b.child(3), 10));
  });

  it('child streams differ by key, from the parent, and between parents', () => {
    const r = new SeededRandom(99);
    const parent = draws(new SeededRandom(99), 10);
    const c0 = draws(r.child(0), 10);
    const c1 = draws(r.child(1), 10);
    const cs = draws(r.child('0'), 10);
    expect(c0).to.not.deep.equal(c1);
    expect(c0).to.not.deep.equal(parent);
    expect(c0).to.not.deep.equal(cs);
    expect(draws(new SeededRandom(100).child(0), 10)).to.not.deep.equal(c0);
  });

  it('shuffle() returns a permutation and is seed-determined', () => {
    const a = new SeededRandom(1).shuffle(Array.from({ length: 50 }, (_, i) => i));
    const b = new SeededRandom(1).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect(a).to.deep.equal(b);
    expect([...a].sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    expect(a).to.not.deep.equal(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects bad arguments with errors naming them', () => {
    expect(() => new SeededRandom(NaN)).to.throw(RangeError, /seed must be a finite number, got NaN/);
    expect(() => new SeededRandom(Infinity)).to.throw(RangeError, /seed.*Infinity/);
    const r = new SeededRandom(0);
    expect(() => r.int(5, 5)).to.throw(RangeError, /max > min, got min=5, max=5/);
    expect(() => r.int(0.5, 3)).to.throw(RangeError, /safe integers, got min=0.5/);
    expect(() => r.int(0, 2 ** 32 + 1)).to.throw(RangeError, /<= 2\^32/);
    expect(() => r.uniform(3, 2)).to.throw(RangeError, /lo=3, hi=2/);
    expect(() => r.child(-1)).to.throw(RangeError, /non-negative safe integer, got -1/);
  });
});
