import type { LayerSupport } from '@collabopt/core';

/** Layers whose only prunable weight is `kernel` (biases only on explicit request). */
const KERNEL_LAYERS = new Set(['Dense', 'Conv1D', 'Conv2D', 'Conv2DTranspose', 'Conv3D']);
const RNN_LAYERS = new Set(['LSTM', 'GRU', 'SimpleRNN', 'RNN']);
/** Layers that have weights but nothing worth pruning (TFMOT: "supported, no prunable weights"). */
const NOTHING_TO_PRUNE = new Set(['BatchNormalization', 'LayerNormalization']);

/**
 * What `prune` (and `sparsityConstraint`'s derivation) targets, after TFMOT's prune registry
 * (`S/prune_registry.py`): kernels of Dense and convolutions, the pointwise kernel of
 * SeparableConv2D, Embedding tables, and the kernels and recurrent kernels of recurrent layers
 * (also inside Bidirectional). Biases never by default.
 *
 * Porting note: TFMOT gives DepthwiseConv2D no prunable weights (PR #437, accuracy loss); here its
 * kernel can be pruned when the layer is selected explicitly (issue #1132 asks for it).
 */
export const pruneSupport: LayerSupport = (layer) => {
  const cls = layer.getClassName();
  if (KERNEL_LAYERS.has(cls)) return { default: ['kernel'], explicit: ['bias'] };
  if (cls === 'SeparableConv2D') return { default: ['pointwise_kernel'], explicit: ['depthwise_kernel', 'bias'] };
  if (cls === 'DepthwiseConv2D') return { default: [], explicit: ['depthwise_kernel', 'bias'] };
  if (cls === 'Embedding') return { default: ['embeddings'] };
  if (RNN_LAYERS.has(cls) || cls === 'Bidirectional' || cls === 'TimeDistributed') {
    // Weight names are relative to the layer: `kernel`, or `forward_lstm_LSTM1/kernel` inside Bidirectional.
    const names = layer.weights.map((w) => {
      const prefix = `${layer.name}/`;
      return w.originalName.startsWith(prefix) ? w.originalName.slice(prefix.length) : w.originalName;
    });
    return {
      default: names.filter((n) => /(^|\/)(kernel|recurrent_kernel)$/.test(n)),
      explicit: names.filter((n) => /(^|\/)bias$/.test(n)),
    };
  }
  if (NOTHING_TO_PRUNE.has(cls)) return { default: [] };
  return null;
};
