import { expect } from 'chai';
import { PolynomialDecaySchedule, type PolynomialDecayOptions } from '../../../plugins/src/pruning/PolynomialDecaySchedule';
import { thrown } from './thrown';

describe('pruning/PolynomialDecaySchedule', () => {
  it('matches the TFMOT goldens: (0.2, 0.8, begin 100, end 110, power 3, freq 2)', () => {
    const s = new PolynomialDecaySchedule({ initialSparsity: 0.2, finalSparsity: 0.8, beginStep: 100, endStep: 110, power: 3, frequency: 2 });
    const golden: Array<[number, number]> = [
      [100, 0.2],
      [102, 0.4928],
      [105, 0.725],
      [110, 0.8],
    ];
    for (const [step, sparsity] of golden) {
      expect(Math.abs(s.at(step).sparsity - sparsity), `step ${step}`).to.be.below(1e-6);
    }
  });

  it('computes in float32 like TF: every result is a float32 value', () => {
    const s = new PolynomialDecaySchedule({ initialSparsity: 0.1, finalSparsity: 0.9, beginStep: 0, endStep: 7 });
    for (let step = 0; step <= 10; step++) {
      const v = s.at(step).sparsity;
      expect(Math.fround(v)).to.equal(v);
    }
  });

  it('reaches 0.2 after 1 step and 0.6 after 4 (TFMOT testPruneStopAndRestart, begin 1, end 4, freq 1)', () => {
    const s = new PolynomialDecaySchedule({ initialSparsity: 0.2, finalSparsity: 0.6, beginStep: 1, endStep: 4, power: 3, frequency: 1 });
    expect(s.at(1).shouldPrune).to.equal(true);
    expect(Math.abs(s.at(1).sparsity - 0.2)).to.be.below(1e-6);
    expect(Math.abs(s.at(4).sparsity - 0.6)).to.be.below(1e-6);
    expect(s.at(4).shouldPrune).to.equal(true);
  });

  it('clips p to [0, 1]: initial before begin, final after end, and stops pruning after end', () => {
    const s = new PolynomialDecaySchedule({ initialSparsity: 0.2, finalSparsity: 0.8, beginStep: 100, endStep: 110, frequency: 2 });
    expect(s.at(50).shouldPrune).to.equal(false);
    expect(Math.abs(s.at(50).sparsity - 0.2)).to.be.below(1e-6);
    expect(s.at(500).shouldPrune).to.equal(false);
    expect(Math.abs(s.at(500).sparsity - 0.8)).to.be.below(1e-6);
    const steps: number[] = [];
    for (let step = 1; step <= 200; step++) if (s.at(step).shouldPrune) steps.push(step);
    expect(steps).to.deep.equal([100, 102, 104, 106, 108, 110]);
  });

  it('increases monotonically from initial to final', () => {
    const s = new PolynomialDecaySchedule({ initialSparsity: 0, finalSparsity: 0.9, beginStep: 0, endStep: 1000 });
    let previous = -1;
    for (let step = 0; step <= 1000; step += 10) {
      const v = s.at(step).sparsity;
      expect(v).to.be.at.least(previous);
      previous = v;
    }
    expect(s.at(0).sparsity).to.equal(0);
  });

  it('also decays downwards when initial > final', () => {
    const s = new PolynomialDecaySchedule({ initialSparsity: 0.8, finalSparsity: 0.2, beginStep: 0, endStep: 10, power: 1 });
    expect(Math.abs(s.at(5).sparsity - 0.5)).to.be.below(1e-6);
  });

  it('porting note: end == begin jumps to the final sparsity instead of NaN', () => {
    const s = new PolynomialDecaySchedule({ initialSparsity: 0.1, finalSparsity: 0.7, beginStep: 50, endStep: 50, frequency: 1 });
    expect(Math.abs(s.at(49).sparsity - 0.1)).to.be.below(1e-6);
    expect(s.at(50).shouldPrune).to.equal(true);
    expect(Math.abs(s.at(50).sparsity - 0.7)).to.be.below(1e-6);
    expect(s.at(51).shouldPrune).to.equal(false);
  });

  describe('validation errors name the schedule, field, expectation and received value', () => {
    const base: PolynomialDecayOptions = { initialSparsity: 0.2, finalSparsity: 0.8, beginStep: 0, endStep: 100 };
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['endStep -1', { endStep: -1 }, /^PolynomialDecaySchedule: endStep cannot be -1 \(prune forever\).*expected a step >= beginStep \(0\), received -1$/],
      ['endStep < beginStep', { beginStep: 10, endStep: 5 }, /^PolynomialDecaySchedule: endStep must be a step >= beginStep \(10\), received 5$/],
      ['endStep missing', { endStep: undefined }, /^PolynomialDecaySchedule: endStep must be .*received undefined$/],
      ['beginStep < 0', { beginStep: -2 }, /^PolynomialDecaySchedule: beginStep must be >= 0, received -2$/],
      ['frequency < 0', { frequency: -5 }, /^PolynomialDecaySchedule: frequency must be > 0 steps, received -5$/],
      ['initialSparsity 1', { initialSparsity: 1 }, /^PolynomialDecaySchedule: initialSparsity must be a number in \[0, 1\), received 1$/],
      ['finalSparsity NaN', { finalSparsity: NaN }, /^PolynomialDecaySchedule: finalSparsity must be a number in \[0, 1\), received NaN$/],
      ['power 0', { power: 0 }, /^PolynomialDecaySchedule: power must be a finite number > 0, received 0$/],
      ['power string', { power: '3' }, /^PolynomialDecaySchedule: power must be a finite number > 0, received "3"$/],
      ['endStep -1 beside an epoch begin', { beginStep: '1ep', endStep: -1 }, /^PolynomialDecaySchedule: endStep must be a step >= beginStep, received -1$/],
    ];
    for (const [name, patch, message] of cases) {
      it(name, () => {
        const error = thrown(() => new PolynomialDecaySchedule({ ...base, ...patch } as PolynomialDecayOptions));
        expect(error).to.be.instanceOf(Error);
        expect(error.message).to.match(message);
      });
    }
  });

  describe('epoch-based options', () => {
    it('resolves "ep" options with steps per epoch and keeps the decay', () => {
      const s = new PolynomialDecaySchedule({ initialSparsity: 0.2, finalSparsity: 0.8, beginStep: '1ep', endStep: '1.1ep', power: 3, frequency: '2ba' });
      expect(() => s.at(102)).to.throw(/PolynomialDecaySchedule: beginStep is "1ep" \(in epochs\)/);
      const r = s.resolve(100);
      expect(r.getConfig().config).to.deep.equal({ initialSparsity: 0.2, finalSparsity: 0.8, beginStep: 100, endStep: 110, power: 3, frequency: 2 });
      expect(Math.abs(r.at(102).sparsity - 0.4928)).to.be.below(1e-6);
      expect(r.at(102).shouldPrune).to.equal(true);
    });

    it('reports an unknown steps-per-epoch count for the epoch field', () => {
      const s = new PolynomialDecaySchedule({ initialSparsity: 0, finalSparsity: 0.5, beginStep: 0, endStep: '4ep' });
      expect(() => s.resolve(undefined)).to.throw(/^PolynomialDecaySchedule: endStep is "4ep" \(in epochs\), but the number of steps per epoch is unknown/);
    });
  });

  it('round-trips getConfig through JSON via fromConfig', () => {
    const s = new PolynomialDecaySchedule({ initialSparsity: 0.1, finalSparsity: 0.9, beginStep: '0.5ep', endStep: '3ep', power: 2, frequency: 25 });
    const back = PolynomialDecaySchedule.fromConfig(JSON.parse(JSON.stringify(s.getConfig().config)));
    expect(back.getConfig()).to.deep.equal(s.getConfig());
    const a = s.resolve(64);
    const b = back.resolve(64);
    for (let step = 0; step <= 250; step++) expect(b.at(step)).to.deep.equal(a.at(step));
  });

  it('fromConfig rejects unknown keys', () => {
    expect(() => PolynomialDecaySchedule.fromConfig({ initialSparsity: 0.1, finalSparsity: 0.5, beginStep: 0, endStep: 9, exponent: 3 })).to.throw(
      TypeError,
      /^PolynomialDecaySchedule: unknown config key\(s\) "exponent"; expected only initialSparsity, finalSparsity, beginStep, endStep, power, frequency$/,
    );
  });
});
