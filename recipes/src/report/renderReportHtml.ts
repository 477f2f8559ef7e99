import { densityPlotSvg } from './densityPlotSvg';
import { deploymentTreeSvg } from './deploymentTreeSvg';
import { paretoScatterSvg } from './paretoScatterSvg';
import { reportTrees, treeName } from './reportTrees';
import { formatPercent } from './formatPercent';
import { TFLITE_RUNTIME_LABELS } from '../runner/TfliteRuntime';
import type { TextTable } from './formatTable';
import type { ReportNode, RunReport } from './RunReport';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlTable(table: TextTable, firstColumnPre = false): string {
  const align = (c: number) => table.align?.[c] ?? (c === 0 ? 'left' : 'right');
  const head = table.header.map((h, c) => `<th style="text-align:${align(c)}">${esc(h)}</th>`).join('');
  const body = table.rows
    .map((r) => `<tr>${r.map((cell, c) => `<td style="text-align:${align(c)}"${c === 0 && firstColumnPre ? ' class="tree"' : ''}>${esc(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function nodeDetails(node: ReportNode): string {
  const kernels: TextTable = {
    header: ['weight', 'class', 'shape', 'size', 'sparsity', 'distinct', 'distinct / channel', 'invariants (state)', 'verified in int8 file'],
    rows: node.kernels.map((k) => [
      k.id,
      k.className,
      `[${k.shape.join(', ')}]`,
      k.size.toLocaleString('en-US'),
      formatPercent(k.sparsity),
      k.distinct.toLocaleString('en-US'),
      k.distinctPerChannel.toLocaleString('en-US'),
      k.invariants.join(', ') || '-',
      (node.int8.verified[k.id] ?? []).join(', ') || '-',
    ]),
    align: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left', 'left'],
  };
  const t = node.training;
  const trained =
    t.steps > 0
      ? `${t.epochs} epoch(s), ${t.steps} steps of ${t.batchSize}; loss by epoch: ${t.history.map((h) => h.loss.toFixed(4)).join(', ')}` +
        (t.history.some((h) => h.accuracy !== undefined) ? `; training accuracy: ${t.history.map((h) => (h.accuracy !== undefined ? formatPercent(h.accuracy) : '-')).join(', ')}` : '')
      : t.calibrationBatches > 0
        ? `no training; ${t.calibrationBatches} calibration batch(es)`
        : 'no training';
  const int8 = node.int8;
  const int8Line =
    int8.file !== null
      ? `int8 file: ${esc(int8.compression ?? '')}, activation ranges ${int8.ranges === 'session' ? 'from the quantize session' : 'calibrated on the representative data (post-training quantization)'}; ` +
        (int8.accuracy !== null ? `${TFLITE_RUNTIME_LABELS[int8.runtime ?? 'tflite-2.9']} top-1 ${formatPercent(int8.accuracy)}, ${int8.latencyMs!.toFixed(3)} ms per inference` : `not run: ${esc(int8.unavailable ?? '')}`)
      : `no int8 file: ${esc(int8.unavailable ?? '')}`;
  return `<details><summary><b>${esc(node.path.join(' → '))}</b> — ${node.quantized ? '(fake INT8) ' : ''}${formatPercent(node.accuracy)}${node.reused ? ' (reused)' : ''}</summary>
<p>Plugins: ${esc(node.plugins.join(', ') || 'none')}. Training: ${esc(trained)}; ${t.seconds.toFixed(1)} s. ${int8Line}.<br>Stage directory: <code>${esc(node.dir)}</code></p>
${htmlTable(kernels)}</details>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:14px}th,td{border-bottom:1px solid #ddd;padding:3px 8px;white-space:nowrap}
th{background:#f4f4f4}td.tree{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:pre}
details{margin:.4em 0}summary{cursor:pointer}code{font-size:13px}.meta{color:#555;font-size:14px}.miss{color:#a00}.ok{color:#070}`;

/**
 * `report.html`: one self-contained page (inline CSS and SVG, no scripts, no network) drawn from
 * a {@link RunReport}: the results tables, the exploration (when there was one), each deployment
 * tree as a diagram and as an accuracy-vs-compressed-size scatter with its Pareto front, the density
 * plots of each recipe's sample kernel through its pipeline, and per node the per-kernel sparsity and
 * distinct values with what the int8 file was verified to keep.
 */
export async function renderReportHtml(report: RunReport): Promise<string> {
  const parts: string[] = [];
  parts.push(`<h1>${esc(report.title)}</h1>`);
  parts.push(
    `<p class="meta"><code>${esc(report.command)}</code> — ${esc(report.generatedAt)}, ${report.seconds.toFixed(1)} s.<br>` +
      `Backend: ${esc(report.backend)}.<br>INT8 column: ` +
      (report.interpreterUnavailable === null
        ? 'each stage exported as a full-integer int8 .tflite file and run on the test split in LiteRT (LiteRT.js in headless Chromium), or in TFLite 2.9 (tfjs-tflite-node) where LiteRT could not start; each node says which.'
        : `not measured — ${esc(report.interpreterUnavailable)}.`) +
      ' Compression: the int8 file, raw bytes → zlib level 6 (reduction).</p>',
  );
  for (const { title, table } of report.tables) {
    parts.push(`<h2>${esc(title)}</h2>`, htmlTable(table, true));
  }
  if (report.explore) {
    const ex = report.explore;
    const t = ex.targets;
    const targets = [
      t.maxAccuracyDrop !== undefined ? `accuracy drop ≤ ${formatPercent(t.maxAccuracyDrop)}` : null,
      t.maxSize !== undefined ? `int8 file ≤ ${t.maxSize.toLocaleString('en-US')} B deflated` : null,
      t.maxLatencyMs !== undefined ? `latency ≤ ${t.maxLatencyMs} ms` : null,
    ].filter((x) => x !== null);
    parts.push(`<h2>Exploration</h2><p>Targets: ${esc(targets.join(', '))}; baseline FP32 top-1 ${formatPercent(ex.baselineAccuracy)}.</p><ol>`);
    for (const tried of ex.tried) {
      const v = tried.verdict;
      parts.push(
        `<li>${esc(tried.recipe)}: ${v.meets ? '<span class="ok">meets the targets</span>' : `<span class="miss">${esc(v.misses.join('; '))}</span>`}` +
          ` (top-1 ${formatPercent(v.accuracy)}${v.accuracySource === 'stage' ? ' (stage, not TFLite)' : ''}, size ${v.size?.toLocaleString('en-US') ?? '?'} B)</li>`,
      );
    }
    parts.push(`</ol><p>${ex.found ? `Stopped at <b>${esc(ex.found)}</b>; its exports are in its output folder.` : 'No leaf met the targets.'} Pareto front (INT8 top-1 vs size${t.maxLatencyMs !== undefined ? ' vs latency' : ''}): ${esc(ex.pareto.map((h) => report.nodes[h]?.path.join(' → ') ?? h).join('; '))}.</p>`);
  }

  // The seed's figures: each deployment tree as a diagram, then accuracy against compressed size.
  const trees = reportTrees(report);
  const named = (root: (typeof trees)[number], what: string) => (trees.length > 1 ? `${what} — ${treeName(root)}` : what);
  parts.push('<h2>Deployment tree</h2>');
  parts.push('<p>Each stage as the tree trained it: technique, INT8 top-1 of its int8 file and the file\'s deflated size; collaborative steps in red.</p>');
  for (const root of trees) parts.push(`<figure>${deploymentTreeSvg(named(root, 'deployment tree'), root)}</figure>`);
  const scatters = (await Promise.all(trees.map((root) => paretoScatterSvg(named(root, 'INT8 top-1 vs compressed size'), root)))).filter((svg) => svg !== null);
  if (scatters.length > 0) {
    parts.push('<h2>Accuracy vs compressed size</h2>', '<p>Every stage with a measured int8 file; the Pareto front (nothing else both smaller and as accurate) is joined and labelled.</p>');
    for (const svg of scatters) parts.push(`<figure>${svg}</figure>`);
  }

  parts.push('<h2>Sample kernel through each pipeline</h2>');
  parts.push('<p>Values of one kernel after every stage (the largest Conv2D kernel), like the seed\'s density-plot figure: pruning adds the spike at 0, clustering leaves a few shared values, quantization puts them on the int8 grid.</p>');
  for (const recipe of report.recipes) {
    const series = recipe.stages
      .map((h, i) => ({ node: report.nodes[h], name: recipe.stageNames[i] }))
      .filter(({ node }) => node?.kernelSample)
      .map(({ node, name }) => ({ stage: name, values: node.kernelSample!.values }));
    if (series.length === 0) continue;
    const weight = report.nodes[recipe.stages[0]].kernelSample!.weight;
    parts.push(`<h3>${esc(recipe.name)}</h3>`, await densityPlotSvg(`${recipe.name}: ${weight}`, series));
  }

  parts.push('<h2>Per-layer sparsity and distinct values</h2>');
  for (const node of Object.values(report.nodes)) parts.push(nodeDetails(node));
  if (report.recipes.some((r) => r.exports.length > 0)) {
    parts.push('<h2>Exports</h2><ul>');
    for (const r of report.recipes) {
      for (const e of r.exports) parts.push(`<li>${esc(r.name)}: ${esc(e.format)} ${esc(e.variant)} — <code>${esc(e.path)}</code>, ${esc(e.compression)}</li>`);
    }
    parts.push('</ul>');
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(report.title)}</title><style>${STYLE}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}
