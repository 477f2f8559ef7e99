import { onnx } from 'onnx-proto';

/** An attribute value: integers, floats (tagged, since 1 and 1.0 are the same number) and strings. */
export type OnnxAttribute = number | readonly number[] | { readonly float: number } | string;

/** Typed arrays an initializer is written from (little-endian `raw_data`). */
export type InitializerData = Float32Array | Int8Array | Int32Array | BigInt64Array;

function dataTypeOf(data: InitializerData): number {
  const T = onnx.TensorProto.DataType;
  if (data instanceof Float32Array) return T.FLOAT;
  if (data instanceof Int8Array) return T.INT8;
  if (data instanceof Int32Array) return T.INT32;
  return T.INT64;
}

/**
 * Accumulates the nodes and initializers of one ONNX graph, in execution order, with unique value
 * names and shared scalar constants (QDQ scales and zero points).
 */
export class OnnxGraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private readonly names = new Set<string>();
  private readonly scalars = new Map<string, string>();

  /** Claims `base` (or `base_2`, `base_3`, ...) as a value name. */
  unique(base: string): string {
    let name = base;
    for (let i = 2; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds a node with one output named after `output` and returns that output's name. */
  node(opType: string, inputs: readonly string[], output: string, attributes: Readonly<Record<string, OnnxAttribute>> = {}): string {
    const out = this.unique(output);
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        name: out,
        input: [...inputs],
        output: [out],
        attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
      }),
    );
    return out;
  }

  /** Adds an initializer and returns its name. */
  initializer(name: string, dims: readonly number[], data: InitializerData): string {
    const unique = this.unique(name);
    const dataType = dataTypeOf(data);
    this.initializers.push(
      onnx.TensorProto.create({ name: unique, dims: [...dims], dataType, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) }),
    );
    return unique;
  }

  /** A scalar initializer, shared by every node that needs the same value and type. */
  scalar(value: number, type: 'float32' | 'int8' | 'int32'): string {
    const key = `${type}:${Object.is(value, -0) ? '-0' : value}`;
    let name = this.scalars.get(key);
    if (!name) {
      const data = type === 'float32' ? Float32Array.of(value) : type === 'int8' ? Int8Array.of(value) : Int32Array.of(value);
      name = this.initializer(`const/${type}/${value}`, [], data);
      this.scalars.set(key, name);
    }
    return name;
  }
}

function attribute(name: string, value: OnnxAttribute): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: [...(value as number[])] };
  return { name, type: T.FLOAT, f: (value as { float: number }).float };
}
