import type { TopLevelSpec } from 'vega-lite';
import { paretoFront } from '../explore/paretoFront';
import { renderVegaLiteSvg } from './renderVegaLiteSvg';
import { treeNodes, type ReportTreeNode } from './reportTrees';

/** One point of the scatter: a stage with a measured int8 file. */
interface Point {
  readonly stage: string;
  readonly label: string;
  readonly size: number;
  readonly top1: number;
  readonly kind: 'collaborative' | 'single technique';
  readonly front: 'on the Pareto front' | 'dominated';
}

/**
 * Accuracy against compressed size for one deployment tree, as a standalone SVG: every stage whose
 * int8 file was run (INT8 top-1 against the file's deflated bytes), collaborative steps marked,
 * and the Pareto front (no other stage both smaller and at least as accurate) joined by a line and
 * labelled. Returns null when no stage of the tree has a measured int8 file.
 */
export async function paretoScatterSvg(title: string, root: ReportTreeNode): Promise<string | null> {
  const measured = treeNodes(root).filter((t) => t.node.int8.accuracy !== null && t.node.int8.size !== null);
  if (measured.length === 0) return null;
  const front = paretoFront(measured, (t) => [t.node.int8.size!.deflated, -t.node.int8.accuracy!]);
  const points: Point[] = measured.map((t) => ({
    stage: t.node.path.join(' → '),
    label: t.name,
    size: t.node.int8.size!.deflated,
    top1: t.node.int8.accuracy! * 100,
    kind: t.collaborative ? 'collaborative' : 'single technique',
    front: front.has(t) ? 'on the Pareto front' : 'dominated',
  }));
  const frontPoints = points.filter((p) => p.front === 'on the Pareto front').sort((a, b) => a.size - b.size);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 560,
    height: 300,
    layer: [
      {
        data: { values: frontPoints as unknown as Record<string, unknown>[] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 3], interpolate: 'step-after' },
        encoding: { x: { field: 'size', type: 'quantitative' }, y: { field: 'top1', type: 'quantitative' } },
      },
      {
        data: { values: points as unknown as Record<string, unknown>[] },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'size', type: 'quantitative', title: 'int8 .tflite, deflated bytes (zlib 6)', scale: { zero: false } },
          y: { field: 'top1', type: 'quantitative', title: 'INT8 top-1 (%)', scale: { zero: false } },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['single technique', 'collaborative'], range: ['#4c78a8', '#e45756'] } },
          shape: { field: 'front', type: 'nominal', title: null, scale: { domain: ['on the Pareto front', 'dominated'], range: ['diamond', 'circle'] } },
          tooltip: [{ field: 'stage' }, { field: 'size' }, { field: 'top1' }],
        },
      },
      {
        data: { values: frontPoints as unknown as Record<string, unknown>[] },
        mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 10 },
        encoding: { x: { field: 'size', type: 'quantitative' }, y: { field: 'top1', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
  const svg = await renderVegaLiteSvg(spec);
  return svg.replace('<svg ', '<svg class="pareto-scatter" ');
}
