import type { TfliteQuantizationInfo } from './readTflite';
import type { InspectedTensor, TfliteInspection } from './inspectTflite';

/**
 * Options of {@link formatTfliteInspection}.
 * @group Export: TFLite
 */
export interface FormatTfliteInspectionOptions {
  /** List every tensor (default true) — long for big models. */
  readonly tensors?: boolean;
}

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function quantText(q: TfliteQuantizationInfo | null): string {
  if (!q) return '';
  if (q.scales.length === 1) return ` scale ${q.scales[0].toPrecision(6)} zero point ${q.zeroPoints[0] ?? 0}`;
  const shown = Array.from(q.scales.slice(0, 3), (s) => s.toPrecision(4)).join(', ');
  const zeros = q.zeroPoints.every((z) => z === 0) ? 'zero points 0' : `zero points ${q.zeroPoints.slice(0, 3).join(', ')}…`;
  return ` ${q.scales.length} scales along dim ${q.dimension} [${shown}${q.scales.length > 3 ? ', …' : ''}], ${zeros}`;
}

function tensorLine(t: InspectedTensor): string {
  const constant = t.bytes > 0 ? ` const ${n(t.bytes)} B` : '';
  return `${t.name} ${t.type}[${t.shape.join(', ')}]${constant}${quantText(t.quantization)}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

/**
 * Prints a {@link TfliteInspection} (or `inspectTfliteFile`'s result, with sizes) as the
 * `collabopt inspect` text: header and sizes, inputs/outputs, operators, tensors, and a table of
 * kernels with sparsity and distinct values.
 * @group Export: TFLite
 */
export function formatTfliteInspection(
  inspection: TfliteInspection & { readonly path?: string; readonly compression?: string },
  options: FormatTfliteInspectionOptions = {},
): string {
  const lines: string[] = [];
  lines.push(
    `${inspection.path ?? 'model'}: TFLite schema v${inspection.schemaVersion}, ${inspection.subgraphs} subgraph(s)` +
      (inspection.description ? `, "${inspection.description}"` : ''),
  );
  lines.push(`size: ${inspection.compression ?? `${n(inspection.bytes)} bytes`} (constants ${n(inspection.constantBytes)} bytes)`);
  lines.push(`inputs:  ${inspection.inputs.map(tensorLine).join('; ')}`);
  lines.push(`outputs: ${inspection.outputs.map(tensorLine).join('; ')}`);
  lines.push('', `operators (${inspection.operators.length}):`);
  for (const op of inspection.operators) {
    const opts = op.options
      ? ' ' + Object.entries(op.options).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('x') : String(v)}`).join(' ')
      : '';
    lines.push(`  #${op.index} ${op.opcode} v${op.version}: ${op.inputs.join(', ')} → ${op.outputs.join(', ')}${opts}`);
  }
  if (options.tensors ?? true) {
    lines.push('', `tensors (${inspection.tensors.length}):`);
    for (const t of inspection.tensors) lines.push(`  #${t.index} ${tensorLine(t)}`);
  }
  if (inspection.weights.length > 0) {
    lines.push('', 'weights:');
    const rows = [['  tensor', 'type', 'shape', 'size', 'sparsity', 'distinct', 'distinct/channel']];
    for (const w of inspection.weights) {
      rows.push([`  ${w.tensor}`, w.type, `[${w.shape.join(', ')}]`, n(w.size), pct(w.sparsity), n(w.distinct), w.distinctPerChannel === undefined ? '-' : n(w.distinctPerChannel)]);
    }
    lines.push(...table(rows));
  }
  return lines.join('\n');
}
