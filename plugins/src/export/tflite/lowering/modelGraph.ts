import * as tf from '@tensorflow/tfjs';

/** One call of a layer in a model's graph (a tfjs-layers `Node`). */
export interface ModelGraphNode {
  readonly layer: tf.layers.Layer;
  /** Index of this call among the layer's inbound nodes (0 unless the layer is shared). */
  readonly nodeIndex: number;
  /** Keys of the tensors the call consumes, in the layer's input order. */
  readonly inputs: readonly string[];
  /** Keys of the tensors the call produces. */
  readonly outputs: readonly string[];
  /** The symbolic tensors the call produces (same order as `outputs`). */
  readonly symbolicOutputs: readonly tf.SymbolicTensor[];
  /** The symbolic tensors the call consumes (same order as `inputs`). */
  readonly symbolicInputs: readonly tf.SymbolicTensor[];
}

/** A model input: its input layer, tensor key and symbolic tensor. */
export interface ModelGraphInput {
  readonly layer: tf.layers.Layer;
  readonly key: string;
  readonly symbolic: tf.SymbolicTensor;
}

/** The call graph of a Sequential or functional model, in execution order. */
export interface ModelGraph {
  readonly inputs: readonly ModelGraphInput[];
  /** Every layer call except input layers, producers before consumers. */
  readonly nodes: readonly ModelGraphNode[];
  /** Keys of the model's output tensors, in `model.outputs` order. */
  readonly outputs: readonly string[];
}

/** The parts of tfjs-layers' `Container` and `Node` this module reads (not in the public typings). */
interface ContainerInternals {
  readonly nodesByDepth: Record<string, NodeInternals[]>;
  readonly inputLayers: tf.layers.Layer[];
  readonly inputLayersNodeIndices: number[];
  readonly inputLayersTensorIndices: number[];
  readonly outputLayers: tf.layers.Layer[];
  readonly outputLayersNodeIndices: number[];
  readonly outputLayersTensorIndices: number[];
  readonly inputs: tf.SymbolicTensor[];
  /** A Sequential model's inner functional model, made lazily by tfjs. */
  readonly model?: ContainerInternals | null;
}

interface NodeInternals {
  readonly outboundLayer: tf.layers.Layer & { inboundNodes: NodeInternals[] };
  readonly inboundLayers: tf.layers.Layer[];
  readonly nodeIndices: number[];
  readonly tensorIndices: number[];
  readonly inputTensors: tf.SymbolicTensor[];
  readonly outputTensors: tf.SymbolicTensor[];
}

/** Key of output `tensorIndex` of call `nodeIndex` of `layer`, as tfjs-layers names them internally. */
export function tensorKey(layerName: string, nodeIndex: number, tensorIndex: number): string {
  return `${layerName}_${nodeIndex}_${tensorIndex}`;
}

/**
 * Reads the call graph of a model the way tfjs-layers itself executes it (nodes by decreasing
 * depth), so shared layers, branches, residuals and multiple inputs/outputs come out exactly as
 * `predict` runs them. The model is not modified: a Sequential model whose inner functional model
 * tfjs has not made yet is read through a throwaway `tf.model` over the same layers.
 *
 * Nested models (a model used as a layer) appear as one node whose layer is a `LayersModel`;
 * callers decide whether they support them.
 */
export function modelGraph(model: tf.LayersModel): ModelGraph {
  let container = model as unknown as ContainerInternals;
  if (!container.nodesByDepth || Object.keys(container.nodesByDepth).length === 0 || container.inputLayers.length === 0) {
    container = (container.model ?? (tf.model({ inputs: model.inputs, outputs: model.outputs }) as unknown as ContainerInternals));
  }
  const inputIds = new Set(container.inputLayers.map((l) => l.id));
  const inputs: ModelGraphInput[] = container.inputLayers.map((layer, i) => ({
    layer,
    key: tensorKey(layer.name, container.inputLayersNodeIndices[i], container.inputLayersTensorIndices[i]),
    symbolic: container.inputs[i],
  }));
  const depths = Object.keys(container.nodesByDepth)
    .map(Number)
    .sort((a, b) => b - a);
  const nodes: ModelGraphNode[] = [];
  for (const depth of depths) {
    for (const node of container.nodesByDepth[String(depth)]) {
      const layer = node.outboundLayer;
      if (inputIds.has(layer.id)) continue;
      const nodeIndex = layer.inboundNodes.indexOf(node);
      nodes.push({
        layer,
        nodeIndex,
        inputs: node.inboundLayers.map((l, j) => tensorKey(l.name, node.nodeIndices[j], node.tensorIndices[j])),
        outputs: node.outputTensors.map((_, j) => tensorKey(layer.name, nodeIndex, j)),
        symbolicOutputs: [...node.outputTensors],
        symbolicInputs: [...node.inputTensors],
      });
    }
  }
  const outputs = container.outputLayers.map((l, i) =>
    tensorKey(l.name, container.outputLayersNodeIndices[i], container.outputLayersTensorIndices[i]),
  );
  return { inputs, nodes, outputs };
}
