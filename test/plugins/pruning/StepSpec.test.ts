import { expect } from 'chai';
import { checkStepsPerEpoch, parseStepSpec, stepSpecToSteps } from '../../../plugins/src/pruning/StepSpec';
import { thrown } from './thrown';

const WHERE = 'TestSchedule: beginStep';

describe('pruning/StepSpec', () => {
  describe('parseStepSpec', () => {
    it('reads numbers as steps', () => {
      expect(parseStepSpec(500, WHERE)).to.deep.equal({ unit: 'steps', value: 500, spec: 500 });
      expect(parseStepSpec(-1, WHERE)).to.deep.equal({ unit: 'steps', value: -1, spec: -1 });
      expect(parseStepSpec(0, WHERE)).to.deep.equal({ unit: 'steps', value: 0, spec: 0 });
    });

    it('reads "…ba" and digit strings as steps', () => {
      expect(parseStepSpec('500ba', WHERE)).to.deep.equal({ unit: 'steps', value: 500, spec: '500ba' });
      expect(parseStepSpec('500', WHERE)).to.deep.equal({ unit: 'steps', value: 500, spec: '500' });
      expect(parseStepSpec('-1', WHERE)).to.deep.equal({ unit: 'steps', value: -1, spec: '-1' });
    });

    it('reads "…ep" as epochs, including fractions', () => {
      expect(parseStepSpec('2ep', WHERE)).to.deep.equal({ unit: 'epochs', value: 2, spec: '2ep' });
      expect(parseStepSpec('0.5ep', WHERE)).to.deep.equal({ unit: 'epochs', value: 0.5, spec: '0.5ep' });
      expect(parseStepSpec('.25ep', WHERE)).to.deep.equal({ unit: 'epochs', value: 0.25, spec: '.25ep' });
    });

    it('folds negative zero into zero', () => {
      expect(Object.is(parseStepSpec('-0ep', WHERE).value, 0)).to.equal(true);
      expect(Object.is(parseStepSpec('-0', WHERE).value, 0)).to.equal(true);
    });

    const malformed: unknown[] = ['', 'abc', '2 ep', '2EP', '2epochs', 'ep', '1e3', '2ep ', ' 2ep', '--1', '5st', null, undefined, true, [2], {}];
    for (const bad of malformed) {
      it(`rejects ${JSON.stringify(bad) ?? String(bad)} with a message naming the field and the value`, () => {
        const error = thrown(() => parseStepSpec(bad, WHERE));
        expect(error).to.be.instanceOf(TypeError);
        expect(error.message).to.include(WHERE);
        expect(error.message).to.include('"2ep"'); // the accepted forms are listed
        expect(error.message).to.include(`received ${bad === undefined ? 'undefined' : JSON.stringify(bad)}`);
      });
    }

    it('rejects fractional step counts', () => {
      expect(() => parseStepSpec(2.5, WHERE)).to.throw(RangeError, /TestSchedule: beginStep .*integer, received 2\.5/);
      expect(() => parseStepSpec('2.5ba', WHERE)).to.throw(RangeError, /TestSchedule: beginStep must count whole steps .*received "2\.5ba"/);
      expect(() => parseStepSpec(NaN, WHERE)).to.throw(RangeError, /received NaN/);
      expect(() => parseStepSpec(Infinity, WHERE)).to.throw(RangeError, /received Infinity/);
    });

    it('rejects negative epochs', () => {
      expect(() => parseStepSpec('-1ep', WHERE)).to.throw(RangeError, /TestSchedule: beginStep must count epochs >= 0, received "-1ep"/);
    });
  });

  describe('stepSpecToSteps', () => {
    it('passes steps through without needing steps per epoch', () => {
      expect(stepSpecToSteps(parseStepSpec('500ba', WHERE), undefined, WHERE)).to.equal(500);
    });

    it('converts epochs with round(epochs * stepsPerEpoch)', () => {
      expect(stepSpecToSteps(parseStepSpec('2ep', WHERE), 100, WHERE)).to.equal(200);
      expect(stepSpecToSteps(parseStepSpec('0.5ep', WHERE), 25, WHERE)).to.equal(13);
      expect(stepSpecToSteps(parseStepSpec('0.3ep', WHERE), 10, WHERE)).to.equal(3);
    });

    it('explains that steps per epoch are needed for epoch units', () => {
      expect(() => stepSpecToSteps(parseStepSpec('2ep', WHERE), undefined, WHERE)).to.throw(
        /TestSchedule: beginStep is "2ep" \(in epochs\), but the number of steps per epoch is unknown/,
      );
    });

    it('rejects a bad steps-per-epoch count', () => {
      expect(() => stepSpecToSteps(parseStepSpec('2ep', WHERE), 0, WHERE)).to.throw(RangeError, /stepsPerEpoch must be a positive integer, received 0/);
      expect(() => checkStepsPerEpoch(2.5, 'X')).to.throw(RangeError, /X: stepsPerEpoch must be a positive integer, received 2\.5/);
      expect(() => checkStepsPerEpoch('10', 'X')).to.throw(RangeError, /received "10"/);
      expect(() => checkStepsPerEpoch(10, 'X')).not.to.throw();
    });
  });
});
