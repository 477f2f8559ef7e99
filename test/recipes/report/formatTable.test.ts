import { expect } from 'chai';
import { formatMarkdownTable, formatTable } from '../../../recipes/src/report/formatTable';

describe('formatTable', () => {
  it('pads columns to their widest cell, the first left-aligned and the others right-aligned, with a rule under the header', () => {
    const text = formatTable({ header: ['model', 'size'], rows: [['baseline', '1.2 MB'], ['pqat', '300 kB']] });
    expect(text.split('\n')).to.deep.equal(['model       size', '────────  ──────', 'baseline  1.2 MB', 'pqat      300 kB']);
  });

  it('measures width in code points, so box-drawing tree prefixes line up', () => {
    const text = formatTable({ header: ['stage', 'x'], rows: [['├─ prune', '1'], ['└─ cluster', '22']] });
    const lines = text.split('\n');
    expect(lines.map((l) => [...l].length)).to.deep.equal([14, 14, 14, 14]);
  });

  it('follows explicit alignment, fills missing cells and trims trailing spaces', () => {
    const text = formatTable({ header: ['a', 'b', 'c'], rows: [['1', '2']], align: ['right', 'left', 'left'] });
    expect(text.split('\n')).to.deep.equal(['a  b  c', '─  ─  ─', '1  2']);
  });
});

describe('formatMarkdownTable', () => {
  it('writes a GitHub table with alignment markers, escaped pipes and indentation kept as no-break spaces', () => {
    const md = formatMarkdownTable({ header: ['stage', 'INT8'], rows: [['  prune | 50%', '98.1%']] });
    expect(md.split('\n')).to.deep.equal(['| stage | INT8 |', '| :--- | ---: |', '| \u00a0\u00a0prune \\| 50% | 98.1% |']);
  });
});
