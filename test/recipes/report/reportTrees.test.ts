/**
 * The report's deployment trees: recipes merged on shared stages, collaborative steps read from
 * the per-kernel invariants (not from plugin names), and the tree diagram drawing every node
 * with its INT8 top-1 and compression.
 */
import { expect } from 'chai';
import { deploymentTreeSvg } from '../../../recipes/src/report/deploymentTreeSvg';
import { paretoScatterSvg } from '../../../recipes/src/report/paretoScatterSvg';
import { reportTrees, treeName, treeNodes } from '../../../recipes/src/report/reportTrees';
import type { ReportNode, RunReport } from '../../../recipes/src/report/RunReport';

/** A node with what the figures read; the rest of a stage record does not matter to them. */
function node(recipe: string, path: string[], invariants: string[], int8: { accuracy: number; deflated: number } | null, plugins: string[] = []): ReportNode {
  return {
    recipe,
    name: path[path.length - 1]!,
    path,
    plugins,
    quantized: invariants.includes('int8-grid'),
    accuracy: 0.9,
    kernels: [{ id: 'k', invariants }, { id: 'k2', invariants: [] }],
    int8: int8 === null ? { accuracy: null, size: null } : { accuracy: int8.accuracy, size: { raw: 1000, deflated: int8.deflated, reduction: 1 - int8.deflated / 1000 } },
  } as unknown as ReportNode;
}

const nodes: Record<string, ReportNode> = {
  b: node('m-qat', ['baseline'], [], { accuracy: 0.9, deflated: 900 }),
  q: node('m-qat', ['baseline', 'qat'], ['int8-grid'], { accuracy: 0.905, deflated: 890 }, ['quantize']),
  p: node('m-pqat', ['baseline', 'prune'], ['my-sparsity'], { accuracy: 0.89, deflated: 600 }, ['myPrune']),
  pq: node('m-pqat', ['baseline', 'prune', 'pqat'], ['my-sparsity', 'int8-grid'], { accuracy: 0.895, deflated: 610 }, ['keep', 'quantize']),
  r: node('m-release', ['baseline', 'prune', 'dense'], ['int8-grid'], null, ['quantize']),
};
const report = {
  recipes: [
    { name: 'm-qat', stages: ['b', 'q'], stageNames: ['baseline', 'qat'] },
    { name: 'm-pqat', stages: ['b', 'p', 'pq'], stageNames: ['baseline', 'prune', 'pqat'] },
    { name: 'm-release', stages: ['b', 'p', 'r'], stageNames: ['baseline', 'prune', 'dense'] },
  ],
  nodes,
} as unknown as RunReport;

describe('report trees and figures', () => {
  it('merges the recipes on shared stages; collaborative = keeps an inherited invariant and adds one', () => {
    const [root, ...others] = reportTrees(report);
    expect(others).to.deep.equal([]);
    expect(treeNodes(root!).map((t) => t.hash)).to.deep.equal(['b', 'q', 'p', 'pq', 'r']);
    const by = new Map(treeNodes(root!).map((t) => [t.hash, t]));
    expect(by.get('p')!.children.map((c) => c.hash)).to.deep.equal(['pq', 'r']);
    // A custom invariant name works as well as a built-in one; releasing it is not collaborative.
    expect([...by].filter(([, t]) => t.collaborative).map(([h]) => h)).to.deep.equal(['pq']);
    expect(by.get('pq')!.recipes).to.deep.equal(['m-pqat']);
    expect(treeName(root!)).to.equal('m');
  });

  it('the tree diagram has one box per stage with INT8 top-1 and compression, collaborative ones marked', () => {
    const svg = deploymentTreeSvg('t', reportTrees(report)[0]!);
    expect(svg.match(/<g class="node/g)).to.have.length(5);
    expect(svg.match(/<g class="node collaborative"/g)).to.have.length(1);
    expect(svg.match(/<path class="edge"/g)).to.have.length(4);
    expect(svg).to.contain('INT8 89.50%').and.contain('610 B deflated (39.00%)');
    // A stage whose int8 file did not run says so instead of showing a number.
    expect(svg).to.contain('(INT8 not run)').and.contain('no int8 file');
  });

  it('the scatter draws the measured stages and labels exactly the Pareto front', async () => {
    const svg = (await paretoScatterSvg('t', reportTrees(report)[0]!))!;
    expect(svg).to.match(/^<svg class="pareto-scatter" /);
    // Front: p (smallest), pq (larger, more accurate than p), q (most accurate); q dominates b.
    for (const label of ['prune', 'pqat', 'qat']) expect(svg).to.contain(`>${label}</text>`);
    expect(svg).to.not.contain('>baseline</text>');
  });
});
