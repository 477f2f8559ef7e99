import { expect } from 'chai';
import { DeploymentTree, type TreeRecipe } from '../../../recipes/src/explore/DeploymentTree';
import { RecipeInputError } from '../../../recipes/src/errors/RecipeInputError';
import type { Recipe, StageSpec } from '../../../recipes/src/recipe/Recipe';
import { stageHashes } from '../../../recipes/src/runner/stageHashes';

// Recipes are only hashed here, never run.
const BASE = {
  model: { builtin: 'mnist-cnn' },
  data: { dataset: 'mnist' },
  baseline: { epochs: 2, batchSize: 64 },
} as const satisfies Partial<Recipe>;
const prune = { name: 'prune', plugins: [{ plugin: 'prune', finalSparsity: 0.5 }], epochs: 1 } as StageSpec;
const cluster = { name: 'cluster', plugins: [{ plugin: 'cluster', numClusters: 16 }], epochs: 1 } as StageSpec;
const qat = { name: 'qat', plugins: [{ plugin: 'quantize' }], epochs: 1 } as StageSpec;
const ptq = { name: 'ptq', plugins: [{ plugin: 'quantize', mode: 'ptq' }], calibrate: { batchSize: 50 } } as StageSpec;

const recipe = (name: string, stages: StageSpec[], extra: Partial<Recipe> = {}): TreeRecipe => ({
  recipe: { name, ...BASE, stages, ...extra } as Recipe,
  baseDir: '/recipes',
});

describe('DeploymentTree', () => {
  it('recipes sharing a prefix share its nodes; each node lists the recipes through it and those ending there', () => {
    const tree = new DeploymentTree([
      recipe('ptq', [ptq]),
      recipe('prune-ptq', [prune, ptq]),
      recipe('prune-qat', [prune, qat]),
      recipe('prune', [prune]),
    ]);
    expect(tree.roots).to.have.length(1);
    const root = tree.roots[0]!;
    expect(root).to.deep.include({ name: 'baseline', depth: 0, parent: null, stage: null });
    expect(root.recipes).to.deep.equal(['ptq', 'prune-ptq', 'prune-qat', 'prune']);
    expect(root.leafOf).to.deep.equal([]);
    expect(root.children.map((c) => c.name)).to.deep.equal(['ptq', 'prune']);
    const pruneNode = root.children[1]!;
    expect(pruneNode).to.deep.include({ depth: 1, parent: root, stage: prune });
    expect(pruneNode.recipes).to.deep.equal(['prune-ptq', 'prune-qat', 'prune']);
    expect(pruneNode.leafOf).to.deep.equal(['prune']);
    expect(pruneNode.children.map((c) => [c.name, c.depth, c.leafOf])).to.deep.equal([['ptq', 2, ['prune-ptq']], ['qat', 2, ['prune-qat']]]);
    // Node hashes are the recipes' prefix hashes.
    const hashes = stageHashes(tree.recipes[1]!.recipe, '/recipes');
    expect(tree.get(hashes[1]!)).to.equal(pruneNode);
    expect(tree.get(hashes[2]!)!.name).to.equal('ptq');
    expect(tree.get('nope')).to.equal(undefined);
  });

  it('a stage named differently but computing the same is the same node, named after the first recipe', () => {
    const tree = new DeploymentTree([recipe('a', [prune, qat]), recipe('b', [{ ...prune, name: 'prune-50' }, qat])]);
    expect(tree.nodes().map((n) => n.name)).to.deep.equal(['baseline', 'prune', 'qat']);
    expect(tree.nodes()[2]!.leafOf).to.deep.equal(['a', 'b']);
  });

  it('the same stage after a different prefix is a different node', () => {
    const tree = new DeploymentTree([recipe('a', [prune, qat]), recipe('b', [cluster, qat])]);
    const qats = tree.nodes().filter((n) => n.name === 'qat');
    expect(qats).to.have.length(2);
    expect(qats.map((n) => n.parent!.name)).to.deep.equal(['prune', 'cluster']);
  });

  it('different baselines make a forest, roots in recipe order', () => {
    const tree = new DeploymentTree([recipe('a', [qat]), recipe('b', [qat], { seed: 7 }), recipe('c', [prune])]);
    expect(tree.roots).to.have.length(2);
    expect(tree.roots.map((r) => r.recipes)).to.deep.equal([['a', 'c'], ['b']]);
  });

  it('relative model paths are resolved against each recipe’s folder: same text in two folders is two baselines', () => {
    const local = (name: string, baseDir: string): TreeRecipe => ({
      recipe: { name, ...BASE, model: { path: './model' }, stages: [qat] } as Recipe,
      baseDir,
    });
    expect(new DeploymentTree([local('a', '/x'), local('b', '/y')]).roots).to.have.length(2);
    expect(new DeploymentTree([local('a', '/x'), local('b', '/x')]).roots).to.have.length(1);
  });

  it('nodes() is depth first: parents before children, children in recipe order; pathOf names the stages from the baseline', () => {
    const tree = new DeploymentTree([recipe('prune-qat', [prune, qat]), recipe('cluster', [cluster]), recipe('prune-ptq', [prune, ptq])]);
    expect(tree.nodes().map((n) => DeploymentTree.pathOf(n).join(' → '))).to.deep.equal([
      'baseline',
      'baseline → prune',
      'baseline → prune → qat',
      'baseline → prune → ptq',
      'baseline → cluster',
    ]);
  });

  it('explorationOrder: level by level, within a level stages that do not train first, then recipe order', () => {
    const tree = new DeploymentTree([
      recipe('prune-qat', [prune, qat]),
      recipe('qat', [qat]),
      recipe('prune-ptq', [prune, ptq]),
      recipe('ptq', [ptq]),
      recipe('cluster', [cluster]),
      recipe('steps-qat', [{ ...qat, epochs: undefined, steps: 10 } as StageSpec, ptq]),
    ]);
    expect(tree.explorationOrder().map((l) => l.recipe.recipe.name)).to.deep.equal(['ptq', 'qat', 'cluster', 'prune-ptq', 'steps-qat', 'prune-qat']);
    const [first] = tree.explorationOrder();
    expect(first!.node.leafOf).to.include('ptq');
  });

  it('two recipes with one name are a RecipeInputError: their output folders would collide', () => {
    expect(() => new DeploymentTree([recipe('a', [qat]), recipe('a', [ptq])])).to.throw(
      RecipeInputError,
      "two recipes are named 'a'; recipe names must be unique (they name output folders)",
    );
  });
});
