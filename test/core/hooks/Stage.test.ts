import { expect } from 'chai';
import { Stage } from '../../../core/src/hooks/Stage';

describe('Stage', () => {
  it('orders the bands as the projection chain and the hooks rely on: schedule, structure, constrain, emulate, project, observe, report, export', () => {
    const order = ['SCHEDULE', 'STRUCTURE', 'CONSTRAIN', 'EMULATE', 'PROJECT', 'OBSERVE', 'REPORT', 'EXPORT'] as const;
    expect(Object.keys(Stage)).to.have.members([...order]);
    for (let i = 1; i < order.length; i++) {
      expect(Stage[order[i]], `${order[i - 1]} < ${order[i]}`).to.be.greaterThan(Stage[order[i - 1]]);
    }
  });

  it('leaves room between bands for taps that must run just before or after one', () => {
    const values = Object.values(Stage).sort((a, b) => a - b);
    for (let i = 1; i < values.length; i++) expect(values[i] - values[i - 1]).to.be.at.least(500);
  });

  it('is frozen: a plugin cannot move a band for everyone', () => {
    expect(Object.isFrozen(Stage)).to.equal(true);
    expect(() => {
      (Stage as { EMULATE: number }).EMULATE = 5;
    }).to.throw(TypeError);
  });
});
