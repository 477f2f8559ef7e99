import type { ExploreResult } from '../explore/exploreDeploymentTree';
import type { ExploreTargets, TargetVerdict } from '../explore/ExploreTargets';
import type { RunResult } from '../runner/runRecipe';
import type { StageRecord } from '../runner/StageRecord';
import type { StoredStage } from '../runner/StageStore';
import type { ExportResult } from '../runner/writeExports';
import type { TextTable } from './formatTable';

/** One recipe in a report: its path through the nodes, and what it exported. */
export interface ReportRecipe {
  readonly name: string;
  readonly description: string | null;
  /** Prefix hashes of its stages, baseline first (keys of `nodes`). */
  readonly stages: readonly string[];
  /** Stage names as the recipe gives them, baseline first. */
  readonly stageNames: readonly string[];
  readonly exports: readonly ExportResult[];
}

/** A node of a report: a stage record and where its files are. */
export interface ReportNode extends StageRecord {
  /** The stage directory (saved model, optimization state, int8 file). */
  readonly dir: string;
  /** Whether the stage was taken from disk in this run rather than run. */
  readonly reused: boolean;
}

/** The `explore` part of a report. */
export interface ReportExplore {
  readonly targets: ExploreTargets;
  readonly baselineAccuracy: number;
  /** Leaves in the order tried. */
  readonly tried: readonly { readonly recipe: string; readonly hash: string; readonly verdict: TargetVerdict }[];
  /** Recipe of the leaf that met the targets, or null. */
  readonly found: string | null;
  /** Hashes of the nodes on the Pareto front. */
  readonly pareto: readonly string[];
}

/**
 * Everything a run measured (`report.json`; `report.html` is drawn from it alone): the printed
 * tables, every node's record (accuracies, int8 measurements, sizes, per-kernel sparsity and
 * distinct values, training history, the sample kernel's values), the recipes' paths through the
 * nodes, their exports, and for `explore` the targets, verdicts and Pareto front.
 */
export interface RunReport {
  readonly format: 'collabopt-report';
  readonly version: 1;
  readonly title: string;
  /** The command line that produced it. */
  readonly command: string;
  readonly generatedAt: string;
  /** Wall-clock seconds of the whole command. */
  readonly seconds: number;
  /** The tfjs backend that trained (`selectBackend`'s report line). */
  readonly backend: string;
  /** Why the TFLite interpreter could not be used, or null when the INT8 column was measured. */
  readonly interpreterUnavailable: string | null;
  /** The tables the command printed. */
  readonly tables: readonly { readonly title: string; readonly table: TextTable }[];
  readonly recipes: readonly ReportRecipe[];
  /** Every node, by prefix hash, in the order first reached. */
  readonly nodes: Readonly<Record<string, ReportNode>>;
  readonly explore?: ReportExplore;
}

/** What {@link buildRunReport} needs. */
export interface RunReportInput {
  readonly title: string;
  readonly command: string;
  readonly seconds: number;
  readonly backend: string;
  readonly interpreterUnavailable: string | null;
  readonly tables: readonly { readonly title: string; readonly table: TextTable }[];
  /** The recipes run, with their descriptions. */
  readonly runs: readonly (RunResult & { readonly description?: string })[];
  readonly explore?: ExploreResult;
}

/** Assembles a {@link RunReport} from runs (and an exploration). */
export function buildRunReport(input: RunReportInput): RunReport {
  const nodes: Record<string, ReportNode> = {};
  const add = (s: StoredStage & { reused?: boolean }) => {
    nodes[s.record.hash] ??= { ...s.record, dir: s.dir, reused: s.reused ?? false };
  };
  const recipes: ReportRecipe[] = input.runs.map((run) => {
    run.stages.forEach(add);
    return {
      name: run.recipe,
      description: run.description ?? null,
      stages: run.stages.map((s) => s.record.hash),
      stageNames: run.stages.map((s) => s.name),
      exports: run.exports,
    };
  });
  const ex = input.explore;
  return {
    format: 'collabopt-report',
    version: 1,
    title: input.title,
    command: input.command,
    generatedAt: new Date().toISOString(),
    seconds: input.seconds,
    backend: input.backend,
    interpreterUnavailable: input.interpreterUnavailable,
    tables: input.tables,
    recipes,
    nodes,
    ...(ex
      ? {
          explore: {
            targets: ex.targets,
            baselineAccuracy: ex.baselineAccuracy,
            tried: ex.tried.map((t) => ({ recipe: t.leaf.recipe.recipe.name, hash: t.record.hash, verdict: t.verdict })),
            found: ex.found?.leaf.recipe.recipe.name ?? null,
            pareto: [...ex.pareto],
          },
        }
      : {}),
  };
}
