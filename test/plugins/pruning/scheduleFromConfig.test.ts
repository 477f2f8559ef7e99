import { expect } from 'chai';
import { ConstantSparsitySchedule } from '../../../plugins/src/pruning/ConstantSparsitySchedule';
import { PolynomialDecaySchedule } from '../../../plugins/src/pruning/PolynomialDecaySchedule';
import type { PruningSchedule } from '../../../plugins/src/pruning/PruningSchedule';
import { scheduleFromConfig } from '../../../plugins/src/pruning/scheduleFromConfig';

describe('pruning/scheduleFromConfig', () => {
  const schedules: Array<[string, PruningSchedule]> = [
    ['ConstantSparsitySchedule', new ConstantSparsitySchedule({ targetSparsity: 0.6, beginStep: 3, endStep: 40, frequency: 3 })],
    ['ConstantSparsitySchedule (epochs)', new ConstantSparsitySchedule({ targetSparsity: 0.6, beginStep: '1ep', frequency: '0.25ep' })],
    ['PolynomialDecaySchedule', new PolynomialDecaySchedule({ initialSparsity: 0.05, finalSparsity: 0.85, beginStep: 10, endStep: 90, power: 2, frequency: 5 })],
  ];

  for (const [name, schedule] of schedules) {
    it(`rebuilds a ${name} from getConfig() through JSON, with identical decisions`, () => {
      const saved = JSON.stringify(schedule.getConfig());
      const rebuilt = scheduleFromConfig(JSON.parse(saved));
      expect(rebuilt.constructor).to.equal(schedule.constructor);
      expect(rebuilt).not.to.equal(schedule);
      expect(JSON.stringify(rebuilt.getConfig())).to.equal(saved);
      const a = schedule.resolve?.(40) ?? schedule;
      const b = rebuilt.resolve?.(40) ?? rebuilt;
      for (let step = 0; step <= 200; step++) expect(b.at(step), `step ${step}`).to.deep.equal(a.at(step));
    });
  }

  it('rejects unknown class names, listing the known ones', () => {
    expect(() => scheduleFromConfig({ className: 'ConstantSparsity', config: { target_sparsity: 0.5 } })).to.throw(
      TypeError,
      /^scheduleFromConfig: unknown schedule className "ConstantSparsity"; expected one of ConstantSparsitySchedule, PolynomialDecaySchedule/,
    );
    expect(() => scheduleFromConfig({ className: 'toString', config: {} })).to.throw(TypeError, /unknown schedule className "toString"/);
  });

  it('rejects malformed input', () => {
    expect(() => scheduleFromConfig(null)).to.throw(TypeError, 'scheduleFromConfig: expected an object { className, config }, received null');
    expect(() => scheduleFromConfig([])).to.throw(TypeError, /expected an object \{ className, config \}, received \[\]/);
    expect(() => scheduleFromConfig({ config: {} })).to.throw(TypeError, 'scheduleFromConfig: className must be a string, received undefined');
    expect(() => scheduleFromConfig({ className: 'PolynomialDecaySchedule' })).to.throw(TypeError, 'PolynomialDecaySchedule: config must be an object, received undefined');
    expect(() => scheduleFromConfig({ className: 'ConstantSparsitySchedule', config: { targetSparsity: 0.5 }, version: 2 })).to.throw(
      TypeError,
      'scheduleFromConfig: unknown key(s) "version" next to className and config',
    );
  });

  it('passes option errors through from the schedule', () => {
    expect(() => scheduleFromConfig({ className: 'ConstantSparsitySchedule', config: { targetSparsity: 1.5 } })).to.throw(
      RangeError,
      'ConstantSparsitySchedule: targetSparsity must be a number in [0, 1), received 1.5',
    );
  });
});
