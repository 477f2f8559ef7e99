import { expect } from 'chai';
import * as path from 'node:path';
import { displayPath } from '../../../recipes/src/cli/displayPath';

describe('displayPath', () => {
  const cwd = path.resolve('/work/project');

  it('shows a file inside the working directory relative to it', () => {
    expect(displayPath(cwd, path.join(cwd, 'out', 'pcqat', 'report.html'))).to.equal(path.join('out', 'pcqat', 'report.html'));
  });

  it('shows the working directory itself as "."', () => {
    expect(displayPath(cwd, cwd)).to.equal('.');
  });

  it('shows a file outside the working directory as an absolute path', () => {
    expect(displayPath(cwd, path.resolve('/work/other/a.json'))).to.equal(path.resolve('/work/other/a.json'));
    expect(displayPath(cwd, path.resolve('/work'))).to.equal(path.resolve('/work'));
  });

  it('keeps a file whose name starts with two dots relative: it is inside', () => {
    expect(displayPath(cwd, path.join(cwd, '..hidden', 'a.json'))).to.equal(path.join('..hidden', 'a.json'));
  });
});
