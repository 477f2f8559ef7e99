import * as flatbuffers from 'flatbuffers';
import { fromFloat16Bits } from '../../float16';
import {
  ActivationFunctionType,
  AddOptions,
  BuiltinOperator,
  BuiltinOptions,
  ConcatenationOptions,
  Conv2DOptions,
  DepthwiseConv2DOptions,
  FullyConnectedOptions,
  Model,
  MulOptions,
  Padding,
  Pool2DOptions,
  ReducerOptions,
  ReshapeOptions,
  SoftmaxOptions,
  TensorType,
  type Operator,
  type Tensor,
} from '../schema/tflite_generated';
import { TfliteExportError } from '../../../errors/TfliteExportError';

/**
 * Quantization parameters of a tensor in a file.
 * @group Export: TFLite
 */
export interface TfliteQuantizationInfo {
  /** One scale per quantized channel (one for per-tensor quantization). */
  readonly scales: Float32Array;
  /** Zero points, one per scale. */
  readonly zeroPoints: readonly number[];
  /** Quantized dimension (meaningful when there is more than one scale). */
  readonly dimension: number;
}

/**
 * One tensor of a TFLite file.
 * @group Export: TFLite
 */
export interface TfliteTensorInfo {
  /** Index in the subgraph's tensor list. */
  readonly index: number;
  /** Tensor name. */
  readonly name: string;
  /** Lower-case TFLite type, e.g. `float32`, `int8`, `float16`. */
  readonly type: string;
  /** Shape (TFLite layout). */
  readonly shape: readonly number[];
  /** Buffer index (0: none). */
  readonly buffer: number;
  /** The constant bytes (a view into the file), or null for tensors computed at run time. */
  readonly data: Uint8Array | null;
  /** Quantization parameters, or null for float tensors. */
  readonly quantization: TfliteQuantizationInfo | null;
}

/**
 * One operator of a TFLite file.
 * @group Export: TFLite
 */
export interface TfliteOperatorInfo {
  /** Position in the execution order. */
  readonly index: number;
  /** Builtin name (e.g. `CONV_2D`), `CUSTOM:<code>`, or `BUILTIN_<n>` for codes this reader does not name. */
  readonly opcode: string;
  /** Operator version. */
  readonly version: number;
  /** Input tensor indices (-1 for an omitted optional input). */
  readonly inputs: readonly number[];
  /** Output tensor indices. */
  readonly outputs: readonly number[];
  /** The builtin options this reader knows, as plain values (null when none). */
  readonly options: Readonly<Record<string, unknown>> | null;
}

/**
 * The main subgraph of a TFLite file, as plain data.
 * @group Export: TFLite
 */
export interface TfliteFile {
  /** Schema version (3). */
  readonly version: number;
  /** The file's description string, or null. */
  readonly description: string | null;
  /** Number of subgraphs in the file (only the first is read). */
  readonly subgraphCount: number;
  /** Operators of the main subgraph, in execution order. */
  readonly operators: readonly TfliteOperatorInfo[];
  /** Tensors of the main subgraph. */
  readonly tensors: readonly TfliteTensorInfo[];
  /** Indices of the model input tensors. */
  readonly inputs: readonly number[];
  /** Indices of the model output tensors. */
  readonly outputs: readonly number[];
  /** Size of the file in bytes. */
  readonly byteLength: number;
}

const ELEMENT_BYTES: Partial<Record<TensorType, number>> = {
  [TensorType.FLOAT32]: 4,
  [TensorType.FLOAT16]: 2,
  [TensorType.INT32]: 4,
  [TensorType.UINT8]: 1,
  [TensorType.INT64]: 8,
  [TensorType.BOOL]: 1,
  [TensorType.INT16]: 2,
  [TensorType.INT8]: 1,
  [TensorType.FLOAT64]: 8,
};

/**
 * A ByteBuffer that refuses reads outside the file. The stock one returns 0 for bytes past the
 * end (`bytes[i]` is undefined), so a truncated file would read as a smaller, wrong model.
 */
