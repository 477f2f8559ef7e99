/**
 * Small test-only plugins that exercise the core without the real pruning/clustering/quantization
 * plugins: a fixed mask (establishes `sparsity`), rounding to a grid (establishes `test-grid`,
 * preserves `sparsity`), clipping (preserves both), a noise plugin that declares nothing, a liar
 * that declares it preserves `sparsity` but breaks it after a given step, and an output scaler
 * that uses forward hooks.
 */
import * as tf from '@tensorflow/tfjs';
import {
  definePlugin,
  registerInvariant,
  Stage,
  SparsityInvariant,
  type Invariant,
  type PluginContext,
  type StageBand,
} from '@collabopt/core';

/** `test-grid`: every value is a multiple of `step`. */
export const TestGridInvariant: Invariant<{ step: number }> = registerInvariant<{ step: number }>({
  name: 'test-grid',
  description: 'values are multiples of step',
  check(value, data) {
    const v = value.dataSync();
    for (let i = 0; i < v.length; i++) {
      const q = v[i] / data.step;
      if (Math.abs(q - Math.round(q)) > 1e-4) return `element ${i} = ${v[i]} is not a multiple of ${data.step}`;
    }
    return null;
  },
  encode: (d) => ({ step: d.step }),
  decode: (j) => ({ step: (j as { step: number }).step }),
});

/** Kernels of Dense layers only. */
const denseKernels = (layer: tf.layers.Layer) => (layer.getClassName() === 'Dense' ? { default: ['kernel'] } : null);

/** Zeroes every `every`-th element (flat index % every === 0) of each Dense kernel. */
export const testMask = definePlugin<{ every: number; zeroLatent: boolean; band: number }>({
  name: 'test-mask',
  optionsSchema: {
    type: 'object',
    properties: {
      every: { type: 'integer', minimum: 1, default: 3 },
      zeroLatent: { type: 'boolean', default: false },
      band: { type: 'number', default: Stage.STRUCTURE },
    },
    additionalProperties: false,
  },
  invariants: { establishes: ['sparsity'], preserves: ['test-grid'], requires: [] },
  create(options) {
    return {
      apply(session: PluginContext) {
        for (const { weight } of session.targets({ plugin: 'test-mask', support: denseKernels, defaults: {} })) {
          const maskValues = new Float32Array(weight.size).map((_, i) => (i % options.every === 0 ? 0 : 1));
          const mask = tf.tensor(maskValues, [...weight.shape]);
          session.state.establish(weight.id, SparsityInvariant, { mask }, 'test-mask');
          session.hooks.project.for(weight.id).tap({ name: 'test-mask', stage: options.band as StageBand }, (value, ctx) => {
            const masked = tf.mul(value, mask);
            if (options.zeroLatent) ctx.setLatent(tf.mul(ctx.latent, mask));
            return masked;
          });
        }
      },
    };
  },
});

/** Rounds Dense kernels to multiples of `step`. */
export const testRound = definePlugin<{ step: number }>({
  name: 'test-round',
  optionsSchema: {
    type: 'object',
    properties: { step: { type: 'number', exclusiveMinimum: 0, default: 0.05 } },
    additionalProperties: false,
  },
  invariants: { establishes: ['test-grid'], preserves: ['sparsity'], requires: [] },
  create(options) {
    return {
      apply(session) {
        for (const { weight } of session.targets({ plugin: 'test-round', support: denseKernels, defaults: {} })) {
          session.state.establish(weight.id, TestGridInvariant, { step: options.step }, 'test-round');
          session.hooks.project
            .for(weight.id)
            .tap({ name: 'test-round', stage: Stage.CONSTRAIN }, (value) => tf.mul(tf.round(tf.div(value, options.step)), options.step));
        }
      },
    };
  },
});

/** Clips Dense kernels to [-limit, limit] (limit a multiple of the grid: preserves both). */
export const testClip = definePlugin<{ limit: number }>({
  name: 'test-clip',
  optionsSchema: {
    type: 'object',
    properties: { limit: { type: 'number', exclusiveMinimum: 0, default: 0.5 } },
    additionalProperties: false,
  },
  invariants: { establishes: [], preserves: ['sparsity', 'test-grid'], requires: [] },
  create(options) {
    return {
      apply(session) {
        for (const { weight } of session.targets({ plugin: 'test-clip', support: denseKernels, defaults: {} })) {
          session.hooks.project
            .for(weight.id)
            .tap({ name: 'test-clip', stage: Stage.EMULATE }, (value) => tf.clipByValue(value, -options.limit, options.limit));
        }
      },
    };
  },
});

/** Adds a constant to Dense kernels in the given band; declares nothing (so it preserves nothing). */
export const testNoise = definePlugin<{ band: number }>({
  name: 'test-noise',
  optionsSchema: {
    type: 'object',
    properties: { band: { type: 'number', default: Stage.EMULATE } },
    additionalProperties: false,
  },
  invariants: { establishes: [], preserves: [], requires: [] },
  create(options) {
    return {
      apply(session) {
        for (const { weight } of session.targets({ plugin: 'test-noise', support: denseKernels, defaults: {} })) {
          session.hooks.project.for(weight.id).tap({ name: 'test-noise', stage: options.band as StageBand }, (value) => tf.add(value, 0.01));
        }
      },
    };
  },
});

/** Claims to preserve sparsity, but from step `fromStep` on adds 1 to every element: a runtime violation. */
export const testLiar = definePlugin<{ fromStep: number }>({
  name: 'test-liar',
  optionsSchema: {
    type: 'object',
    properties: { fromStep: { type: 'integer', minimum: 0, default: 3 } },
    additionalProperties: false,
  },
  invariants: { establishes: [], preserves: ['sparsity', 'test-grid'], requires: [] },
  create(options) {
    return {
      apply(session) {
        for (const { weight } of session.targets({ plugin: 'test-liar', support: denseKernels, defaults: {} })) {
          session.hooks.project
            .for(weight.id)
            .tap({ name: 'test-liar', stage: Stage.EMULATE }, (value, ctx) => (ctx.step >= options.fromStep ? tf.add(value, 1) : value));
        }
      },
    };
  },
});

/** Requires an invariant (like the int8 exporter requires `int8-grid`). */
export const testNeeds = definePlugin<{ invariant: string }>({
  name: 'test-needs',
  optionsSchema: {
    type: 'object',
    properties: { invariant: { type: 'string', default: 'int8-grid' } },
    additionalProperties: false,
  },
  invariants: (o) => ({ establishes: [], preserves: [], requires: [o.invariant] }),
  create() {
    return { apply() {} };
  },
});

/** Multiplies the output of the named layer by `factor` through a forward hook (gradient flows through the multiply). */
export const testScaleOutput = definePlugin<{ layer: string; factor: number }>({
  name: 'test-scale-output',
  optionsSchema: {
    type: 'object',
    properties: { layer: { type: 'string' }, factor: { type: 'number', default: 2 } },
    required: ['layer'],
    additionalProperties: false,
  },
  invariants: { establishes: [], preserves: ['sparsity', 'test-grid'], requires: [] },
  create(options) {
    return {
      apply(session) {
        session.hooks.layerOutput
          .for(options.layer)
          .tap({ name: 'test-scale-output', stage: Stage.EMULATE }, (out) => tf.mul(out as tf.Tensor, options.factor));
      },
    };
  },
});
