import { formatPercent } from '../report/formatPercent';
import type { TextTable } from '../report/formatTable';
import { treeTable } from '../report/treeTable';
import type { ExploreResult } from './exploreDeploymentTree';

/**
 * The table `explore` prints: every node tried, as the tree, with the seed's items (FP32 top-1,
 * INT8 top-1 in the TFLite interpreter, compression), the latency of the int8 file, the drop from
 * the baseline, whether each tried leaf meets the targets (or which it misses), and `*` on the
 * Pareto front.
 */
export function exploreTable(result: ExploreResult): TextTable {
  const verdicts = new Map(result.tried.map((t) => [t.record.hash, t.verdict]));
  return treeTable(result.tree, result.nodes, [
    { header: 'latency', cell: (_, r) => (r.int8.latencyMs !== null ? `${r.int8.latencyMs.toFixed(3)} ms` : '-') },
    { header: 'drop', cell: (_, r) => formatPercent(result.baselineAccuracy - (r.int8.accuracy ?? r.accuracy)) },
    {
      header: 'targets',
      cell: (n) => {
        const v = verdicts.get(n.hash);
        return v ? (v.meets ? 'meets' : v.misses.join('; ')) : '';
      },
    },
    { header: 'Pareto', cell: (n) => (result.pareto.has(n.hash) ? '*' : '') },
  ]);
}