class CheckedByteBuffer extends flatbuffers.ByteBuffer {
  private check(offset: number, size: number): void {
    if (!(offset >= 0 && offset + size <= this.capacity())) {
      throw new RangeError(`it reads ${size} byte(s) at offset ${offset}, beyond its ${this.capacity()} bytes (truncated or damaged)`);
    }
  }
  override readInt8(offset: number): number {
    this.check(offset, 1);
    return super.readInt8(offset);
  }
  override readUint8(offset: number): number {
    this.check(offset, 1);
    return super.readUint8(offset);
  }
  override readInt16(offset: number): number {
    this.check(offset, 2);
    return super.readInt16(offset);
  }
  override readUint16(offset: number): number {
    this.check(offset, 2);
    return super.readUint16(offset);
  }
  override readInt32(offset: number): number {
    this.check(offset, 4);
    return super.readInt32(offset);
  }
  override readUint32(offset: number): number {
    this.check(offset, 4);
    return super.readUint32(offset);
  }
  override readInt64(offset: number): bigint {
    this.check(offset, 8);
    return super.readInt64(offset);
  }
  override readUint64(offset: number): bigint {
    this.check(offset, 8);
    return super.readUint64(offset);
  }
  override readFloat32(offset: number): number {
    this.check(offset, 4);
    return super.readFloat32(offset);
  }
  override readFloat64(offset: number): number {
    this.check(offset, 8);
    return super.readFloat64(offset);
  }
}

function corrupt(why: string): TfliteExportError {
  return new TfliteExportError('corrupt-file', `not a readable TFLite file: ${why}`);
}

/**
 * Reads the main subgraph of a TFLite flatbuffer into plain data: operators (name, version,
 * options), tensors (type, shape, quantization, constant bytes). Used by `inspectTflite` and by
 * the exporter's read-back verification, so it relies only on the bytes.
 *
 * @throws TfliteExportError (`corrupt-file`) when the bytes are not a TFLite model: wrong
 *   identifier, offsets outside the buffer, buffers whose size does not match their tensor.
 * @group Export: TFLite
 */
export function readTflite(bytes: Uint8Array): TfliteFile {
  // Typed-array views of vectors need the data aligned as in the file: start from offset 0.
  const own = bytes.byteOffset % 16 === 0 ? bytes : bytes.slice();
  if (own.byteLength < 8) throw corrupt(`${own.byteLength} bytes is too short`);
  const bb = new CheckedByteBuffer(own);
  if (!Model.bufferHasIdentifier(bb)) {
    const id = String.fromCharCode(...own.subarray(4, 8));
    throw corrupt(`file identifier is ${JSON.stringify(id)}, expected "TFL3"`);
  }
  try {
    return read(bb, own);
  } catch (e) {
    if (e instanceof TfliteExportError) throw e;
    throw corrupt((e as Error).message);
  }
}

function read(bb: flatbuffers.ByteBuffer, bytes: Uint8Array): TfliteFile {
  const model = Model.getRootAsModel(bb);
  const subgraphCount = model.subgraphsLength();
  if (subgraphCount < 1) throw corrupt('it has no subgraph');
  const sg = model.subgraphs(0)!;
  const buffers = model.buffersLength();
  const codes: { opcode: string; version: number }[] = [];
  for (let i = 0; i < model.operatorCodesLength(); i++) {
    const c = model.operatorCodes(i)!;
    const builtin = Math.max(c.builtinCode(), c.deprecatedBuiltinCode());
    const custom = c.customCode();
    const name = BuiltinOperator[builtin] as string | undefined;
    codes.push({ opcode: builtin === 32 ? `CUSTOM:${custom ?? ''}` : (name ?? `BUILTIN_${builtin}`), version: c.version() });
  }
  const tensors: TfliteTensorInfo[] = [];
  for (let i = 0; i < sg.tensorsLength(); i++) tensors.push(readTensor(model, sg.tensors(i)!, i, buffers, bytes));
  const operators: TfliteOperatorInfo[] = [];
  for (let i = 0; i < sg.operatorsLength(); i++) {
    const op = sg.operators(i)!;
    const code = codes[op.opcodeIndex()];
    if (!code) throw corrupt(`operator ${i} uses operator code ${op.opcodeIndex()}, but the file has ${codes.length}`);
    const inputs = Array.from(op.inputsArray() ?? []);
    const outputs = Array.from(op.outputsArray() ?? []);
    for (const t of [...inputs, ...outputs]) {
      if (t !== -1 && (t < 0 || t >= tensors.length)) throw corrupt(`operator ${i} (${code.opcode}) refers to tensor ${t}, but the file has ${tensors.length}`);
    }
    operators.push({ index: i, opcode: code.opcode, version: code.version, inputs, outputs, options: readOptions(op) });
  }
  const description = model.description();
  return {
    version: model.version(),
    description,
    subgraphCount,
    operators,
    tensors,
    inputs: Array.from(sg.inputsArray() ?? []),
    outputs: Array.from(sg.outputsArray() ?? []),
    byteLength: bytes.byteLength,
  };
}

