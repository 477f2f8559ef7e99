import { onnx } from 'onnx-proto';
import { OnnxExportError } from '../../../errors/OnnxExportError';

/**
 * An initializer of an ONNX file, with the quantization of the DequantizeLinear that reads it.
 * @group Export: ONNX
 */
export interface OnnxInitializer {
  /** Name in the file. */
  readonly name: string;
  /** `float32`, `int8`, `int32`, `int64`, ... */
  readonly dtype: string;
  /** Shape in the file (the batch dimension is free in ONNX: `-1`/null there). */
  readonly shape: readonly number[];
  /** The stored numbers (integer levels for integer types). */
  readonly stored: ArrayLike<number>;
  /** Scales and zero points (one each, or one per index of `axis`) when a DequantizeLinear reads it. */
  readonly quantization: {
    /** Quantization scales. */
    readonly scales: Float32Array;
    /** Quantization zero points. */
    readonly zeroPoints: ArrayLike<number>;
    /** Quantization axis (per-channel), or null for per-tensor. */
    readonly axis: number;
  } | null;
}

/**
 * What {@link readOnnx} decodes: the opset, the graph's nodes (type, inputs, outputs) and every
 * initializer with its values.
 * @group Export: ONNX
 */
export interface OnnxFile {
  /** ONNX IR version of the file. */
  readonly irVersion: number;
  /** Opset version of the default domain. */
  readonly opset: number;
  /** `producer_name` and version. */
  readonly producer: string;
  /** The model's `doc_string`. */
  readonly docString: string;
  /** The graph inputs. */
  readonly inputs: readonly OnnxValueInfo[];
  /** The graph outputs. */
  readonly outputs: readonly OnnxValueInfo[];
  /** Graph nodes in file order. */
  readonly nodes: readonly {
    /** ONNX operator type, e.g. `QLinearConv` or `Conv`. */
    readonly opType: string;
    /** Names of the tensors it reads. */
    readonly inputs: readonly string[];
    /** Names of the tensors it writes. */
    readonly outputs: readonly string[];
  }[];
  /** Constant tensors (weights, scales, zero points). */
  readonly initializers: ReadonlyMap<string, OnnxInitializer>;
}

/**
 * A graph input or output: name, element type and shape (`batch` or another symbol for a free dimension).
 * @group Export: ONNX
 */
export interface OnnxValueInfo {
  /** Name in the file. */
  readonly name: string;
  /** Element type (`float32`, `int8`, `int32`, …). */
  readonly dtype: string;
  /** Shape in the file (the batch dimension is free in ONNX: `-1`/null there). */
  readonly shape: readonly (number | string)[];
}

const T = onnx.TensorProto.DataType;
const DTYPES: Readonly<Record<number, string>> = { [T.FLOAT]: 'float32', [T.INT8]: 'int8', [T.UINT8]: 'uint8', [T.INT32]: 'int32', [T.INT64]: 'int64' };

/**
 * Decodes an ONNX model (protobuf, the `onnx-proto` schema) for read-back verification and
 * `collabopt inspect`: initializers stored as `raw_data` or in the typed fields, and the scale and
 * zero point of the DequantizeLinear reading each integer initializer (QDQ form).
 * @throws OnnxExportError (`corrupt-file`) for bytes that are not an ONNX model.
 * @group Export: ONNX
 */
export function readOnnx(bytes: Uint8Array): OnnxFile {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxExportError('corrupt-file', `not a readable ONNX model: ${(e as Error).message}`);
  }
  const graph = model.graph;
  if (!graph) throw new OnnxExportError('corrupt-file', 'the ONNX model has no graph');
  const raw = new Map<string, { dtype: string; shape: number[]; stored: ArrayLike<number> }>();
  for (const t of graph.initializer ?? []) raw.set(t.name ?? '', { dtype: DTYPES[t.dataType ?? 0] ?? `type ${t.dataType}`, shape: (t.dims ?? []).map(Number), stored: storedOf(t) });
  const quantOf = new Map<string, OnnxInitializer['quantization']>();
  for (const n of graph.node ?? []) {
    if (n.opType !== 'DequantizeLinear') continue;
    const [data, scale, zero] = n.input ?? [];
    const s = raw.get(scale);
    if (!raw.has(data) || !s) continue;
    const axisAttr = (n.attribute ?? []).find((a) => a.name === 'axis');
    const z = zero ? raw.get(zero) : undefined;
    quantOf.set(data, { scales: Float32Array.from(s.stored), zeroPoints: z ? z.stored : new Int32Array(s.stored.length), axis: axisAttr ? Number(axisAttr.i) : 1 });
  }
  const initializers = new Map<string, OnnxInitializer>();
  for (const [name, t] of raw) initializers.set(name, { name, ...t, quantization: quantOf.get(name) ?? null });
  const valueInfo = (v: onnx.IValueInfoProto): OnnxValueInfo => ({
    name: v.name ?? '',
    dtype: DTYPES[v.type?.tensorType?.elemType ?? 0] ?? 'unknown',
    shape: (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue))),
  });
  return {
    irVersion: Number(model.irVersion),
    opset: Number((model.opsetImport ?? []).find((o) => !o.domain)?.version ?? 0),
    producer: `${model.producerName ?? ''} ${model.producerVersion ?? ''}`.trim(),
    docString: model.docString ?? '',
    inputs: (graph.input ?? []).map(valueInfo),
    outputs: (graph.output ?? []).map(valueInfo),
    nodes: (graph.node ?? []).map((n) => ({ opType: n.opType ?? '', inputs: n.input ?? [], outputs: n.output ?? [] })),
    initializers,
  };
}

/**
 * The real values of an initializer: `scale · (q − zeroPoint)` (per index of the quantized axis)
 * for a quantized one, else its numbers.
 * @group Export: ONNX
 */
export function initializerValues(t: OnnxInitializer): Float64Array {
  const out = Float64Array.from(t.stored);
  const q = t.quantization;
  if (!q) return out;
  const channels = q.scales.length;
  const inner = t.shape.slice(q.axis + 1).reduce((a, d) => a * d, 1);
  for (let i = 0; i < out.length; i++) {
    const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
    out[i] = q.scales[c] * (out[i] - Number(q.zeroPoints[c] ?? 0));
  }
  return out;
}

function storedOf(t: onnx.ITensorProto): ArrayLike<number> {
  const r = t.rawData;
  if (r && r.byteLength > 0) {
    const bytes = new Uint8Array(r); // a copy: aligned, and not a view into the whole file
    switch (t.dataType) {
      case T.FLOAT:
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      case T.INT8:
        return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      case T.UINT8:
        return bytes;
      case T.INT32:
        return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      case T.INT64:
        return Array.from(new BigInt64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8), Number);
      default:
        throw new OnnxExportError('corrupt-file', `initializer '${t.name}' has element type ${t.dataType}, which this reader does not know`);
    }
  }
  if (t.floatData && t.floatData.length > 0) return Float32Array.from(t.floatData);
  if (t.int32Data && t.int32Data.length > 0) return Int32Array.from(t.int32Data);
  if (t.int64Data && t.int64Data.length > 0) return t.int64Data.map(Number);
  return [];
}
