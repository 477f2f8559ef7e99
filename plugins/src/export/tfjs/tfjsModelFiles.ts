/**
 * The browser-safe half of the tfjs exporter: a finished model → the files of the tfjs Layers
 * format (`model.json` + `group1-shard{i}of{n}.bin`), in memory, with a size and weight report.
 * The Node half, `writeTfjsModel`, writes these files atomically.
 */
import * as tf from '@tensorflow/tfjs';
import { MODEL_JSON, WEIGHTS_BIN, modelToFiles, modelWeights, outputChannelLayout, validatePluginOptions, type OptimizationState } from '@collabopt/core';
import { flatPosition } from '../flatPosition';
import { verifyKernelInvariants } from '../verifyKernelInvariants';
import { weightStats } from '../weightStats';
import { encodeFloat16 } from '../float16';
import { measureDeflate } from './measureDeflate';
import { quantizeAffine } from './quantizeAffine';
import { shardWeightData } from './shardWeightData';
import type { SizeMeasure } from './SizeMeasure';
import type { TfjsExportOptions } from './TfjsExportOptions';
import { TFJS_EXPORT_OPTIONS_SCHEMA } from './tfjsExportOptionsSchema';
import { TfjsExportError } from '../../errors/TfjsExportError';
import type { TfjsExportReport, TfjsWeightReport } from './TfjsExportReport';
import type { TfjsQuantization } from './TfjsQuantization';

/**
 * The files of an exported model and what the export did to its weights.
 * @group Export: tfjs
 */
export interface TfjsModelFiles {
  /** File name → bytes: `model.json` first, then the weight shards in manifest order. */
  readonly files: Map<string, Uint8Array>;
  /** What the export did: sizes and, per weight, how it is stored and what the loader reads back. */
  readonly report: TfjsExportReport;
}

/** Written into `model.json` as `convertedBy`, where the converter names itself. */
const CONVERTED_BY = 'collabopt tfjs exporter';

/** A weights-manifest entry as this exporter writes it (the converter's fields, incl. `original_dtype`). */
interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; min?: number; scale?: number; original_dtype: string };
}