function readTensor(model: Model, t: Tensor, index: number, buffers: number, bytes: Uint8Array): TfliteTensorInfo {
  const type = t.type();
  const shape = Array.from(t.shapeArray() ?? []);
  const buffer = t.buffer();
  const name = t.name() ?? `tensor_${index}`;
  if (buffer >= buffers) throw corrupt(`tensor '${name}' refers to buffer ${buffer}, but the file has ${buffers}`);
  let data: Uint8Array | null = null;
  if (buffer > 0) {
    const b = model.buffers(buffer)!;
    const view = b.dataArray();
    if (view && view.length > 0) {
      const elem = ELEMENT_BYTES[type];
      const expected = shape.reduce((a, d) => a * d, 1) * (elem ?? 0);
      if (elem !== undefined && view.length !== expected) {
        throw corrupt(`tensor '${name}' of shape [${shape.join(', ')}] (${TensorType[type]}) has ${view.length} bytes of data, expected ${expected}`);
      }
      data = bytes.subarray(view.byteOffset - bytes.byteOffset, view.byteOffset - bytes.byteOffset + view.length);
    }
  }
  let quantization: TfliteQuantizationInfo | null = null;
  const q = t.quantization();
  if (q && q.scaleLength() > 0) {
    const zeroPoints: number[] = [];
    for (let i = 0; i < q.zeroPointLength(); i++) zeroPoints.push(Number(q.zeroPoint(i)));
    quantization = { scales: Float32Array.from(q.scaleArray()!), zeroPoints, dimension: q.quantizedDimension() };
  }
  return { index, name, type: (TensorType[type] ?? `type_${type}`).toLowerCase(), shape, buffer, data, quantization };
}

