import { expect } from 'chai';
import { codeCell, escapeCell } from '../../../recipes/src/schema/markdownCells';

describe('markdownCells', () => {
  it('escapeCell keeps a value in one cell: pipes escaped, line breaks joined', () => {
    expect(escapeCell('a | b')).to.equal('a \\| b');
    expect(escapeCell('line one\nline two')).to.equal('line one line two');
    expect(escapeCell('||')).to.equal('\\|\\|');
  });

  it('codeCell shows JSON in backticks, escaped; undefined is an em dash', () => {
    expect(codeCell(0.5)).to.equal('`0.5`');
    expect(codeCell('adam')).to.equal('`"adam"`');
    expect(codeCell(['a|b'])).to.equal('`["a\\|b"]`');
    expect(codeCell(null)).to.equal('`null`');
    expect(codeCell(undefined)).to.equal('—');
  });
});
