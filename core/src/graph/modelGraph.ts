import * as tf from '@tensorflow/tfjs';
import { isNestedModel } from '../weights/isNestedModel';

/**
 * One call of a layer in a model's graph (a tfjs-layers `Node`).
 * @group Model graph
 */
export interface ModelGraphNode {
  /** Name of the layer that owns it. */
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
  /** Keyword arguments of the call (tfjs-layers' `callArgs`; `{}` for most calls). */
  readonly callArgs: Readonly<Record<string, unknown>>;
}

/**
 * A model input: its input layer, tensor key and symbolic tensor.
 * @group Model graph
 */
export interface ModelGraphInput {
  /** Name of the layer that owns it. */
  readonly layer: tf.layers.Layer;
  /** Key of the tensor it produces. */
  readonly key: string;
  /** Its symbolic tensor. */
  readonly symbolic: tf.SymbolicTensor;
}

/**
 * The call graph of a Sequential or functional model, in execution order, nested models inlined.
 * @group Model graph
 */
export interface ModelGraph {
  /** The graph inputs. */
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
  /** The graph inputs. */
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
  readonly callArgs?: Record<string, unknown>;
}

/** Key of output `tensorIndex` of call `nodeIndex` of `layer`, as tfjs-layers names them internally. */
function tensorKey(layerName: string, nodeIndex: number, tensorIndex: number): string {
  return `${layerName}_${nodeIndex}_${tensorIndex}`;
}

/**
 * Reads the call graph of a model the way tfjs-layers itself executes it (nodes by decreasing
 * depth), so shared layers, branches, residuals and multiple inputs/outputs come out exactly as
 * `predict` runs them. The model is not modified: a Sequential model whose inner functional model
 * tfjs has not made yet is read through a throwaway `tf.model` over the same layers.
 *
 * Nested models (a model used as a layer, at any depth) are inlined: their layers appear as nodes
 * of this graph, wired to the tensors the nested model was called on, so every consumer (support
 * check, lowering, calibration probes) sees one flat graph of ordinary layers. The layers are the
 * model's own objects, so weights, names and the session state keyed by them are shared.
 *
 * The one owner of "what feeds what" for every consumer that needs the graph rather than the
 * layer list ({@link modelLayers}): the quantization plan, the exporters, calibration.
 * @group Model graph
 */
export function modelGraph(model: tf.LayersModel): ModelGraph {
  const outer = readGraph(model);
  return outer.nodes.some((n) => isNestedModel(n.layer)) ? readGraph(withNestedModelsInlined(model, outer)) : outer;
}

/** The call graph exactly as tfjs-layers stores it; a nested model is one node. */
function readGraph(model: tf.LayersModel): ModelGraph {
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
        callArgs: node.callArgs ?? {},
      });
    }
  }
  const outputs = container.outputLayers.map((l, i) =>
    tensorKey(l.name, container.outputLayersNodeIndices[i], container.outputLayersTensorIndices[i]),
  );
  return { inputs, nodes, outputs };
}

/** Flat rebuilds of models with nested models, so repeated exports do not add nodes each time. */
const inlined = new WeakMap<tf.LayersModel, tf.LayersModel>();

/**
 * A functional model over the same inputs and the same layer objects as `model` (whose graph
 * `outer` has nested models), in which every nested model's layers are called directly.
 *
 * Why rebuild rather than walk: the calibration probes build `tf.model`s whose outputs are the
 * graph's symbolic tensors, which tfjs accepts only when they are connected to the inputs; inside
 * a nested model they are connected to the nested model's own inputs. Calling the inner layers
 * again on the outer tensors gives each layer one more inbound node (as any shared layer has) and
 * leaves the user's model, its weights and its `predict` untouched.
 */
function withNestedModelsInlined(model: tf.LayersModel, outer: ModelGraph): tf.LayersModel {
  const cached = inlined.get(model);
  if (cached) return cached;
  const mapped = new Map<tf.SymbolicTensor, tf.SymbolicTensor>();
  for (const input of outer.inputs) mapped.set(input.symbolic, input.symbolic);
  replay(outer, mapped);
  const flat = tf.model({ inputs: model.inputs, outputs: model.outputs.map((o) => mapped.get(o)!), name: `${model.name}_inlined` });
  inlined.set(model, flat);
  return flat;
}

/**
 * Calls every node of `graph` on the tensors `mapped` gives for its inputs, recording the tensors
 * it produces; nested models are replayed node by node from their own graph. A node whose inputs
 * are unchanged keeps its own outputs, so layers before the first nested model get no new node.
 */
function replay(graph: ModelGraph, mapped: Map<tf.SymbolicTensor, tf.SymbolicTensor>): void {
  for (const node of graph.nodes) {
    const inputs = node.symbolicInputs.map((s) => {
      const m = mapped.get(s);
      if (!m) throw new Error(`modelGraph: layer '${node.layer.name}' consumes a tensor produced outside its model's graph`);
      return m;
    });
    let outputs: readonly tf.SymbolicTensor[];
    if (isNestedModel(node.layer)) {
      const inner = readGraph(node.layer);
      if (inner.inputs.length !== inputs.length) {
        throw new Error(`modelGraph: nested model '${node.layer.name}' has ${inner.inputs.length} input(s) but is called with ${inputs.length}`);
      }
      const innerMapped = new Map<tf.SymbolicTensor, tf.SymbolicTensor>();
      inner.inputs.forEach((input, i) => innerMapped.set(input.symbolic, inputs[i]!));
      replay(inner, innerMapped);
      const innerOutputs = (node.layer as tf.LayersModel).outputs;
      outputs = innerOutputs.map((o) => innerMapped.get(o)!);
    } else if (inputs.every((t, i) => t === node.symbolicInputs[i])) {
      outputs = node.symbolicOutputs;
    } else {
      const applied = node.layer.apply(inputs.length === 1 ? inputs[0]! : inputs, node.callArgs as tf.serialization.ConfigDict);
      outputs = Array.isArray(applied) ? (applied as tf.SymbolicTensor[]) : [applied as tf.SymbolicTensor];
    }
    node.symbolicOutputs.forEach((s, i) => mapped.set(s, outputs[i]!));
  }
}
