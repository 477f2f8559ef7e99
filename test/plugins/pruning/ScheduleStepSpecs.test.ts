import { expect } from 'chai';
import { ScheduleStepSpecs } from '../../../plugins/src/pruning/ScheduleStepSpecs';

const specs = (beginStep: number | string, endStep: number | string, frequency: number | string, allowForever = false) =>
  new ScheduleStepSpecs('TestSchedule', { beginStep, endStep, frequency }, allowForever);

describe('ScheduleStepSpecs', () => {
  it('holds options given in steps as steps at once, and resolves to them whatever the epoch length', () => {
    const s = specs(10, 100, 5);
    expect(s.steps).to.deep.equal({ beginStep: 10, endStep: 100, frequency: 5 });
    expect(s.resolve(7)).to.deep.equal({ beginStep: 10, endStep: 100, frequency: 5 });
    expect(s.requireSteps(3)).to.deep.equal({ beginStep: 10, endStep: 100, frequency: 5 });
    expect(s.given).to.deep.equal({ beginStep: 10, endStep: 100, frequency: 5 });
  });

  it('converts epoch options with the steps per epoch, and refuses to answer in steps before that', () => {
    const s = specs(0, '2ep', 10);
    expect(s.steps).to.equal(undefined);
    expect(s.resolve(50)).to.deep.equal({ beginStep: 0, endStep: 100, frequency: 10 });
    expect(s.given.endStep).to.equal('2ep');
    expect(() => s.requireSteps(4)).to.throw('TestSchedule: endStep is "2ep" (in epochs); call resolve(stepsPerEpoch) and ask the resolved schedule about step 4');
    expect(() => s.resolve(undefined)).to.throw(/TestSchedule: endStep/);
    expect(() => s.resolve(0)).to.throw(RangeError, /TestSchedule\.resolve/);
  });

  it('checks what the units allow at construction, naming the schedule and the field', () => {
    expect(() => specs(-1, '1ep', 1)).to.throw(RangeError, 'TestSchedule: beginStep must be >= 0, received -1');
    expect(() => specs('1ep', -1, 1)).to.throw(RangeError, 'TestSchedule: endStep must be a step >= beginStep, received -1');
    expect(() => specs('1ep', -1, 1, true)).not.to.throw();
    expect(() => specs(20, 10, '1ep')).to.throw(RangeError, 'TestSchedule: endStep must be a step >= beginStep (20), received 10');
    expect(() => specs(0, '1ep', 0)).to.throw(RangeError, 'TestSchedule: frequency must be > 0, received 0');
    expect(() => specs(0, 'soon', 1)).to.throw(/TestSchedule: endStep/);
  });

  it('validates the converted steps, saying where an epoch-based value came from', () => {
    // endStep 1 epoch of 10 steps < beginStep 20.
    expect(() => specs(20, '1ep', 1).resolve(10)).to.throw(/TestSchedule: endStep.*from "1ep" at 10 steps per epoch/);
  });
});
