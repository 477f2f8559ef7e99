import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadModel, modelWeights, MODEL_JSON, type OptimizationState } from '@collabopt/core';
import {
  formatCompression,
  formatOnnxInspection,
  formatTfliteInspection,
  inspectOnnxFile,
  inspectTfliteFile,
  OnnxExportError,
  sizeReport,
  TfliteExportError,
  weightStats,
  type SizeReport,
} from '@collabopt/plugins';
import type * as tf from '@tensorflow/tfjs';
import { formatPercent } from '../../report/formatPercent';
import { formatTable } from '../../report/formatTable';
import { resultCells } from '../../report/resultCells';
import { int8RuntimeOf } from '../../report/int8ColumnRuntime';
import { TFLITE_RUNTIME_LABELS } from '../../runner/TfliteRuntime';
import { releaseOptimizer } from '../../runner/releaseOptimizer';
import { readStageRecord } from '../../runner/StageStore';
import type { CliCommand } from '../CliCommand';
import { CliUsageError } from '../../errors/CliUsageError';
import { parseCliArgs } from '../parseCliArgs';

const OPTIONS = { json: { type: 'boolean' }, 'no-tensors': { type: 'boolean' } } as const;

/** One weight of a tfjs model, as `inspect` lists it. */
interface WeightRow {
  readonly id: string;
  readonly shape: readonly number[];
  readonly size: number;
  readonly sparsity: number;
  readonly distinct: number;
  readonly distinctPerChannel: number;
  readonly invariants: readonly string[];
}

/** What `inspect` reports about a tfjs model directory. */
interface TfjsInspection {
  readonly path: string;
  readonly name: string;
  readonly files: readonly { readonly name: string; readonly bytes: number }[];
  readonly size: SizeReport;
  readonly compression: string;
  readonly layers: readonly { readonly name: string; readonly className: string; readonly outputShape: string; readonly params: number }[];
  readonly weights: readonly WeightRow[];
  /** The optimization state's stages, when the directory holds a saved collabopt session. */
  readonly stages: readonly string[];
}

async function inspectTfjsDir(dir: string): Promise<TfjsInspection> {
  const manifest = JSON.parse(await fs.readFile(path.join(dir, MODEL_JSON), 'utf8').catch(() => 'null')) as { weightsManifest?: { paths: string[] }[] } | null;
  if (!manifest) throw new CliUsageError(`${dir}/${MODEL_JSON} is not readable JSON: not a tfjs model directory`);
  const names = [MODEL_JSON, ...(manifest.weightsManifest ?? []).flatMap((g) => g.paths)];
  const bytes = await Promise.all(names.map((n) => fs.readFile(path.join(dir, n))));
  // The seed's measure of a multi-file model: the files in manifest order, deflated as one stream.
  const size = sizeReport(new Uint8Array(Buffer.concat(bytes)));
  let loaded: { model: tf.LayersModel; state: OptimizationState };
  try {
    loaded = await loadModel(dir);
  } catch (e) {
    throw new CliUsageError(`${dir} is not a loadable tfjs model: ${(e as Error).message}`);
  }
  const { model, state } = loaded;
  try {
    const layers = model.layers.map((l) => ({
      name: l.name,
      className: l.getClassName(),
      outputShape: JSON.stringify(l.outputShape).replace(/null/g, 'batch'),
      params: l.countParams(),
    }));
    const weights = [...modelWeights(model).values()].map((w): WeightRow => {
      const channels = w.shape.length >= 2 ? (/depthwise_kernel$/.test(w.weightName) ? w.shape[2] * w.shape[3] : w.shape[w.shape.length - 1]) : undefined;
      const stats = weightStats(w.value().dataSync(), channels);
      return {
        id: w.id,
        shape: w.shape,
        size: stats.size,
        sparsity: stats.sparsity,
        distinct: stats.distinct,
        distinctPerChannel: stats.distinctPerChannel ?? stats.distinct,
        invariants: state.recordsOf(w.id).map((r) => r.invariant.name),
      };
    });
    return { path: dir, name: model.name, files: names.map((name, i) => ({ name, bytes: bytes[i].byteLength })), size, compression: formatCompression(size), layers, weights, stages: [...state.stages] };
  } finally {
    releaseOptimizer(model);
    model.dispose();
    state.dispose();
  }
}

function formatTfjsInspection(x: TfjsInspection): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const lines = [
    `${x.path}: tfjs Layers model "${x.name}", ${x.layers.length} layers, ${n(x.weights.reduce((a, w) => a + w.size, 0))} weights`,
    `size: ${x.compression} (${x.files.map((f) => `${f.name} ${n(f.bytes)} B`).join(', ')})`,
  ];
  if (x.stages.length > 0) lines.push(`optimization state: ${x.stages.join(' → ')}`);
  lines.push('', 'layers:');
  lines.push(...formatTable({ header: ['name', 'class', 'output shape', 'params'], rows: x.layers.map((l) => [l.name, l.className, l.outputShape, n(l.params)]), align: ['left', 'left', 'left', 'right'] }).split('\n').map((l) => `  ${l}`));
  lines.push('', 'weights:');
  lines.push(
    ...formatTable({
      header: ['weight', 'shape', 'size', 'sparsity', 'distinct', 'distinct/channel', 'invariants'],
      rows: x.weights.map((w) => [w.id, `[${w.shape.join(', ')}]`, n(w.size), formatPercent(w.sparsity), n(w.distinct), n(w.distinctPerChannel), w.invariants.join(', ') || '-']),
      align: ['left', 'left', 'right', 'right', 'right', 'right', 'left'],
    })
      .split('\n')
      .map((l) => `  ${l}`),
  );
  return lines.join('\n');
}

