import { expect } from 'chai';
import { ConstantSparsitySchedule, type ConstantSparsityOptions } from '../../../plugins/src/pruning/ConstantSparsitySchedule';
import { thrown } from './thrown';

function pruningSteps(schedule: ConstantSparsitySchedule, upTo: number): number[] {
  const steps: number[] = [];
  for (let s = 1; s <= upTo; s++) if (schedule.at(s).shouldPrune) steps.push(s);
  return steps;
}

describe('pruning/ConstantSparsitySchedule', () => {
  it('defaults to begin 0, end -1 (forever), frequency 100', () => {
    const s = new ConstantSparsitySchedule({ targetSparsity: 0.5 });
    expect(s.getConfig()).to.deep.equal({
      className: 'ConstantSparsitySchedule',
      config: { targetSparsity: 0.5, beginStep: 0, endStep: -1, frequency: 100 },
    });
    expect(pruningSteps(s, 450)).to.deep.equal([100, 200, 300, 400]);
    expect(s.at(100_000).shouldPrune).to.equal(true);
  });

  it('prunes only in [begin, end] every frequency steps (TFMOT testPrunesOnlyInBeginEndStepRange / frequency)', () => {
    const s = new ConstantSparsitySchedule({ targetSparsity: 0.5, beginStep: 100, endStep: 200, frequency: 10 });
    expect(pruningSteps(s, 300)).to.deep.equal([100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]);
  });

  it('returns the target sparsity at every step, as float32', () => {
    const s = new ConstantSparsitySchedule({ targetSparsity: 0.3, beginStep: 10, endStep: 20, frequency: 1 });
    for (const step of [1, 10, 15, 20, 50]) expect(s.at(step).sparsity).to.equal(Math.fround(0.3));
    expect(Math.abs(s.at(15).sparsity - 0.3)).to.be.below(1e-7);
  });

  describe('validation errors name the schedule, field, expectation and received value', () => {
    const cases: Array<[string, Partial<ConstantSparsityOptions> & Record<string, unknown>, RegExp]> = [
      ['targetSparsity = 1', { targetSparsity: 1 }, /^ConstantSparsitySchedule: targetSparsity must be a number in \[0, 1\), received 1$/],
      ['targetSparsity < 0', { targetSparsity: -0.2 }, /^ConstantSparsitySchedule: targetSparsity must be a number in \[0, 1\), received -0\.2$/],
      ['targetSparsity missing', {}, /^ConstantSparsitySchedule: targetSparsity must be a number in \[0, 1\), received undefined$/],
      ['beginStep < 0', { targetSparsity: 0.5, beginStep: -1 }, /^ConstantSparsitySchedule: beginStep must be >= 0, received -1$/],
      ['endStep < beginStep', { targetSparsity: 0.5, beginStep: 10, endStep: 5 }, /^ConstantSparsitySchedule: endStep must be -1 \(prune forever\) or a step >= beginStep \(10\), received 5$/],
      ['frequency 0', { targetSparsity: 0.5, frequency: 0 }, /^ConstantSparsitySchedule: frequency must be > 0 steps, received 0$/],
      ['frequency "0ep"', { targetSparsity: 0.5, frequency: '0ep' }, /^ConstantSparsitySchedule: frequency must be > 0, received "0ep"$/],
      ['beginStep malformed', { targetSparsity: 0.5, beginStep: '2 epochs' }, /^ConstantSparsitySchedule: beginStep must be .*received "2 epochs"$/],
      ['endStep < -1 beside an epoch begin', { targetSparsity: 0.5, beginStep: '1ep', endStep: -5 }, /^ConstantSparsitySchedule: endStep must be -1 \(prune forever\) or a step >= beginStep, received -5$/],
      ['endStep < beginStep beside an epoch frequency', { targetSparsity: 0.5, beginStep: 10, endStep: '5ba', frequency: '1ep' }, /^ConstantSparsitySchedule: endStep must be -1 \(prune forever\) or a step >= beginStep \(10\), received "5ba"$/],
      ['beginStep < 0 beside an epoch end', { targetSparsity: 0.5, beginStep: -5, endStep: '1ep' }, /^ConstantSparsitySchedule: beginStep must be >= 0, received -5$/],
    ];
    for (const [name, options, message] of cases) {
      it(name, () => {
        const error = thrown(() => new ConstantSparsitySchedule(options as ConstantSparsityOptions));
        expect(error.message).to.match(message);
      });
    }

    it('rejects a non-object', () => {
      expect(() => new ConstantSparsitySchedule(null as unknown as ConstantSparsityOptions)).to.throw(
        TypeError,
        'ConstantSparsitySchedule: options must be an object, received null',
      );
    });

    it('rejects a bad step passed to at()', () => {
      const s = new ConstantSparsitySchedule({ targetSparsity: 0.5 });
      expect(() => s.at(-1)).to.throw(RangeError, /^ConstantSparsitySchedule\.at: step must be a non-negative integer/);
    });
  });

  describe('epoch-based options', () => {
    const s = new ConstantSparsitySchedule({ targetSparsity: 0.5, beginStep: '1ep', endStep: '3ep', frequency: '0.5ep' });

    it('keeps the options as given', () => {
      expect(s.beginStep).to.equal('1ep');
      expect(s.getConfig().config).to.deep.equal({ targetSparsity: 0.5, beginStep: '1ep', endStep: '3ep', frequency: '0.5ep' });
    });

    it('refuses to answer before resolve(), naming the epoch option', () => {
      expect(() => s.at(5)).to.throw(/^ConstantSparsitySchedule: beginStep is "1ep" \(in epochs\); call resolve\(stepsPerEpoch\)/);
    });

    it('resolves to a step-based schedule', () => {
      const r = s.resolve(20);
      expect(r).not.to.equal(s);
      expect(r.getConfig().config).to.deep.equal({ targetSparsity: 0.5, beginStep: 20, endStep: 60, frequency: 10 });
      expect(pruningSteps(r, 100)).to.deep.equal([20, 30, 40, 50, 60]);
    });

    it('explains that steps per epoch are needed when unknown', () => {
      expect(() => s.resolve(undefined)).to.throw(/^ConstantSparsitySchedule: beginStep is "1ep" \(in epochs\), but the number of steps per epoch is unknown/);
    });

    it('validates after conversion, saying where a value came from', () => {
      const tiny = new ConstantSparsitySchedule({ targetSparsity: 0.5, frequency: '0.01ep' });
      expect(() => tiny.resolve(10)).to.throw(
        RangeError,
        'ConstantSparsitySchedule: frequency must be > 0 steps, received 0 (from "0.01ep" at 10 steps per epoch)',
      );
      const crossed = new ConstantSparsitySchedule({ targetSparsity: 0.5, beginStep: 500, endStep: '2ep' });
      expect(() => crossed.resolve(100)).to.throw(RangeError, /endStep must be -1 \(prune forever\) or a step >= beginStep \(500\), received 200 \(from "2ep" at 100 steps per epoch\)/);
    });

    it('a step-based schedule resolves to itself, but still checks stepsPerEpoch', () => {
      const stepBased = new ConstantSparsitySchedule({ targetSparsity: 0.5, beginStep: '5ba' });
      expect(stepBased.resolve(undefined)).to.equal(stepBased);
      expect(stepBased.resolve(7)).to.equal(stepBased);
      expect(stepBased.at(5).shouldPrune).to.equal(true);
      expect(() => stepBased.resolve(0)).to.throw(RangeError, 'ConstantSparsitySchedule.resolve: stepsPerEpoch must be a positive integer, received 0');
    });
  });

  describe('fromConfig', () => {
    it('round-trips getConfig through JSON', () => {
      const s = new ConstantSparsitySchedule({ targetSparsity: 0.75, beginStep: 7, endStep: 99, frequency: 4 });
      const back = ConstantSparsitySchedule.fromConfig(JSON.parse(JSON.stringify(s.getConfig().config)));
      expect(back.getConfig()).to.deep.equal(s.getConfig());
      for (let step = 0; step < 120; step++) expect(back.at(step)).to.deep.equal(s.at(step));
    });

    it('rejects unknown keys, listing them and the known ones', () => {
      expect(() => ConstantSparsitySchedule.fromConfig({ targetSparsity: 0.5, target_sparsity: 0.5 })).to.throw(
        TypeError,
        'ConstantSparsitySchedule: unknown config key(s) "target_sparsity"; expected only targetSparsity, beginStep, endStep, frequency',
      );
    });
  });
});
