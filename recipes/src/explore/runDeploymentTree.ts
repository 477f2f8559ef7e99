import { runRecipe, type RunOptions, type RunResult } from '../runner/runRecipe';
import { StageStore, type StoredStage } from '../runner/StageStore';
import { DeploymentTree } from './DeploymentTree';

/** What {@link runDeploymentTree} produced. */
export interface TreeRunResult {
  readonly tree: DeploymentTree;
  /** One run per recipe, in recipe order. */
  readonly runs: readonly RunResult[];
  /** Every node's stage directory and record, by prefix hash. */
  readonly nodes: ReadonlyMap<string, StoredStage>;
}

/**
 * Runs every recipe of a deployment tree — the `start` job. Recipes share one stage store, so a
 * prefix several recipes have (baseline, prune, cluster, prune → sparse-cluster) is trained once
 * and loaded from its stage directory by the others.
 */
export async function runDeploymentTree(tree: DeploymentTree, options: Omit<RunOptions, 'baseDir' | 'store'>): Promise<TreeRunResult> {
  const store = new StageStore(options.out, options.resume ?? false);
  const runs: RunResult[] = [];
  const nodes = new Map<string, StoredStage>();
  for (const { recipe, baseDir } of tree.recipes) {
    const run = await runRecipe(recipe, { ...options, baseDir, store });
    runs.push(run);
    for (const s of run.stages) nodes.set(s.record.hash, { dir: s.dir, record: s.record });
  }
  return { tree, runs, nodes };
}
