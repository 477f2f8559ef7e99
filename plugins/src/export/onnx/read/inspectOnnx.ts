import { weightStats, type WeightStats } from '../../weightStats';
import { permute } from '../permute';
import { readOnnx, type OnnxFile, type OnnxInitializer } from './readOnnx';

/**
 * A kernel of an ONNX file as `collabopt inspect` lists it: the stored values (levels for int8)
 * with sparsity and distinct values, per tensor and per output channel.
 * @group Export: ONNX
 */
export interface InspectedOnnxWeight extends WeightStats {
  /** Name of the initializer that holds it. */
  readonly initializer: string;
  /** Element type (`float32`, `int8`, `int32`, …). */
  readonly dtype: string;
  /** Shape in the file (the batch dimension is free in ONNX: `-1`/null there). */
  readonly shape: readonly number[];
  /** The node type reading it (through its DequantizeLinear): `Conv`, `Gemm`, `MatMul`. */
  readonly readBy: string;
  /** Scales of its DequantizeLinear (0 when it is not quantized). */
  readonly scales: number;
}

/**
 * What an ONNX file holds, for `collabopt inspect model.onnx`.
 * @group Export: ONNX
 */
export interface OnnxInspection extends Pick<OnnxFile, 'irVersion' | 'opset' | 'producer' | 'docString' | 'inputs' | 'outputs'> {
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** Node count by type, sorted by type. */
  readonly operators: readonly {
    /** ONNX operator type, e.g. `QLinearConv` or `Conv`. */
    readonly opType: string;
    /** How many nodes of this type. */
    readonly count: number;
  }[];
  /** Bytes of every initializer's data. */
  readonly constantBytes: number;
  /** One entry per weight tensor. */
  readonly weights: readonly InspectedOnnxWeight[];
}

const KERNEL_READERS = new Set(['Conv', 'Gemm', 'MatMul']);
const BYTES: Readonly<Record<string, number>> = { float32: 4, int8: 1, uint8: 1, int32: 4, int64: 8 };

/**
 * Decodes an ONNX file (any producer) and measures every kernel (the weight input of a Conv, Gemm
 * or MatMul, directly or through a DequantizeLinear). The output channel of a kernel is its
 * DequantizeLinear's axis when it has one scale per channel, else dimension 0 (Conv, and Gemm as
 * this exporter writes it) or the last (MatMul).
 * @throws OnnxExportError (`corrupt-file`) for bytes that are not an ONNX model.
 * @group Export: ONNX
 */
export function inspectOnnx(bytes: Uint8Array): OnnxInspection {
  const file = readOnnx(bytes);
  const counts = new Map<string, number>();
  for (const n of file.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  const dequantized = new Map<string, string>();
  for (const n of file.nodes) if (n.opType === 'DequantizeLinear') dequantized.set(n.outputs[0]!, n.inputs[0]!);
  const weights: InspectedOnnxWeight[] = [];
  const seen = new Set<string>();
  for (const n of file.nodes) {
    if (!KERNEL_READERS.has(n.opType)) continue;
    const input = n.inputs[1];
    const name = input === undefined ? undefined : (dequantized.get(input) ?? input);
    const t = name === undefined ? undefined : file.initializers.get(name);
    if (!t || seen.has(t.name) || t.shape.length < 2) continue;
    seen.add(t.name);
    weights.push({ ...kernelStats(t, n.opType), initializer: t.name, dtype: t.dtype, shape: t.shape, readBy: n.opType, scales: t.quantization?.scales.length ?? 0 });
  }
  return {
    bytes: bytes.byteLength,
    irVersion: file.irVersion,
    opset: file.opset,
    producer: file.producer,
    docString: file.docString,
    inputs: file.inputs,
    outputs: file.outputs,
    operators: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([opType, count]) => ({ opType, count })),
    constantBytes: [...file.initializers.values()].reduce((sum, t) => sum + t.stored.length * (BYTES[t.dtype] ?? 0), 0),
    weights,
  };
}

function kernelStats(t: OnnxInitializer, readBy: string): WeightStats {
  const rank = t.shape.length;
  const axis = t.quantization && t.quantization.scales.length > 1 ? t.quantization.axis : readBy === 'MatMul' ? rank - 1 : 0;
  // weightStats groups channels-last: move the output channel axis to the end.
  const perm = [...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis), axis];
  return weightStats(permute(Float64Array.from(t.stored), t.shape, perm), t.shape[axis]);
}
