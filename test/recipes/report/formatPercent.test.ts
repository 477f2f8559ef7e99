import { expect } from 'chai';
import { formatPercent } from '../../../recipes/src/report/formatPercent';

describe('formatPercent', () => {
  it('prints a fraction as a percentage with two decimals, as the seed tables do', () => {
    expect(formatPercent(0.98516)).to.equal('98.52%');
    expect(formatPercent(1)).to.equal('100.00%');
    expect(formatPercent(0)).to.equal('0.00%');
    expect(formatPercent(0.4063)).to.equal('40.63%');
  });
});
