import * as tf from '@tensorflow/tfjs';

/** The fields of a tfjs SimpleRNN (and its cell) that its forward pass reads. */
interface SimpleRnnFields {
  readonly cell: {
    readonly kernel: { read(): tf.Tensor2D };
    readonly recurrentKernel: { read(): tf.Tensor2D };
    readonly bias: { read(): tf.Tensor1D } | null;
    readonly activation: { apply(x: tf.Tensor): tf.Tensor };
  };
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
}

/** Where {@link simpleRnnForward} passes its inner values (each returns the value to go on with). */
export interface SimpleRnnTaps {
  /** Every step's input projection `x·W + b`, `[batch, steps, units]`, once. */
  readonly projection: (v: tf.Tensor) => tf.Tensor;
  /** A step's recurrent product `h·U` (from the second step on; the state starts at zero). */
  readonly recurrent: (v: tf.Tensor) => tf.Tensor;
  /** A step's `x·W + b + h·U`, before the activation (from the second step on). */
  readonly preActivation: (v: tf.Tensor) => tf.Tensor;
  /** A step's new state, after the activation. */
  readonly state: (h: tf.Tensor) => tf.Tensor;
}

/**
 * A SimpleRNN's forward pass computed as the exporter unrolls it (one input projection for all
 * steps, then per step `activation(x_t·W + b + h·U)`, the first step without the recurrent term),
 * with the inner values passed through `taps`: the int8 file rounds at each of them, so the
 * fake-quant model has to round there too. With identity taps it computes what the layer's
 * `call` computes (`goBackwards`, `returnSequences`, `returnState` honoured).
 *
 * Porting note: TFMOT has no QAT for recurrent layers. Dropout and recurrent dropout are not
 * applied: the emulated layer trains as it infers.
 *
 * @param layer a built tfjs SimpleRNN.
 * @param x its input `[batch, steps, features]`.
 * @group Quantization numerics
 */
export function simpleRnnForward(layer: tf.layers.Layer, x: tf.Tensor, taps: SimpleRnnTaps): tf.Tensor | tf.Tensor[] {
  const l = layer as unknown as SimpleRnnFields;
  return tf.tidy(() => {
    const [batch, steps, features] = x.shape as [number, number, number];
    const kernel = l.cell.kernel.read();
    const units = kernel.shape[1];
    let projected: tf.Tensor = tf.reshape(tf.matMul(tf.reshape(x, [batch * steps, features]), kernel), [batch, steps, units]);
    if (l.cell.bias) projected = tf.add(projected, l.cell.bias.read());
    const all = taps.projection(projected);
    // tfjs's unstack cannot be differentiated when it has one output (its gradient stacks a lone tensor).
    const perStep = steps === 1 ? [tf.reshape(all, [batch, units])] : tf.unstack(all, 1);
    if (l.goBackwards) perStep.reverse();
    const recurrentKernel = l.cell.recurrentKernel.read();
    const outputs: tf.Tensor[] = [];
    let h: tf.Tensor | null = null;
    for (const xw of perStep) {
      const pre: tf.Tensor = h === null ? xw : taps.preActivation(tf.add(xw, taps.recurrent(tf.matMul(h as tf.Tensor2D, recurrentKernel))));
      h = taps.state(l.cell.activation.apply(pre));
      outputs.push(h);
    }
    const out = l.returnSequences ? tf.stack(outputs, 1) : h!;
    return l.returnState ? [out, h!] : out;
  });
}
