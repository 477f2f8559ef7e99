import type { ReportNode, RunReport } from './RunReport';

/** One node of a report's deployment tree, as the figures draw it. */
export interface ReportTreeNode {
  /** Prefix hash (key of `RunReport.nodes`). */
  readonly hash: string;
  /** The stage's name in the recipes that run it (`baseline` for a root). */
  readonly name: string;
  readonly node: ReportNode;
  /** Recipes whose last stage this is (the leaves' labels). */
  readonly recipes: readonly string[];
  readonly children: ReportTreeNode[];
  /**
   * A collaborative step: the stage keeps an invariant its parent's state held (e.g. the sparsity
   * of a pruned model) and establishes another (clusters, the int8 grid). Read from the records'
   * per-kernel invariants, so it holds for any plugin, built-in or not.
   */
  readonly collaborative: boolean;
}

/** Invariants the state holds for any kernel after the stage. */
function invariantsOf(node: ReportNode): Set<string> {
  return new Set(node.kernels.flatMap((k) => k.invariants));
}

/**
 * The deployment trees of a report: the recipes' stage paths merged on their shared prefixes
 * (one root per baseline), children in the order the recipes first reach them.
 */
export function reportTrees(report: RunReport): ReportTreeNode[] {
  const made = new Map<string, ReportTreeNode & { recipes: string[] }>();
  const roots: ReportTreeNode[] = [];
  for (const recipe of report.recipes) {
    let parent: (ReportTreeNode & { recipes: string[] }) | undefined;
    recipe.stages.forEach((hash, i) => {
      const node = report.nodes[hash];
      if (node === undefined) return;
      let tree = made.get(hash);
      if (tree === undefined) {
        const before = parent ? invariantsOf(parent.node) : new Set<string>();
        const after = invariantsOf(node);
        const keeps = [...before].some((inv) => after.has(inv));
        const adds = [...after].some((inv) => !before.has(inv));
        tree = { hash, name: recipe.stageNames[i] ?? node.name, node, recipes: [], children: [], collaborative: keeps && adds };
        made.set(hash, tree);
        if (parent) parent.children.push(tree);
        else roots.push(tree);
      }
      if (i === recipe.stages.length - 1) tree.recipes.push(recipe.name);
      parent = tree;
    });
  }
  return roots;
}

/** Every node of `root`'s tree, depth first (root first). */
export function treeNodes(root: ReportTreeNode): ReportTreeNode[] {
  return [root, ...root.children.flatMap(treeNodes)];
}

/**
 * A short name for `root`'s tree: the common prefix of its recipes' names (`ds-cnn-l-fashion` for
 * the seed table's four DS-CNN-L recipes), else the first recipe's name.
 */
export function treeName(root: ReportTreeNode): string {
  const names = treeNodes(root).flatMap((t) => t.recipes);
  if (names.length === 0) return root.node.recipe;
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  prefix = prefix.replace(/[-_.]+$/, '');
  return prefix.length > 0 ? prefix : names[0]!;
}
