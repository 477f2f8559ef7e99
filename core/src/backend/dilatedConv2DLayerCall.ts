/**
 * Makes tfjs's `Conv2D` layer differentiable with a dilation above 1, for as long as it is held.
 *
 * Why this exists: the layer computes through `tf.fused.conv2d`, whose gradient is a closure
 * (`customGrad`) that refuses dilations ("dilation rates greater than 1 are not yet supported in
 * gradients") — no gradient registration can replace it. The plain `tf.conv2d` op has a
 * registered gradient, which collabopt replaces with one that handles dilation
 * ({@link conv2DDilatedGradient}).
 *
 * How: while held, the `call` of tfjs's convolution base class routes 2-D, channels-last calls
 * with a dilation above 1 to `tf.conv2d` + bias + the layer's activation — the values the fused
 * op computes, through ops that can be differentiated; every other call runs the original. The
 * patch is on the class prototype (instances keep no own property, so `getConfig`, saving and
 * collabopt's forward hooks, which read `call` through the instance, see the same layer), and the
 * original is put back when the last holder releases it.
 */
import * as tf from '@tensorflow/tfjs';
import { dilationPair } from './dilateFilter';

type CallFn = (this: ConvFields, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/** What the patched call reads from a tfjs convolution layer. */
interface ConvFields {
  readonly rank: number;
  readonly dilationRate: number | number[];
  readonly dataFormat: string;
  readonly strides: number[];
  readonly padding: string;
  readonly kernel: { read(): tf.Tensor };
  readonly bias: { read(): tf.Tensor } | null;
  readonly activation: { apply(x: tf.Tensor): tf.Tensor } | null;
}

let holders = 0;
let restore: (() => void) | null = null;

/** The prototype that owns tfjs's convolution `call` (the `Conv` base of Conv1D/2D/3D). */
function convPrototype(): { call: CallFn } {
  // Named, so that making it draws no number from tfjs's automatic layer names (a user's next
  // unnamed Conv2D keeps the name it would have had).
  const probe = tf.layers.conv2d({ filters: 1, kernelSize: 1, name: 'collabopt_dilated_conv_probe' });
  let proto = Object.getPrototypeOf(probe) as object | null;
  while (proto != null && !Object.prototype.hasOwnProperty.call(proto, 'call')) proto = Object.getPrototypeOf(proto) as object | null;
  if (proto == null) throw new Error('collabopt: tfjs Conv2D layer has no call method to route dilated convolutions through');
  return proto as { call: CallFn };
}

/** Whether this call is one the fused op cannot differentiate and the patch computes instead. */
function routed(layer: ConvFields): boolean {
  if (layer.rank !== 2 || layer.dataFormat !== 'channelsLast') return false;
  const [dh, dw] = dilationPair(layer.dilationRate);
  return dh > 1 || dw > 1;
}

/**
 * Puts the routing in place (reference-counted) and returns its release; releasing twice is
 * harmless.
 */
export function holdDilatedConv2DLayerCall(): () => void {
  if (holders === 0) {
    const proto = convPrototype();
    const original = proto.call;
    const patched: CallFn = function (this: ConvFields, inputs, kwargs) {
      if (!routed(this)) return original.call(this, inputs, kwargs);
      return tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
        const pad = this.padding === 'same' ? 'same' : 'valid';
        let y: tf.Tensor = tf.conv2d(x, this.kernel.read() as tf.Tensor4D, this.strides as [number, number], pad, 'NHWC', dilationPair(this.dilationRate));
        if (this.bias != null) y = tf.add(y, this.bias.read());
        return this.activation != null ? this.activation.apply(y) : y;
      });
    };
    proto.call = patched;
    restore = () => {
      if (proto.call === patched) proto.call = original;
    };
  }
  holders++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    if (holders === 0) {
      restore?.();
      restore = null;
    }
  };
}
