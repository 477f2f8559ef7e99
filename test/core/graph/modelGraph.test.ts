import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { modelGraph, type ModelGraph } from '@collabopt/core';

/** Every node consumes only graph inputs or outputs of earlier nodes; the outputs are produced. */
function expectWellFormed(graph: ModelGraph): void {
  const known = new Set(graph.inputs.map((i) => i.key));
  for (const node of graph.nodes) {
    for (const key of node.inputs) expect(known.has(key), `${node.layer.name} reads ${key} before it is made`).to.equal(true);
    for (const key of node.outputs) known.add(key);
  }
  for (const key of graph.outputs) expect(known.has(key), `output ${key}`).to.equal(true);
}

/** A block of two inputs (add → dense) called twice: a shared nested model. */
function sharedBlock(): tf.LayersModel {
  const a = tf.input({ shape: [6] });
  const b = tf.input({ shape: [6] });
  const sum = tf.layers.add({ name: 'blk_add' }).apply([a, b]) as tf.SymbolicTensor;
  const blk = tf.model({ inputs: [a, b], outputs: tf.layers.dense({ units: 6, name: 'blk_d' }).apply(sum) as tf.SymbolicTensor, name: 'blk' });
  const x = tf.input({ shape: [6], name: 'x' });
  const h = tf.layers.dense({ units: 6, name: 'pre' }).apply(x) as tf.SymbolicTensor;
  const y1 = blk.apply([x, h]) as tf.SymbolicTensor;
  const y2 = blk.apply([y1, h]) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2, name: 'out' }).apply(y2) as tf.SymbolicTensor, name: 'shared' });
}

describe('core/graph: modelGraph', () => {
  it('reads a flat functional model as tfjs runs it, without new nodes', () => {
    const x = tf.input({ shape: [4], name: 'in' });
    const d1 = tf.layers.dense({ units: 4, name: 'f1' }).apply(x) as tf.SymbolicTensor;
    const d2 = tf.layers.dense({ units: 4, name: 'f2' }).apply(d1) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'f_add' }).apply([d1, d2]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: sum });
    const graph = modelGraph(model);
    expect(graph.nodes.map((n) => n.layer.name)).to.deep.equal(['f1', 'f2', 'f_add']);
    expect(graph.nodes.map((n) => n.nodeIndex)).to.deep.equal([0, 0, 0]);
    expect(graph.nodes[2]!.inputs).to.deep.equal(['f1_0_0', 'f2_0_0']);
    expect(graph.inputs.map((i) => i.layer.name)).to.deep.equal(['in']);
    expectWellFormed(graph);
  });

  it('inlines nested models at any depth, wired to the tensors they are called on', () => {
    const innerIn = tf.input({ shape: [4] });
    const deepest = tf.sequential({ name: 'deepest', layers: [tf.layers.dense({ inputShape: [4], units: 4, name: 'n_deep' })] });
    const mid = tf.model({ inputs: innerIn, outputs: tf.layers.dense({ units: 4, name: 'n_mid' }).apply(deepest.apply(innerIn)) as tf.SymbolicTensor, name: 'mid' });
    const x = tf.input({ shape: [4], name: 'x' });
    const stem = tf.layers.dense({ units: 4, name: 'n_stem' }).apply(x) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2, name: 'n_out' }).apply(mid.apply(stem)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: out });
    const graph = modelGraph(model);
    expect(graph.nodes.map((n) => n.layer.name)).to.deep.equal(['n_stem', 'n_deep', 'n_mid', 'n_out']);
    const [stemNode, deepNode, midNode, outNode] = graph.nodes;
    expect(deepNode!.inputs).to.deep.equal(stemNode!.outputs);
    expect(midNode!.inputs).to.deep.equal(deepNode!.outputs);
    expect(outNode!.inputs).to.deep.equal(midNode!.outputs);
    expect(graph.outputs).to.deep.equal(outNode!.outputs);
    expectWellFormed(graph);
    // The layers are the model's own objects: weights and state keyed by name are shared.
    expect(deepNode!.layer).to.equal(deepest.getLayer('n_deep'));
  });

  it('a nested model called twice becomes two calls of its shared layers; multi-input blocks keep their input order', () => {
    const model = sharedBlock();
    const graph = modelGraph(model);
    expect(graph.nodes.map((n) => n.layer.name)).to.deep.equal(['pre', 'blk_add', 'blk_d', 'blk_add', 'blk_d', 'out']);
    const [pre, add1, d1, add2] = graph.nodes;
    expect(add1!.inputs).to.deep.equal([graph.inputs[0]!.key, pre!.outputs[0]]);
    expect(add2!.inputs).to.deep.equal([d1!.outputs[0], pre!.outputs[0]]);
    expectWellFormed(graph);
  });

  it('symbolic tensors of inlined nodes are connected to the model inputs (a probe model over them runs)', () => {
    const model = sharedBlock();
    const graph = modelGraph(model);
    const probe = tf.model({ inputs: graph.inputs.map((i) => i.symbolic), outputs: graph.nodes.map((n) => n.symbolicOutputs[0]!) });
    const xs = tf.randomNormal([3, 6], 0, 1, 'float32', 4);
    const outs = probe.predict(xs) as tf.Tensor[];
    const expected = (model.predict(xs) as tf.Tensor).dataSync();
    expect(Array.from(outs[outs.length - 1]!.dataSync())).to.deep.equal(Array.from(expected));
    tf.dispose([xs, ...outs]);
  });

  it('reads the same graph every time without adding nodes to the layers', () => {
    const model = sharedBlock();
    const first = modelGraph(model).nodes.map((n) => n.outputs.join());
    const count = () => (model.getLayer('blk') as tf.LayersModel).layers.map((l) => (l as unknown as { inboundNodes: unknown[] }).inboundNodes.length);
    const nodes = count();
    expect(modelGraph(model).nodes.map((n) => n.outputs.join())).to.deep.equal(first);
    expect(count()).to.deep.equal(nodes);
  });
});
