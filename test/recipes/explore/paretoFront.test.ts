import { expect } from 'chai';
import { paretoFront } from '../../../recipes/src/explore/paretoFront';

interface Point {
  readonly name: string;
  readonly size: number;
  readonly accuracy: number;
}

/** Smaller files and higher accuracy are better: the second objective is negated. */
const costs = (p: Point) => [p.size, -p.accuracy];
const names = (front: Set<Point>) => [...front].map((p) => p.name).sort();

describe('paretoFront', () => {
  it('keeps exactly the points no other point dominates', () => {
    const points: Point[] = [
      { name: 'small-bad', size: 10, accuracy: 0.9 },
      { name: 'big-good', size: 40, accuracy: 0.99 },
      { name: 'middle', size: 20, accuracy: 0.95 },
      { name: 'dominated', size: 30, accuracy: 0.94 }, // middle is smaller and more accurate
      { name: 'worse-everywhere', size: 50, accuracy: 0.5 },
    ];
    expect(names(paretoFront(points, costs))).to.deep.equal(['big-good', 'middle', 'small-bad']);
  });

  it('keeps ties: equal points do not dominate each other, a point equal in one objective and worse in the other is dominated', () => {
    const points: Point[] = [
      { name: 'a', size: 10, accuracy: 0.9 },
      { name: 'b', size: 10, accuracy: 0.9 },
      { name: 'c', size: 10, accuracy: 0.8 },
    ];
    expect(names(paretoFront(points, costs))).to.deep.equal(['a', 'b']);
  });

  it('leaves out points with a non-finite cost, and they dominate nothing', () => {
    const points: Point[] = [
      { name: 'unmeasured', size: 1, accuracy: NaN },
      { name: 'infinite', size: Infinity, accuracy: 1 },
      { name: 'measured', size: 30, accuracy: 0.9 },
    ];
    expect(names(paretoFront(points, costs))).to.deep.equal(['measured']);
  });

  it('is empty for no points', () => {
    expect(paretoFront([] as Point[], costs).size).to.equal(0);
  });
});
