import { runRecipe, type RunOptions, type RunResult } from '../runner/runRecipe';
import { RecipeInputError } from '../errors/RecipeInputError';
import type { StageRecord } from '../runner/StageRecord';
import { StageStore, type StoredStage } from '../runner/StageStore';
import type { DeploymentLeaf, DeploymentTree } from './DeploymentTree';
import { checkTargets, type ExploreTargets, type TargetVerdict } from './ExploreTargets';
import { paretoFront } from './paretoFront';

/** One leaf that was tried, with its verdict. */
export interface ExploredLeaf {
  readonly leaf: DeploymentLeaf;
  /** The run of the leaf's recipe (its stages; exports only for `found`). */
  readonly run: RunResult;
  /** The leaf's record (the run's last stage). */
  readonly record: StageRecord;
  readonly verdict: TargetVerdict;
}

/** What {@link exploreDeploymentTree} found. */
export interface ExploreResult {
  readonly tree: DeploymentTree;
  readonly targets: ExploreTargets;
  /** The baseline's FP32 top-1, the reference of the accuracy drop. */
  readonly baselineAccuracy: number;
  /** Leaves in the order they were tried; the last one is `found` when the walk succeeded. */
  readonly tried: readonly ExploredLeaf[];
  /** The first leaf that meets every target (its recipe's exports are written), or null. */
  readonly found: ExploredLeaf | null;
  /** Stage directory and record of every node trained or loaded on the way, by prefix hash. */
  readonly nodes: ReadonlyMap<string, StoredStage>;
  /** Hashes of the nodes on the Pareto front of INT8 top-1 vs deflated size (and latency, when targeted). */
  readonly pareto: ReadonlySet<string>;
}

/**
 * The seed's recommended training process, automated: from the trained baseline, try the leaves of
 * the deployment tree level by level (`DeploymentTree.explorationOrder`: PTQ and QAT of the
 * baseline, then the prune and cluster paths, then PCQAT) and stop at the first leaf that meets
 * the targets. Shared prefixes are trained once. Leaves that are not needed are never trained.
 *
 * @throws RecipeInputError when no target is given, or the tree has more than one baseline.
 */
export async function exploreDeploymentTree(
  tree: DeploymentTree,
  targets: ExploreTargets,
  options: Omit<RunOptions, 'baseDir' | 'store' | 'exports'>,
): Promise<ExploreResult> {
  if (targets.maxAccuracyDrop === undefined && targets.maxSize === undefined && targets.maxLatencyMs === undefined) {
    throw new RecipeInputError('explore needs at least one target: --max-accuracy-drop, --max-size or --max-latency');
  }
  if (tree.roots.length !== 1) {
    throw new RecipeInputError(
      `explore walks one deployment tree from one baseline, but these recipes have ${tree.roots.length} different baselines ` +
        `(model, data, baseline training and seed must be the same): ${tree.roots.map((r) => r.recipes[0]).join(', ')}`,
    );
  }
  const store = new StageStore(options.out, options.resume ?? false);
  const nodes = new Map<string, StoredStage>();
  const tried: ExploredLeaf[] = [];
  let baselineAccuracy = NaN;
  let found: ExploreResult['found'] = null;

  for (const leaf of tree.explorationOrder()) {
    const run = await runRecipe(leaf.recipe.recipe, { ...options, baseDir: leaf.recipe.baseDir, store, exports: false });
    for (const s of run.stages) nodes.set(s.record.hash, { dir: s.dir, record: s.record });
    baselineAccuracy = run.stages[0].record.accuracy;
    const record = run.stages[run.stages.length - 1].record;
    const verdict = checkTargets(record, baselineAccuracy, targets);
    if (!verdict.meets) {
      tried.push({ leaf, run, record, verdict });
      continue;
    }
    // Every stage is on disk now: this only writes the recipe's exports.
    const withExports = await runRecipe(leaf.recipe.recipe, { ...options, baseDir: leaf.recipe.baseDir, store, exports: true, progress: undefined });
    found = { leaf, run: withExports, record, verdict };
    tried.push(found);
    break;
  }

  const useLatency = targets.maxLatencyMs !== undefined;
  // The same accuracy the targets are checked with: the int8 file's, else the stage's own.
  const front = paretoFront([...nodes.values()].map((n) => n.record), (r) => [
    -(r.int8.accuracy ?? r.accuracy),
    r.int8.size?.deflated ?? NaN,
    ...(useLatency ? [r.int8.latencyMs ?? NaN] : []),
  ]);
  return { tree, targets, baselineAccuracy, tried, found, nodes, pareto: new Set([...front].map((r) => r.hash)) };
}
