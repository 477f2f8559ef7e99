import type { LayerSupport } from '@collabopt/core';

/** Layers whose only prunable weight is `kernel` (biases only on explicit request). */
const KERNEL_LAYERS = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv2DTranspose', 'Conv3D']);
const RNN_LAYERS = new Set(['LSTM', 'GRU', 'SimpleRNN', 'RNN']);
/**
 * Layers that have weights but nothing worth pruning or clustering (TFMOT: "supported, no prunable weights").
 * PReLU's `alpha` is one slope per channel (or position): a zeroed slope turns the unit into a ReLU
 * (a change of function, not a sparsity), and clustering a few hundred values saves nothing.
 */
const NOTHING_TO_PRUNE = new Set(['BatchNormalization', 'LayerNormalization', 'PReLU']);

/**
 * The weights that weight-side plugins (`prune`, `sparsityConstraint`'s derivation, `cluster`)
 * target, after TFMOT's prune and cluster registries: kernels of Dense and convolutions, the
 * pointwise kernel of SeparableConv2D, Embedding tables, and the kernels and recurrent kernels of
 * recurrent layers (also inside Bidirectional). Biases never by default.
 *
 * Porting note: TFMOT gives DepthwiseConv2D no prunable or clusterable weights (PR #437, accuracy
 * loss); here its kernel can be targeted when the layer is selected explicitly (issue #1132).
 * @group Plugin utilities
 */
export const kernelSupport: LayerSupport = (layer) => {
  const cls = layer.getClassName();
  if (KERNEL_LAYERS.has(cls)) return { default: ['kernel'], byId: ['bias'] };
  if (cls === 'SeparableConv2D') return { default: ['pointwise_kernel'], explicit: ['depthwise_kernel'], byId: ['bias'] };
  if (cls === 'DepthwiseConv2D') return { default: [], explicit: ['depthwise_kernel'], byId: ['bias'] };
  if (cls === 'Embedding') return { default: ['embeddings'] };
  if (RNN_LAYERS.has(cls) || cls === 'Bidirectional' || cls === 'TimeDistributed') {
    // Weight names are relative to the layer: `kernel`, or `forward_lstm_LSTM1/kernel` inside Bidirectional.
    const names = layer.weights.map((w) => {
      const prefix = `${layer.name}/`;
      return w.originalName.startsWith(prefix) ? w.originalName.slice(prefix.length) : w.originalName;
    });
    return {
      default: names.filter((n) => /(^|\/)(kernel|recurrent_kernel)$/.test(n)),
      byId: names.filter((n) => /(^|\/)bias$/.test(n)),
    };
  }
  if (NOTHING_TO_PRUNE.has(cls)) return { default: [] };
  return null;
};
