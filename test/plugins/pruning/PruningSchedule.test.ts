import { expect } from 'chai';
import {
  checkScheduleStep,
  shouldPruneInStep,
  validateScheduleSteps,
  validateSparsity,
} from '../../../plugins/src/pruning/PruningSchedule';
import { thrown } from './thrown';

function stepsWhere(predicate: (step: number) => boolean, upTo: number): number[] {
  const steps: number[] = [];
  for (let s = 0; s <= upTo; s++) if (predicate(s)) steps.push(s);
  return steps;
}

describe('pruning/PruningSchedule helpers', () => {
  describe('shouldPruneInStep (TFMOT _should_prune_in_step)', () => {
    it('prunes only in [begin, end] on multiples of frequency counted from begin', () => {
      expect(stepsWhere((s) => shouldPruneInStep(s, 3, 13, 5), 30)).to.deep.equal([3, 8, 13]);
      expect(stepsWhere((s) => shouldPruneInStep(s, 3, 12, 5), 30)).to.deep.equal([3, 8]);
    });

    it('prunes forever when end < 0', () => {
      expect(stepsWhere((s) => shouldPruneInStep(s, 0, -1, 100), 1000)).to.deep.equal([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    });

    it('with frequency 1 prunes every step in range', () => {
      expect(stepsWhere((s) => shouldPruneInStep(s, 2, 5, 1), 10)).to.deep.equal([2, 3, 4, 5]);
    });

    it('with begin 0, frequency 100 the first pruning step of training (steps from 1) is 100', () => {
      expect(stepsWhere((s) => shouldPruneInStep(s, 0, -1, 100), 250).filter((s) => s >= 1)).to.deep.equal([100, 200]);
    });
  });

  describe('validateScheduleSteps (TFMOT _validate_step)', () => {
    const ok = { beginStep: 0, endStep: 100, frequency: 10 };

    it('accepts valid steps, including end == begin and end == -1 when allowed', () => {
      expect(() => validateScheduleSteps('S', ok, true)).not.to.throw();
      expect(() => validateScheduleSteps('S', { beginStep: 5, endStep: 5, frequency: 1 }, false)).not.to.throw();
      expect(() => validateScheduleSteps('S', { beginStep: 5, endStep: -1, frequency: 1 }, true)).not.to.throw();
    });

    it('rejects begin < 0', () => {
      expect(() => validateScheduleSteps('MySchedule', { ...ok, beginStep: -3 }, true)).to.throw(
        RangeError,
        'MySchedule: beginStep must be >= 0, received -3',
      );
    });

    it('rejects end < begin, saying -1 is allowed only where it is', () => {
      expect(() => validateScheduleSteps('MySchedule', { beginStep: 50, endStep: 20, frequency: 1 }, true)).to.throw(
        RangeError,
        'MySchedule: endStep must be -1 (prune forever) or a step >= beginStep (50), received 20',
      );
      expect(() => validateScheduleSteps('MySchedule', { beginStep: 50, endStep: 20, frequency: 1 }, false)).to.throw(
        RangeError,
        'MySchedule: endStep must be a step >= beginStep (50), received 20',
      );
      expect(() => validateScheduleSteps('MySchedule', { beginStep: 0, endStep: -2, frequency: 1 }, true)).to.throw(
        RangeError,
        /endStep must be -1 \(prune forever\) or a step >= beginStep \(0\), received -2/,
      );
    });

    it('rejects end == -1 when the schedule needs an end', () => {
      const error = thrown(() => validateScheduleSteps('MySchedule', { beginStep: 0, endStep: -1, frequency: 1 }, false));
      expect(error).to.be.instanceOf(RangeError);
      expect(error.message).to.match(/^MySchedule: endStep cannot be -1 \(prune forever\)/);
      expect(error.message).to.include('expected a step >= beginStep (0), received -1');
    });

    it('rejects frequency <= 0', () => {
      expect(() => validateScheduleSteps('MySchedule', { ...ok, frequency: 0 }, true)).to.throw(
        RangeError,
        'MySchedule: frequency must be > 0 steps, received 0',
      );
    });

    it('rejects non-integers and appends the origin of converted values', () => {
      expect(() => validateScheduleSteps('MySchedule', { ...ok, frequency: 2.5 }, true)).to.throw(
        RangeError,
        'MySchedule: frequency must be an integer number of steps, received 2.5',
      );
      expect(() =>
        validateScheduleSteps('MySchedule', { ...ok, frequency: 0 }, true, { frequency: 'from "0.01ep" at 10 steps per epoch' }),
      ).to.throw(RangeError, 'MySchedule: frequency must be > 0 steps, received 0 (from "0.01ep" at 10 steps per epoch)');
    });
  });

  describe('validateSparsity (TFMOT _validate_sparsity)', () => {
    it('accepts [0, 1) and returns the value', () => {
      expect(validateSparsity('S', 'targetSparsity', 0)).to.equal(0);
      expect(validateSparsity('S', 'targetSparsity', 0.999)).to.equal(0.999);
    });

    for (const bad of [1, -0.1, 1.5, NaN, '0.5', undefined, null]) {
      it(`rejects ${String(bad)} naming schedule, field, range and value`, () => {
        const error = thrown(() => validateSparsity('MySchedule', 'finalSparsity', bad));
        expect(error).to.be.instanceOf(RangeError);
        const received = typeof bad === 'string' ? JSON.stringify(bad) : String(bad);
        expect(error.message).to.equal(`MySchedule: finalSparsity must be a number in [0, 1), received ${received}`);
      });
    }
  });

  describe('checkScheduleStep', () => {
    it('accepts non-negative integers and rejects the rest', () => {
      expect(() => checkScheduleStep('S', 0)).not.to.throw();
      expect(() => checkScheduleStep('S', 12345)).not.to.throw();
      expect(() => checkScheduleStep('MySchedule', -1)).to.throw(RangeError, 'MySchedule.at: step must be a non-negative integer (the 1-based training step), received -1');
      expect(() => checkScheduleStep('MySchedule', 1.5)).to.throw(RangeError, /received 1\.5/);
      expect(() => checkScheduleStep('MySchedule', '3')).to.throw(RangeError, /received "3"/);
    });
  });
});
