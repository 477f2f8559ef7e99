import type { OnnxValueInfo } from './readOnnx';
import type { OnnxInspection } from './inspectOnnx';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function valueLine(v: OnnxValueInfo): string {
  return `${v.name} ${v.dtype}[${v.shape.join(', ')}]`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

/**
 * Prints an {@link OnnxInspection} (or `inspectOnnxFile`'s result, with sizes) as the
 * `collabopt inspect` text: header and sizes, inputs/outputs, operator counts, and a table of
 * kernels with sparsity and distinct stored values.
 * @group Export: ONNX
 */
export function formatOnnxInspection(inspection: OnnxInspection & { readonly path?: string; readonly compression?: string }): string {
  const lines = [
    `${inspection.path ?? 'model'}: ONNX IR v${inspection.irVersion}, opset ${inspection.opset}` +
      (inspection.producer ? `, by ${inspection.producer}` : '') +
      (inspection.docString ? `, "${inspection.docString}"` : ''),
    `size: ${inspection.compression ?? `${n(inspection.bytes)} bytes`} (initializers ${n(inspection.constantBytes)} bytes)`,
    `inputs:  ${inspection.inputs.map(valueLine).join('; ')}`,
    `outputs: ${inspection.outputs.map(valueLine).join('; ')}`,
    '',
    `operators: ${inspection.operators.map((o) => `${o.opType} ×${o.count}`).join(', ')}`,
  ];
  if (inspection.weights.length > 0) {
    lines.push('', 'weights:');
    const rows = [['  initializer', 'type', 'shape', 'read by', 'scales', 'size', 'sparsity', 'distinct', 'distinct/channel']];
    for (const w of inspection.weights) {
      rows.push([`  ${w.initializer}`, w.dtype, `[${w.shape.join(', ')}]`, w.readBy, String(w.scales), n(w.size), pct(w.sparsity), n(w.distinct), w.distinctPerChannel === undefined ? '-' : n(w.distinctPerChannel)]);
    }
    lines.push(...table(rows));
  }
  return lines.join('\n');
}