function readOptions(op: Operator): Record<string, unknown> | null {
  const act = (a: ActivationFunctionType) => ActivationFunctionType[a] ?? String(a);
  const pad = (p: Padding) => Padding[p] ?? String(p);
  switch (op.builtinOptionsType()) {
    case BuiltinOptions.Conv2DOptions: {
      const o = op.builtinOptions(new Conv2DOptions()) as Conv2DOptions;
      return {
        padding: pad(o.padding()),
        stride: [o.strideH(), o.strideW()],
        dilation: [o.dilationHFactor(), o.dilationWFactor()],
        activation: act(o.fusedActivationFunction()),
      };
    }
    case BuiltinOptions.DepthwiseConv2DOptions: {
      const o = op.builtinOptions(new DepthwiseConv2DOptions()) as DepthwiseConv2DOptions;
      return {
        padding: pad(o.padding()),
        stride: [o.strideH(), o.strideW()],
        dilation: [o.dilationHFactor(), o.dilationWFactor()],
        depthMultiplier: o.depthMultiplier(),
        activation: act(o.fusedActivationFunction()),
      };
    }
    case BuiltinOptions.Pool2DOptions: {
      const o = op.builtinOptions(new Pool2DOptions()) as Pool2DOptions;
      return {
        padding: pad(o.padding()),
        stride: [o.strideH(), o.strideW()],
        filter: [o.filterHeight(), o.filterWidth()],
        activation: act(o.fusedActivationFunction()),
      };
    }
    case BuiltinOptions.FullyConnectedOptions: {
      const o = op.builtinOptions(new FullyConnectedOptions()) as FullyConnectedOptions;
      return { activation: act(o.fusedActivationFunction()), keepNumDims: o.keepNumDims() };
    }
    case BuiltinOptions.ConcatenationOptions: {
      const o = op.builtinOptions(new ConcatenationOptions()) as ConcatenationOptions;
      return { axis: o.axis(), activation: act(o.fusedActivationFunction()) };
    }
    case BuiltinOptions.AddOptions:
      return { activation: act((op.builtinOptions(new AddOptions()) as AddOptions).fusedActivationFunction()) };
    case BuiltinOptions.MulOptions:
      return { activation: act((op.builtinOptions(new MulOptions()) as MulOptions).fusedActivationFunction()) };
    case BuiltinOptions.SoftmaxOptions:
      return { beta: (op.builtinOptions(new SoftmaxOptions()) as SoftmaxOptions).beta() };
    case BuiltinOptions.ReshapeOptions:
      return { newShape: Array.from((op.builtinOptions(new ReshapeOptions()) as ReshapeOptions).newShapeArray() ?? []) };
    case BuiltinOptions.ReducerOptions:
      return { keepDims: (op.builtinOptions(new ReducerOptions()) as ReducerOptions).keepDims() };
    default:
      return null;
  }
}

/**
 * The real values of a constant tensor: float32 and float16 decoded, quantized integers
 * dequantized (`scale · (q − zeroPoint)`, per channel along the quantized dimension).
 * @throws TfliteExportError for a tensor without data or of a type this reader does not decode.
 * @group Export: TFLite
 */
export function tensorValues(t: TfliteTensorInfo): Float64Array {
  const raw = storedValues(t);
  const out = new Float64Array(raw.length);
  const q = t.quantization;
  if (t.type === 'float32' || t.type === 'float16' || !q) {
    for (let i = 0; i < raw.length; i++) out[i] = raw[i];
    return out;
  }
  const channels = q.scales.length;
  // Elements per index of the quantized dimension, and how many indices follow it.
  const inner = t.shape.slice(q.dimension + 1).reduce((a, d) => a * d, 1);
  for (let i = 0; i < raw.length; i++) {
    const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
    out[i] = q.scales[c] * (raw[i] - (q.zeroPoints[c] ?? 0));
  }
  return out;
}

/**
 * The stored numbers of a constant tensor (integer levels for quantized types, floats otherwise).
 * @group Export: TFLite
 */
export function storedValues(t: TfliteTensorInfo): ArrayLike<number> {
  if (!t.data) throw new TfliteExportError('corrupt-file', `tensor '${t.name}' has no constant data`);
  const d = t.data;
  const aligned = (n: number) => (d.byteOffset % n === 0 ? d : d.slice());
  switch (t.type) {
    case 'float32': {
      const a = aligned(4);
      return new Float32Array(a.buffer, a.byteOffset, a.byteLength / 4);
    }
    case 'float16': {
      const a = aligned(2);
      const bits = new Uint16Array(a.buffer, a.byteOffset, a.byteLength / 2);
      return Float64Array.from(bits, fromFloat16Bits);
    }
    case 'int8':
      return new Int8Array(d.buffer, d.byteOffset, d.byteLength);
    case 'uint8':
      return d;
    case 'int16': {
      const a = aligned(2);
      return new Int16Array(a.buffer, a.byteOffset, a.byteLength / 2);
    }
    case 'int32': {
      const a = aligned(4);
      return new Int32Array(a.buffer, a.byteOffset, a.byteLength / 4);
    }
    default:
      throw new TfliteExportError('corrupt-file', `tensor '${t.name}' has type ${t.type}, which this reader does not decode`);
  }
}
