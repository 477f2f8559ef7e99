import { weightStats, type WeightStats } from '../../weightStats';
import { int8WeightStats } from './int8WeightStats';
import { readTflite, storedValues, type TfliteQuantizationInfo } from './readTflite';

/**
 * One operator as {@link inspectTflite} lists it.
 * @group Export: TFLite
 */
export interface InspectedOperator {
  /** Position in the execution order. */
  readonly index: number;
  /** Builtin name, e.g. `CONV_2D`. */
  readonly opcode: string;
  /** Operator version. */
  readonly version: number;
  /** Tensor names (`-` for an omitted optional input). */
  readonly inputs: readonly string[];
  /** Output tensor names. */
  readonly outputs: readonly string[];
  /** Builtin options as plain values (padding, strides, fused activation, ...), or null. */
  readonly options: Readonly<Record<string, unknown>> | null;
}

/**
 * One tensor as {@link inspectTflite} lists it.
 * @group Export: TFLite
 */
export interface InspectedTensor {
  /** Index in the subgraph's tensor list. */
  readonly index: number;
  /** Tensor name. */
  readonly name: string;
  /** Lower-case TFLite type, e.g. `int8`. */
  readonly type: string;
  /** Shape (TFLite layout). */
  readonly shape: readonly number[];
  /** Bytes of constant data (0 for tensors computed at run time). */
  readonly bytes: number;
  /** Quantization parameters, or null for float tensors. */
  readonly quantization: TfliteQuantizationInfo | null;
}

/**
 * Sparsity and distinct stored values of one weight tensor of the file.
 * @group Export: TFLite
 */
export interface InspectedWeight extends WeightStats {
  /** Tensor name of the kernel. */
  readonly tensor: string;
  /** Stored type: `float32`, `float16` or `int8`. */
  readonly type: string;
  /** Shape in the file (TFLite layout: output channels first for convolutions). */
  readonly shape: readonly number[];
  /** Operator that uses it (the consumer of its DEQUANTIZE, for float16 weights). */
  readonly usedBy: string;
}

/**
 * What a .tflite file contains, for people and for the CLI (`collabopt inspect`).
 * @group Export: TFLite
 */
export interface TfliteInspection {
  /** TFLite schema version of the file (3). */
  readonly schemaVersion: number;
  /** The file's description string, or null. */
  readonly description: string | null;
  /** Number of subgraphs (the first is inspected). */
  readonly subgraphs: number;
  /** File size in bytes. */
  readonly bytes: number;
  /** Bytes of constant data (all buffers). */
  readonly constantBytes: number;
  /** The model inputs. */
  readonly inputs: readonly InspectedTensor[];
  /** The model outputs. */
  readonly outputs: readonly InspectedTensor[];
  /** Operators in execution order. */
  readonly operators: readonly InspectedOperator[];
  /** Every tensor of the main subgraph. */
  readonly tensors: readonly InspectedTensor[];
  /** Kernels of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV (stored values, per output channel). */
  readonly weights: readonly InspectedWeight[];
}

// TRANSPOSE_CONV's kernel is input 1 too, output channels first ([out, h, w, in]).
const KERNEL_OPS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'TRANSPOSE_CONV']);

/**
 * Reads a .tflite file (any producer, not only collabopt) into a {@link TfliteInspection}:
 * operators with versions and options, tensors with types, shapes and quantization, and for every
 * convolution / fully-connected kernel its sparsity and number of distinct stored values, per
 * tensor and per output channel (what deflate can exploit). Browser-safe; `inspectTfliteFile`
 * adds the deflate size in Node, `formatTfliteInspection` prints it.
 *
 * @throws TfliteExportError (`corrupt-file`) for bytes that are not a TFLite model.
 * @group Export: TFLite
 */
export function inspectTflite(bytes: Uint8Array): TfliteInspection {
  const file = readTflite(bytes);
  const tensors: InspectedTensor[] = file.tensors.map((t) => ({
    index: t.index,
    name: t.name,
    type: t.type,
    shape: t.shape,
    bytes: t.data?.byteLength ?? 0,
    quantization: t.quantization,
  }));
  const name = (i: number) => (i < 0 ? '-' : file.tensors[i].name);
  const operators: InspectedOperator[] = file.operators.map((op) => ({
    index: op.index,
    opcode: op.opcode,
    version: op.version,
    inputs: op.inputs.map(name),
    outputs: op.outputs.map(name),
    options: op.options,
  }));
  // float16 kernels reach their operator through a DEQUANTIZE: map its output back to its input.
  const dequantizedFrom = new Map<number, number>();
  for (const op of file.operators) if (op.opcode === 'DEQUANTIZE') dequantizedFrom.set(op.outputs[0], op.inputs[0]);
  const weights: InspectedWeight[] = [];
  const seen = new Set<number>();
  for (const op of file.operators) {
    if (!KERNEL_OPS.has(op.opcode) || op.inputs.length < 2) continue;
    const index = dequantizedFrom.get(op.inputs[1]) ?? op.inputs[1];
    const t = file.tensors[index];
    if (!t?.data || seen.has(index)) continue;
    seen.add(index);
    weights.push({ ...kernelStats(t.shape, storedValues(t), op.opcode === 'DEPTHWISE_CONV_2D'), tensor: t.name, type: t.type, shape: t.shape, usedBy: `${op.opcode} #${op.index}` });
  }
  return {
    schemaVersion: file.version,
    description: file.description,
    subgraphs: file.subgraphCount,
    bytes: file.byteLength,
    constantBytes: tensors.reduce((n, t) => n + t.bytes, 0),
    inputs: file.inputs.map((i) => tensors[i]),
    outputs: file.outputs.map((i) => tensors[i]),
    operators,
    tensors,
    weights,
  };
}

/** Stats with the output channel as group: the last axis for depthwise kernels, the first otherwise. */
function kernelStats(shape: readonly number[], values: ArrayLike<number>, channelsLast: boolean): WeightStats {
  const channels = channelsLast ? shape[shape.length - 1] : shape[0];
  if (values instanceof Int8Array && channels) return int8WeightStats(values, channels, channelsLast ? 'last' : 'first');
  if (channelsLast || !channels) return weightStats(values, channels || undefined);
  const per = values.length / channels;
  const reordered = new Float64Array(values.length);
  for (let c = 0; c < channels; c++) for (let i = 0; i < per; i++) reordered[i * channels + c] = values[c * per + i];
  return weightStats(reordered, channels);
}
