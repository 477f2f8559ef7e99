/**
 * A weight-side plugin written from scratch, with its own invariant: `powerOfTwo` keeps every
 * targeted kernel on {0, ±2^e} so that a multiplier-free runtime can replace multiplications
 * by shifts. docs/guides/authoring-plugins.md builds it step by step; powerOfTwo.test.ts tests it.
 */
import * as tf from '@tensorflow/tfjs';
// #region imports
import {
  definePlugin,
  PluginOptionsError,
  registerInvariant,
  selectorListSchema,
  Stage,
  StateError,
  type Invariant,
  type LayerSupport,
  type Selector,
  type PluginContext,
} from '@collabopt/core';
// #endregion imports

// #region invariant
/** Data of the `power-of-two` invariant: the exponent range. */
export interface PowerOfTwoData {
  readonly minExponent: number;
  readonly maxExponent: number;
}

/** `power-of-two`: every value is 0 or ±2^e with an integer e in [minExponent, maxExponent]. */
export const PowerOfTwoInvariant: Invariant<PowerOfTwoData> = registerInvariant<PowerOfTwoData>({
  name: 'power-of-two',
  description: 'values are 0 or ±2^e with integer e in [minExponent, maxExponent]',
  check(value, { minExponent, maxExponent }) {
    const v = value.dataSync(); // one read-back: check() runs every epoch (every step in tests)
    for (let i = 0; i < v.length; i++) {
      if (v[i] === 0) continue;
      const e = Math.round(Math.log2(Math.abs(v[i])));
      if (Math.abs(v[i]) !== 2 ** e || e < minExponent || e > maxExponent) {
        return `element ${i} = ${v[i]} is not 0 or ±2^e with e in [${minExponent}, ${maxExponent}]`;
      }
    }
    return null;
  },
  encode: (data) => ({ minExponent: data.minExponent, maxExponent: data.maxExponent }),
  decode(json) {
    const o = json as Partial<PowerOfTwoData> | null;
    if (!o || !Number.isInteger(o.minExponent) || !Number.isInteger(o.maxExponent)) {
      throw new StateError(`power-of-two: saved data must be {minExponent, maxExponent} integers, got ${JSON.stringify(json)}`);
    }
    return { minExponent: o.minExponent!, maxExponent: o.maxExponent! };
  },
});
// #endregion invariant

// #region options
/**
 * The options as JSON Schema: the one place each option's type, description and default is
 * written. Validation fills the defaults in; recipes and editors show the descriptions.
 */
export const powerOfTwoOptionsSchema = {
  type: 'object',
  properties: {
    minExponent: {
      type: 'integer',
      minimum: -126,
      maximum: 127,
      default: -8,
      description: 'Smallest exponent; magnitudes below 2^(minExponent − 1) become 0.',
    },
    maxExponent: {
      type: 'integer',
      minimum: -126,
      maximum: 127,
      default: 0,
      description: 'Largest exponent; larger magnitudes are clipped to 2^maxExponent.',
    },
    include: { ...selectorListSchema, description: 'Layers to constrain. Omitted: every Dense and Conv2D kernel.', examples: [['fc1']] },
    exclude: { ...selectorListSchema, description: 'Layers to leave alone; wins over `include`. Omitted: none.', examples: [['fc2']] },
  },
  additionalProperties: false,
} as const;

/** Options of {@link powerOfTwo} after validation; see {@link powerOfTwoOptionsSchema}. */
export interface PowerOfTwoOptions {
  readonly minExponent: number;
  readonly maxExponent: number;
  readonly include?: readonly Selector[];
  readonly exclude?: readonly Selector[];
}

// The interface and the schema name the same options: this stops compiling when they drift.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : never) : never;
true satisfies SameKeys<PowerOfTwoOptions, typeof powerOfTwoOptionsSchema.properties>;
// #endregion options

// #region projection
/** Rounds each value to the nearest power of two in log space; 0 stays 0. */
export function roundToPowerOfTwo(w: tf.Tensor, minExponent: number, maxExponent: number): tf.Tensor {
  return tf.tidy(() => {
    const magnitude = tf.abs(w);
    const exponent = tf.clipByValue(tf.round(tf.div(tf.log(magnitude), Math.LN2)), minExponent, maxExponent);
    const rounded = tf.mul(tf.sign(w), tf.pow(2, exponent));
    return tf.where(tf.less(magnitude, 2 ** (minExponent - 1)), tf.zerosLike(w), rounded);
  });
}
// #endregion projection

// #region plugin
const NAME = 'powerOfTwo';

/** Which weights the plugin handles: kernels of Dense and Conv2D layers, never biases. */
const support: LayerSupport = (layer) => (['Dense', 'Conv2D'].includes(layer.getClassName()) ? { default: ['kernel'] } : null);

/** Keeps every targeted kernel on {0, ±2^e}. Establishes `power-of-two`; preserves `sparsity` and `clusters`. */
export const powerOfTwo = definePlugin<PowerOfTwoOptions>({
  name: NAME,
  optionsSchema: powerOfTwoOptionsSchema,
  // 0 maps to 0, and k distinct values map to at most k: sparsity and clusters survive.
  invariants: { establishes: ['power-of-two'], preserves: ['sparsity', 'clusters'], requires: [] },
  create(options) {
    const { minExponent, maxExponent, include, exclude } = options;
    // What JSON Schema cannot say is checked here, and reported like a schema error.
    if (minExponent > maxExponent) {
      throw new PluginOptionsError(NAME, [{ pointer: '/minExponent', expected: `at most maxExponent (${maxExponent})`, received: minExponent }]);
    }
    return {
      apply(ctx: PluginContext) {
        const targets = ctx.targets({ plugin: NAME, support, spec: { include, exclude }, defaults: {} });
        for (const { weight } of targets) {
          ctx.state.establish(weight.id, PowerOfTwoInvariant, { minExponent, maxExponent }, NAME);
          // CONSTRAIN: after masks (STRUCTURE), before fake quantization (EMULATE).
          ctx.hooks.project
            .for(weight.id)
            .tap({ name: NAME, stage: Stage.CONSTRAIN }, (value) => roundToPowerOfTwo(value, minExponent, maxExponent));
        }
      },
    };
  },
});
// #endregion plugin
