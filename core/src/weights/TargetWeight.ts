import type * as tf from '@tensorflow/tfjs';

/**
 * The tfjs-layers variable type (not exported by name from @tensorflow/tfjs).
 * @group Weights
 */
export type LayerVariable = tf.layers.Layer['weights'][number];

/**
 * One weight of the user's model as the session sees it. The model's variable always holds the
 * projection `W = P(latent)` between batches (DESIGN.md §3); `latent` is the full-precision value
 * the optimizer really trains. Latents exist only for weights some plugin projects, and only from
 * session start to `finish()`.
 * @group Weights
 */
export class TargetWeight {
  /** `layerName/weightName`, e.g. `conv2d_1/kernel` or `bidirectional/forward_gru/kernel`. */
  readonly id: string;
  /** Name relative to the layer, e.g. `kernel`, `pointwise_kernel`, `recurrent_kernel`. */
  readonly weightName: string;
  /** The layer that owns the weight. */
  readonly layer: tf.layers.Layer;
  /** tfjs class name of the layer, e.g. `Conv2D`. */
  readonly className: string;
  /** The model's variable (it holds the projected value between batches). */
  readonly variable: LayerVariable;
  /** Shape of the weight (frozen). */
  readonly shape: readonly number[];
  /** Full-precision value trained by the optimizer (straight-through). Set while the session runs. */
  latent: tf.Variable | null = null;
  /** The value last written into the model (shares data with it until the optimizer steps). @internal */
  lastProjected: tf.Tensor | null = null;
  /** `W' − W` of the optimizer step being absorbed; readable only inside the `update` hook. */
  delta: tf.Tensor | null = null;

  constructor(layer: tf.layers.Layer, variable: LayerVariable) {
    this.layer = layer;
    this.variable = variable;
    this.className = layer.getClassName();
    const prefix = `${layer.name}/`;
    this.weightName = variable.originalName.startsWith(prefix)
      ? variable.originalName.slice(prefix.length)
      : variable.originalName.split('/').pop()!;
    this.id = `${layer.name}/${this.weightName}`;
    this.shape = Object.freeze(variable.shape.map((d) => d ?? -1));
  }

  /** Number of elements. */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** Whether the optimizer updates this weight (the layer and the variable are trainable). */
  get trainable(): boolean {
    return this.layer.trainable && this.variable.trainable;
  }

  /** The model's current value of this weight (not a copy: do not dispose). */
  value(): tf.Tensor {
    return this.variable.read();
  }
}
