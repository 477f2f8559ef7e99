import { formatPercent } from './formatPercent';
import type { ReportTreeNode } from './reportTrees';

const BOX = { width: 250, height: 70, columnGap: 40, rowGap: 12 } as const;
const COLORS = { plain: '#4c78a8', collaborative: '#e45756', edge: '#888' } as const;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The lines of a node's box: stage, its plugins, INT8 top-1, compression. */
function labels(t: ReportTreeNode): [string, string, string, string] {
  const int8 = t.node.int8;
  const top1 = int8.accuracy !== null ? `INT8 ${formatPercent(int8.accuracy)}` : `${t.node.quantized ? 'fake INT8' : 'FP32'} ${formatPercent(t.node.accuracy)} (INT8 not run)`;
  const size = int8.size !== null ? `${int8.size.deflated.toLocaleString('en-US')} B deflated (${(int8.size.reduction * 100).toFixed(2)}%)` : 'no int8 file';
  const plugins = t.node.plugins.length > 0 ? t.node.plugins.join(' + ') : 'no plugins';
  return [t.name, plugins, top1, size];
}

/**
 * The seed's deployment-tree figure for one baseline, as a standalone SVG: one box per stage
 * (stage and its plugins, INT8 top-1 of its int8 file, the file's deflated size and compression),
 * edges from each stage to the stages trained on it, collaborative steps (a stage that keeps what
 * its parent established while adding its own invariant) drawn in red. Laid out left to right,
 * one row per leaf, a parent centred on its children.
 */
export function deploymentTreeSvg(title: string, root: ReportTreeNode): string {
  const placed = new Map<ReportTreeNode, { x: number; y: number }>();
  let row = 0;
  let depthMax = 0;
  const place = (t: ReportTreeNode, depth: number): number => {
    depthMax = Math.max(depthMax, depth);
    const ys = t.children.map((c) => place(c, depth + 1));
    const y = ys.length > 0 ? (ys[0]! + ys[ys.length - 1]!) / 2 : row++ * (BOX.height + BOX.rowGap);
    placed.set(t, { x: depth * (BOX.width + BOX.columnGap), y });
    return y;
  };
  place(root, 0);
  const top = 30;
  const width = (depthMax + 1) * (BOX.width + BOX.columnGap);
  const height = top + row * (BOX.height + BOX.rowGap) + 24;
  const parts: string[] = [];
  for (const [t, p] of placed) {
    for (const c of t.children) {
      const q = placed.get(c)!;
      const x1 = p.x + BOX.width;
      const y1 = top + p.y + BOX.height / 2;
      const x2 = q.x;
      const y2 = top + q.y + BOX.height / 2;
      const mid = (x1 + x2) / 2;
      parts.push(`<path class="edge" d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}" fill="none" stroke="${COLORS.edge}" stroke-width="1.5"/>`);
    }
  }
  for (const [t, p] of placed) {
    const color = t.collaborative ? COLORS.collaborative : COLORS.plain;
    const [name, plugins, top1, size] = labels(t);
    const leaf = t.recipes.length > 0 ? ` [${t.recipes.join(', ')}]` : '';
    parts.push(
      `<g class="node${t.collaborative ? ' collaborative' : ''}" transform="translate(${p.x},${top + p.y})"><title>${esc(t.node.path.join(' → ') + leaf)}</title>` +
        `<rect width="${BOX.width}" height="${BOX.height}" rx="6" fill="#fff" stroke="${color}" stroke-width="${t.collaborative ? 2.5 : 1.5}"/>` +
        `<text x="8" y="16" font-weight="bold" fill="${color}">${esc(name)}</text><text x="8" y="31" fill="#555" font-size="10">${esc(plugins)}</text>` +
        `<text x="8" y="47">${esc(top1)}</text><text x="8" y="62" fill="#555">${esc(size)}</text></g>`,
    );
  }
  const legend =
    `<g transform="translate(0,${height - 10})"><rect width="10" height="10" y="-9" fill="none" stroke="${COLORS.collaborative}" stroke-width="2.5"/>` +
    `<text x="16">collaborative step: keeps what the stage before established and adds its own invariant</text></g>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="deployment-tree" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui,sans-serif" font-size="11">` +
    `<text x="0" y="16" font-size="13" font-weight="bold">${esc(title)}</text>${parts.join('')}${legend}</svg>`
  );
}
