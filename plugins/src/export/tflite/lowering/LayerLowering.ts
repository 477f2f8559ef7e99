import type { GraphTensor } from '../TfliteGraph';
import type { LayerConfig } from './layerConfig';
import type { LoweringContext } from './LoweringContext';
import type { ModelGraphNode } from '@collabopt/core';

/**
 * How one tfjs layer class becomes TFLite operators: the unit of the lowering registry
 * (`layerLowerings`). Adding a layer class is one module exporting one of these plus one line in
 * the registry; the supported-class list and the support check derive from the registry.
 */
export interface LayerLowering {
  /** The tfjs class name (`layer.getClassName()`). */
  readonly className: string;
  /**
   * Why this call of the layer cannot be written, or null. Runs before anything is built, after
   * the checks common to every class (fixed shapes, channels-last data); omitted
   * when every configuration of the class can be lowered.
   */
  readonly check?: (node: ModelGraphNode, config: LayerConfig) => string | null;
  /**
   * Why this call cannot be written in `int8` mode (full integer), or null: TFLite has no int8
   * kernel for what the lowering emits, or the quantize plugin cannot emulate every rounding the
   * int8 file would perform (the fidelity contract). Consulted by `checkTfliteSupport(model,
   * 'int8')` — so by the `tflite` plugin and the recipes' checks before anything trains — after
   * `check` passed; omitted when the class is delivered in int8.
   */
  readonly int8Problem?: (node: ModelGraphNode, config: LayerConfig) => string | null;
  /**
   * Emits the operators of one call through `ctx` and returns the tensors that hold the call's
   * outputs (in the layer's output order). Only called for calls that passed `check`.
   */
  readonly lower: (ctx: LoweringContext, node: ModelGraphNode, inputs: readonly GraphTensor[], config: LayerConfig) => GraphTensor[];
}