/** Typed arrays as JSON arrays (scales, zero points). */
const jsonReplacer = (_: string, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v);

/**
 * `collabopt inspect <model.tflite | model.onnx | model dir>`: what a model file holds — for a
 * .tflite file its operators, tensors and kernels (sparsity, distinct values, quantization), for a
 * .onnx file its opset, operators and kernels likewise, for a tfjs model
 * directory (e.g. a stage directory of a run) its layers, weights with sparsity, distinct values
 * and invariants, and sizes raw → deflated.
 */
export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'show what a .tflite or .onnx file or a tfjs model directory holds: layers, weights, sparsity, distinct values, sizes',
  usage: [
    'Usage: collabopt inspect <model.tflite | model.onnx | model-dir> [--no-tensors] [--json]',
    '',
    'A .tflite file (any producer): schema, inputs and outputs, operators, tensors with types and',
    'quantization, and every convolution / fully-connected kernel with its sparsity and distinct',
    'stored values (per tensor and per output channel); size raw → deflated (zlib 6).',
    '',
    'A .onnx file (any producer): IR version, opset, inputs and outputs, operator counts, and every',
    'Conv / Gemm / MatMul kernel (through its DequantizeLinear in QDQ files) with its type, scales,',
    'sparsity and distinct stored values (per tensor and per output channel); size raw → deflated.',
    '',
    'A tfjs model directory (model.json + weights, e.g. out/<recipe>/stages/02-sparse-cluster): its',
    'layers, every weight with sparsity, distinct values (per tensor and per output channel) and the',
    'invariants its saved optimization state claims; size of its files raw → deflated. A stage',
    "directory of a run also shows the stage's results.",
    '',
    'Options:',
    '  --no-tensors  .tflite: leave out the list of every tensor',
    '  --json        print the inspection as JSON',
    '',
    'Exit codes: 0 success; 2 not a model (missing, corrupt, or neither kind); 1 unexpected failure.',
  ].join('\n'),

  async run(args, io) {
    const { values, positionals } = parseCliArgs(args, OPTIONS);
    if (positionals.length !== 1) throw new CliUsageError(positionals.length === 0 ? 'give a .tflite or .onnx file or a tfjs model directory' : `give one model, got ${positionals.length}`);
    const target = path.resolve(io.cwd, positionals[0]);
    const stat = await fs.stat(target).catch(() => null);
    if (!stat) throw new CliUsageError(`${positionals[0]} does not exist`);
    if (stat.isDirectory()) {
      if (!(await fs.stat(path.join(target, MODEL_JSON)).catch(() => null))) {
        throw new CliUsageError(`${positionals[0]} is a directory without ${MODEL_JSON}: not a tfjs model directory`);
      }
      const inspection = await inspectTfjsDir(target);
      const record = await readStageRecord(target);
      if (values.json) {
        io.out(JSON.stringify({ kind: 'tfjs', ...inspection, ...(record ? { stage: record } : {}) }, jsonReplacer, 1));
        return 0;
      }
      io.out(formatTfjsInspection(inspection));
      if (record) {
        const c = resultCells(record);
        const runtime = int8RuntimeOf(record);
        io.out('');
        io.out(`stage ${record.path.join(' → ')} of recipe ${record.recipe}: FP32 top-1 ${c.fp32}, INT8 top-1 ${c.int8}${runtime ? ` (${TFLITE_RUNTIME_LABELS[runtime]})` : ''}, int8 file ${c.compression}`);
      }
      return 0;
    }
    if (target.toLowerCase().endsWith('.onnx')) {
      let onnx;
      try {
        onnx = await inspectOnnxFile(target);
      } catch (e) {
        if (e instanceof OnnxExportError) throw new CliUsageError(`${positionals[0]} is not an ONNX model: ${e.message}`);
        throw e;
      }
      io.out(values.json ? JSON.stringify({ kind: 'onnx', ...onnx }, jsonReplacer, 1) : formatOnnxInspection(onnx));
      return 0;
    }
    let inspection;
    try {
      inspection = await inspectTfliteFile(target);
    } catch (e) {
      if (e instanceof TfliteExportError) throw new CliUsageError(`${positionals[0]} is not a TFLite model: ${e.message}`);
      throw e;
    }
    io.out(values.json ? JSON.stringify({ kind: 'tflite', ...inspection }, jsonReplacer, 1) : formatTfliteInspection(inspection, { tensors: !values['no-tensors'] }));
    return 0;
  },
};
