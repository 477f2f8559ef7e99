import { toFloat16Bits } from '../../float16';
import { TfliteExportError } from '../../../errors/TfliteExportError';
import { GraphTensor, type GraphOp, type TfliteGraph } from '../TfliteGraph';

/**
 * `float16` mode: every float32 constant (kernels, biases, BatchNorm vectors) is stored as
 * float16 and turned back into float32 by a DEQUANTIZE operator (version 3) at the start of the
 * graph, which TFLite runs once when it prepares the model. Activations stay float32. This is
 * the TF converter's float16 quantization (`supported_types = [tf.float16]`).
 *
 * @throws TfliteExportError (`numeric`) for a weight beyond float16's ±65504.
 */
export function toFloat16Graph(graph: TfliteGraph): void {
  const converted = new Map<GraphTensor, GraphTensor>();
  const dequantizeOps: GraphOp[] = [];
  for (const op of graph.ops) {
    op.inputs = op.inputs.map((t) => {
      if (!(t.data instanceof Float32Array)) return t;
      let deq = converted.get(t);
      if (!deq) {
        const half = new Uint16Array(t.data.length);
        for (let i = 0; i < half.length; i++) {
          const v = t.data[i];
          if (Math.abs(v) > 65504) {
            throw new TfliteExportError(
              'numeric',
              `TFLite export (float16): '${t.source?.weightId ?? t.name}' element ${i} is ${v}, beyond float16's range ±65504`,
            );
          }
          half[i] = toFloat16Bits(v);
        }
        const stored = new GraphTensor(t.name, t.shape, 'float16', half);
        stored.source = t.source;
        deq = new GraphTensor(`${t.name}/dequantized`, t.shape, 'float32');
        dequantizeOps.push({ code: 'DEQUANTIZE', inputs: [stored], outputs: [deq], options: {}, layer: op.layer, className: op.className });
        converted.set(t, deq);
      }
      return deq;
    });
  }
  graph.ops.unshift(...dequantizeOps);
}
