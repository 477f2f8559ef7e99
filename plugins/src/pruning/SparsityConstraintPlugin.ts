/**
 * `sparsityConstraint`: keeps an existing sparsity mask through any later training. Composed with
 * `cluster` it gives sparsity-preserving clustering, with `quantize` PQAT, with both PCQAT.
 *
 * The mask of each weight comes from the inherited optimization state (an earlier `prune` stage),
 * or — for weights without one, as TFMOT does between stages — from the zeros of the weight
 * (`derive`). The projection multiplies by the fixed mask at Stage.STRUCTURE and re-zeroes the
 * latent, so pruned weights stay exactly zero at every step.
 *
 * Porting note: TFMOT's PQAT applies its mask inside the forward pass only; the optimizer keeps
 * moving the pruned weights and they "drift away after final propagation" (PRs #720/#721, closed
 * unmerged). Here the latent itself is re-zeroed, so nothing drifts.
 */
import * as tf from '@tensorflow/tfjs';
import {
  definePlugin,
  outputChannelLayout,
  SparsityInvariant,
  Stage,
  type PluginContext,
  type SparsityData,
} from '@collabopt/core';
import { kernelSupport } from '../common/kernelSupport';
import type { SparsityConstraintOptions } from './SparsityConstraintOptions';
import { sparsityConstraintOptionsSchema } from './sparsityConstraintOptionsSchema';

const NAME = 'sparsityConstraint';

/**
 * Keeps an existing sparsity mask through later training: the inherited mask of each weight, or
 * (with `derive`, the default) the zeros of supported kernels that have none. Pruned weights and
 * their latents stay exactly zero at every step. Establishes `sparsity`; preserves `int8-grid`.
 *
 * ```ts
 * collab(model, [sparsityConstraint(), quantize()], { state }); // PQAT
 * ```
 * @group Pruning
 */
export const sparsityConstraint = definePlugin<SparsityConstraintOptions>({
  name: NAME,
  optionsSchema: sparsityConstraintOptionsSchema,
  // Masking keeps the symmetric int8 grid (0 is on it); it can add a 0 to a clustered tensor, so it
  // does not claim to preserve `clusters` — the composer therefore runs it before `cluster`.
  // Each value is kept or zeroed: keeps what is preserved by masking (`int8-grid`: 0 is on it).
  invariants: { establishes: ['sparsity'], preserves: [], requires: [], traits: ['mask-only', 'zero-preserving'] },
  create(options) {
    return {
      apply(session: PluginContext) {
        // Candidates: every weight with an inherited mask (even ones only prunable on request,
        // such as depthwise kernels), plus supported kernels with zeros when deriving.
        const inherited = new Set(session.state.weightIds().filter((id) => session.state.has(id, 'sparsity')));
        const targets = session.targets<Record<string, never>>({
          plugin: NAME,
          support: (layer) => {
            const kept = [...session.modelWeights.values()].filter((w) => w.layer === layer && inherited.has(w.id)).map((w) => w.weightName);
            const derivable = options.derive ? kernelSupport(layer)?.default ?? [] : [];
            const sup = kernelSupport(layer);
            return { default: [...new Set([...kept, ...derivable])], explicit: [...(sup?.explicit ?? [])], byId: [...(sup?.byId ?? [])] };
          },
          spec: { include: options.include, exclude: options.exclude },
          defaults: {},
        });
        let count = 0;
        for (const { weight } of targets) {
          const record = session.state.get<SparsityData>(weight.id, 'sparsity');
          let mask: tf.Tensor;
          if (record) {
            mask = tf.keep(tf.clone(record.data.mask));
          } else {
            const derived = SparsityInvariant.derive!(weight.value(), outputChannelLayout(weight.className, weight.weightName, weight.shape));
            if (!derived) continue;
            mask = tf.keep(derived.mask);
          }
          session.state.establish(weight.id, SparsityInvariant, { mask: tf.keep(tf.clone(mask)) }, NAME);
          count++;
          session.hooks.project.for(weight.id).tap({ name: NAME, stage: Stage.STRUCTURE }, (value, ctx) => {
            // First in the chain the value *is* the latent: one multiply serves both.
            const maskedLatent = tf.mul(ctx.latent, mask);
            ctx.setLatent(maskedLatent);
            return value === ctx.latent ? maskedLatent : tf.mul(value, mask);
          });
          session.hooks.finish.tap({ name: NAME, stage: Stage.STRUCTURE }, () => mask.dispose());
        }
        if (count === 0) session.warn(`${NAME}: no targeted weight has a sparsity mask to keep (none inherited${options.derive ? ', none with zeros' : ''})`);
      },
    };
  },
});

