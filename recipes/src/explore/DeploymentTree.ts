import type { Recipe, StageSpec } from '../recipe/Recipe';
import { RecipeInputError } from '../errors/RecipeInputError';
import { stageHashes } from '../runner/stageHashes';

/** A recipe with the folder its relative paths are relative to. */
export interface TreeRecipe {
  readonly recipe: Recipe;
  /** The recipe file's folder. */
  readonly baseDir: string;
}

/** One node of the deployment tree: the model after a pipeline prefix. */
export interface DeploymentNode {
  /** Content hash of the prefix (`stageHashes`): nodes with equal hashes are one node. */
  readonly hash: string;
  /** `'baseline'`, or the stage's name in the first recipe that has it. */
  readonly name: string;
  /** 0 for the baseline; a stage's 1-based position, i.e. its level in the seed's tree. */
  readonly depth: number;
  readonly parent: DeploymentNode | null;
  readonly children: DeploymentNode[];
  /** Recipes whose pipeline passes through this node, in recipe order. */
  readonly recipes: string[];
  /** Recipes that end here: their deployed model is this node's. */
  readonly leafOf: string[];
  /** The stage that makes this node from its parent; null for the baseline. */
  readonly stage: StageSpec | null;
}

/** A leaf of the tree with the recipe that ends there. */
export interface DeploymentLeaf {
  readonly node: DeploymentNode;
  readonly recipe: TreeRecipe;
}

/**
 * The seed's deployment tree, built from recipes: each recipe is one path from a baseline to a
 * leaf, and recipes that share a prefix (same model, data, baseline and stages, by content hash)
 * share its nodes — so `start` trains every node once and `explore` can walk the tree level by
 * level. Recipes with different baselines make a forest.
 */
export class DeploymentTree {
  /** Baselines, in recipe order. */
  readonly roots: DeploymentNode[] = [];
  /** Recipes in the order given. */
  readonly recipes: readonly TreeRecipe[];
  private readonly byHash = new Map<string, DeploymentNode>();

  /** @throws RecipeInputError for two recipes with one name (their output folders would collide). */
  constructor(recipes: readonly TreeRecipe[]) {
    const names = new Set<string>();
    for (const { recipe } of recipes) {
      if (names.has(recipe.name)) throw new RecipeInputError(`two recipes are named '${recipe.name}'; recipe names must be unique (they name output folders)`);
      names.add(recipe.name);
    }
    this.recipes = recipes;
    for (const tr of recipes) {
      const hashes = stageHashes(tr.recipe, tr.baseDir);
      let parent: DeploymentNode | null = null;
      hashes.forEach((hash, depth) => {
        let node = this.byHash.get(hash);
        if (!node) {
          node = {
            hash,
            name: depth === 0 ? 'baseline' : tr.recipe.stages[depth - 1].name,
            depth,
            parent,
            children: [],
            recipes: [],
            leafOf: [],
            stage: depth === 0 ? null : tr.recipe.stages[depth - 1],
          };
          this.byHash.set(hash, node);
          if (parent) parent.children.push(node);
          else this.roots.push(node);
        }
        node.recipes.push(tr.recipe.name);
        if (depth === hashes.length - 1) node.leafOf.push(tr.recipe.name);
        parent = node;
      });
    }
  }

  /** Every node, depth first (parents before children, children in recipe order). */
  nodes(): DeploymentNode[] {
    const out: DeploymentNode[] = [];
    const visit = (n: DeploymentNode) => {
      out.push(n);
      n.children.forEach(visit);
    };
    this.roots.forEach(visit);
    return out;
  }

  /** The node with this prefix hash. */
  get(hash: string): DeploymentNode | undefined {
    return this.byHash.get(hash);
  }

  /** Stage names from the baseline to `node`: `baseline → prune → pqat`. */
  static pathOf(node: DeploymentNode): string[] {
    const names: string[] = [];
    for (let n: DeploymentNode | null = node; n; n = n.parent) names.unshift(n.name);
    return names;
  }

  /**
   * Leaves in the order the seed's recommended process tries them: level by level (a leaf's
   * level is its depth: quantizing the baseline, then one technique before quantizing, then two),
   * within a level leaves whose last stage does not train first (post-training quantization is
   * cheapest), then in recipe order.
   */
  explorationOrder(): DeploymentLeaf[] {
    const leaves = this.recipes.map((recipe, order) => {
      const node = this.byHash.get(stageHashes(recipe.recipe, recipe.baseDir).at(-1)!)!;
      const last = node.stage;
      const trains = last !== null && ((last.steps ?? 0) > 0 || (last.epochs ?? 0) > 0);
      return { node, recipe, order, trains };
    });
    leaves.sort((a, b) => a.node.depth - b.node.depth || Number(a.trains) - Number(b.trains) || a.order - b.order);
    return leaves.map(({ node, recipe }) => ({ node, recipe }));
  }
}