/** What tfjs's own `model.save` wrote, read back from {@link modelToFiles}. */
interface SavedModelJson {
  format?: string;
  generatedBy?: string;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: (tf.io.WeightsManifestEntry & { group?: string })[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}

/** How one weight ended up in the files, before the report adds what the loader reads back. */
interface EncodedWeight {
  entry: ManifestEntry;
  bytes: Uint8Array;
  /** Weight id in the session (`layer/kernel`), the key of its invariant records. */
  id: string;
  layer: string;
  channels: number | undefined;
  original: Float32Array | Int32Array | Uint8Array;
  grid?: 'exact' | 'range';
  step?: number;
}

/**
 * Exports a model to the tfjs Layers format in memory: the files a stock `tf.loadLayersModel`
 * loads wherever they are served from (http, or `tf.io.browserFiles` from a file picker),
 * optionally with the weights quantized as the tfjs converter does it
 * (`weightsManifest[].weights[].quantization`).
 *
 * - Topology and weights come from tfjs's own `model.save` (through core's `modelToFiles`), so any
 *   model tfjs can save exports; optimizer weights and the training config are left out, as in
 *   tfjs's default save — this is a deployment artifact.
 * - Quantization applies to float32 weights only, as in the converter; int32 and bool weights are
 *   stored unchanged. Zeros survive every form exactly (see `quantizeAffine`); the report
 *   gives each weight's sparsity and distinct values before and after dequantization, measured on
 *   what tfjs-core's own decoder (`tf.io.decodeWeights`) reads back from these bytes.
 * - Porting note: a NaN or ±Infinity weight, or (with `'float16'`) a value beyond the float16
 *   range, is an error naming the weight; the converter would write it (numpy turns float16
 *   overflow into Infinity), producing a model that computes NaN.
 *
 * Nothing is written anywhere: on error, nothing has changed. Holds no tensors after it returns.
 *
 * - Every invariant the state holds for a weight is verified on the values the decoder reads back
 *   (through the invariant's own export check), so a file that does not show it is never made.
 *
 * @param measure how to measure the deflate size; default {@link measureDeflate} (CompressionStream).
 *   In Node, `sizeReport` (zlib) gives the same numbers synchronously.
 * @param state the optimization state whose invariants the exported values must show; default none.
 * @throws PluginOptionsError (plugin `tfjsExport`) for invalid options, naming each bad option.
 * @throws TfjsExportError for weights that cannot be stored faithfully, or that do not show an
 *   invariant the state claims, naming the weight (and the invariant).
 * @group Export: tfjs
 */
export async function tfjsModelFiles(
  model: tf.LayersModel,
  options: TfjsExportOptions = {},
  measure: SizeMeasure = measureDeflate,
  state?: OptimizationState,
): Promise<TfjsModelFiles> {
  const { quantization, shardSizeBytes } = validatePluginOptions<Required<TfjsExportOptions>>(
    'tfjsExport',
    TFJS_EXPORT_OPTIONS_SCHEMA as Record<string, unknown>,
    options,
  );
  const saved = await modelToFiles(model, { includeOptimizer: false });
  const json = JSON.parse(new TextDecoder().decode(saved.get(MODEL_JSON))) as SavedModelJson;
  const encoded = encodeWeights(model, json, saved.get(WEIGHTS_BIN)!, quantization);

  const weightData = concat(encoded.map((w) => w.bytes));
  const shards = shardWeightData(weightData, shardSizeBytes);
  const modelJson = {
    format: json.format ?? 'layers-model',
    generatedBy: json.generatedBy ?? null,
    convertedBy: CONVERTED_BY,
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
    modelTopology: json.modelTopology,
    weightsManifest: [{ paths: shards.map((s) => s.name), weights: encoded.map((w) => w.entry) }],
  };
  const files = new Map<string, Uint8Array>([[MODEL_JSON, new TextEncoder().encode(JSON.stringify(modelJson))]]);
  for (const shard of shards) files.set(shard.name, shard.bytes);

  const weights = reportWeights(encoded, weightData, state, quantization);
  const size = await measure(concat([...files.values()]));
  const report: TfjsExportReport = {
    exporter: 'tfjs',
    quantization,
    shardSizeBytes,
    files: [...files].map(([name, bytes]) => ({ name, bytes: bytes.byteLength })),
    size,
    weights,
  };
  return { files, report };
}

/** Encodes every model weight (optimizer weights dropped) in manifest order. */
function encodeWeights(model: tf.LayersModel, json: SavedModelJson, data: Uint8Array, quantization: TfjsQuantization): EncodedWeight[] {
  const owners = weightOwners(model);
  const out: EncodedWeight[] = [];
  const names = new Set<string>();
  let offset = 0;
  for (const spec of json.weightsManifest.flatMap((g) => g.weights)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const width = spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : spec.dtype === 'bool' ? 1 : 0;
    if (width === 0) {
      throw new TfjsExportError(`weight '${spec.name}' has dtype ${spec.dtype}, which the tfjs exporter does not support (float32, int32, bool)`);
    }
    const raw = data.slice(offset, offset + size * width);
    offset += size * width;
    // tfjs puts the optimizer's slots (Adam moments, the step counter) in group 'optimizer'.
    if (spec.group === 'optimizer') continue;
    // tfjs restores weights by name: a second weight of the same name would load the first's values.
    if (names.has(spec.name)) {
      throw new TfjsExportError(
        `two weights are named '${spec.name}' (layers of the same name in nested models?); tfjs would load both from one entry — rename a layer`,
      );
    }
    names.add(spec.name);
    const owner = owners.get(spec.name);
    const layer = owner?.layer ?? spec.name.slice(0, Math.max(0, spec.name.lastIndexOf('/')));
    const id = owner?.id ?? spec.name;
    const channels = outputChannelLayout(owner?.className, owner?.weightName, spec.shape)?.channels;
    const entry: ManifestEntry = { name: spec.name, shape: [...spec.shape], dtype: spec.dtype };
    if (spec.dtype !== 'float32') {
      const original = spec.dtype === 'int32' ? new Int32Array(raw.buffer) : raw;
      out.push({ entry, bytes: raw, id, layer, channels, original });
      continue;
    }
    const values = new Float32Array(raw.buffer);
    rejectNonFinite(spec.name, values);
    if (quantization === 'none') {
      out.push({ entry, bytes: raw, id, layer, channels, original: values });
    } else if (quantization === 'float16') {
      const half = encodeFloat16(values);
      rejectFloat16Overflow(spec.name, values, half);
      entry.quantization = { dtype: 'float16', original_dtype: 'float32' };
      out.push({ entry, bytes: new Uint8Array(half.buffer), id, layer, channels, original: values });
    } else {
      const q = quantizeAffine(values, quantization);
      entry.quantization = { dtype: q.dtype, min: q.min, scale: q.scale, original_dtype: 'float32' };
      const bytes = new Uint8Array(q.data.buffer, q.data.byteOffset, q.data.byteLength);
      out.push({ entry, bytes, id, layer, channels, original: values, grid: q.grid, step: q.scale });
    }
  }
  return out;
}

/**
 * Per-weight report from what tfjs-core's decoder reads back from `weightData`: the numbers
 * describe the model the user will run, not our intentions.
 */
function reportWeights(encoded: readonly EncodedWeight[], weightData: Uint8Array, state: OptimizationState | undefined, quantization: TfjsQuantization): TfjsWeightReport[] {
  const specs = encoded.map((w) => w.entry as unknown as tf.io.WeightsManifestEntry);
  const decoded = tf.io.decodeWeights(weightData.slice().buffer, specs);
  try {
    return encoded.map((w) => {
      const back = decoded[w.entry.name].dataSync() as Float32Array | Int32Array | Uint8Array;
      let maxAbsError = 0;
      for (let i = 0; i < back.length; i++) {
        const original = w.original[i];
        // Guards the exporter itself: every path above keeps zeros by construction.
        if (original === 0 && back[i] !== 0) {
          throw new TfjsExportError(
            `weight '${w.entry.name}': element ${i} is 0 in the model but decodes to ${back[i]} (${w.entry.quantization?.dtype ?? w.entry.dtype}); this is a bug in the tfjs exporter`,
          );
        }
        maxAbsError = Math.max(maxAbsError, Math.abs(back[i] - original));
      }
      const storedAs = w.entry.quantization?.dtype ?? w.entry.dtype;
      const { verified } = verifyKernelInvariants(
        {
          weightId: w.id,
          shape: w.entry.shape,
          dtype: storedAs,
          outChannels: w.channels ?? 1,
          values: back,
          foldedScale: null,
          foldedFrom: null,
          onStateGrid: false,
          modelValues: () => w.original,
          position: (k) => flatPosition(w.entry.shape, k),
        },
        state,
        (invariant, violation) =>
          new TfjsExportError(
            `weight '${w.entry.name}' (stored as ${storedAs}, quantization '${quantization}') does not show the '${invariant}' invariant ` +
              `the session claims: ${violation}. Nothing was written.`,
          ),
      );
      return {
        name: w.entry.name,
        weightId: w.id,
        layer: w.layer,
        shape: w.entry.shape,
        dtype: w.entry.dtype,
        storedAs,
        bytes: w.bytes.byteLength,
        ...(w.grid ? { grid: w.grid, step: w.step } : {}),
        original: weightStats(w.original, w.channels),
        exported: weightStats(back, w.channels),
        maxAbsError,
        verified,
      };
    });
  } finally {
    tf.dispose(decoded);
  }
}

/** Manifest name (the variable's original name) → the layer that owns it, as core's targeting sees it. */
function weightOwners(model: tf.LayersModel): Map<string, { id: string; layer: string; className: string; weightName: string }> {
  const owners = new Map<string, { id: string; layer: string; className: string; weightName: string }>();
  for (const w of modelWeights(model).values()) {
    owners.set(w.variable.originalName, { id: w.id, layer: w.layer.name, className: w.className, weightName: w.weightName });
  }
  return owners;
}

function rejectNonFinite(name: string, values: Float32Array): void {
  let count = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      if (count === 0) first = i;
      count++;
    }
  }
  if (count > 0) {
    throw new TfjsExportError(
      `weight '${name}' has ${count} non-finite value(s) (first: ${values[first]} at index ${first}); ` +
        'a model with NaN or infinite weights cannot be exported (fix the training run that produced it)',
    );
  }
}

function rejectFloat16Overflow(name: string, values: Float32Array, half: Uint16Array): void {
  for (let i = 0; i < half.length; i++) {
    if ((half[i] & 0x7fff) === 0x7c00) {
      throw new TfjsExportError(
        `weight '${name}': element ${i} = ${values[i]} is beyond the float16 range (largest finite 65504), so float16 ` +
          `would store ${values[i] > 0 ? '' : '-'}Infinity; export with quantization 'uint16', 'uint8' or 'none' instead`,
      );
    }
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
