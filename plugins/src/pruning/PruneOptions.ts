// Generated from pruneOptionsSchema.ts by `npm run docs:sync`; do not edit: change the schema and run it again.
import type { Selector } from '@collabopt/core';
import type { PruningSchedule } from './PruningSchedule';
import type { StepSpec } from './StepSpec';

/**
 * A schedule given as JSON (recipes): TFMOT's two schedules.
 * @group Pruning
 */
export type PruneScheduleConfig =
  | {
      /** TFMOT's `ConstantSparsity`: the same sparsity at every pruning step. */
      readonly type: 'constantSparsity';
      /** Fraction of weights pruned at every pruning step, in [0, 1). */
      readonly targetSparsity: number;
      /**
       * First pruning step. Steps (an integer or `"500ba"`) or epochs (`"2ep"`, `"0.5ep"`).
       * Default: `0`.
       */
      readonly beginStep?: StepSpec;
      /**
       * Last pruning step, or `-1` to prune forever (`sparsity` is then established at `finish()`).
       * Steps (an integer or `"500ba"`) or epochs (`"2ep"`, `"0.5ep"`). Default: `-1`.
       */
      readonly endStep?: StepSpec;
      /**
       * Prune every `frequency` steps counted from `beginStep`. Steps (an integer or `"500ba"`) or
       * epochs (`"2ep"`, `"0.5ep"`). Default: `100`.
       */
      readonly frequency?: StepSpec;
    }
  | {
      /** TFMOT's `PolynomialDecay`: sparsity rising from `initialSparsity` to `finalSparsity`. */
      readonly type: 'polynomialDecay';
      /** Sparsity at `beginStep`, in [0, 1). Default: `0`. */
      readonly initialSparsity?: number;
      /** Sparsity reached at `endStep` and kept after it, in [0, 1). */
      readonly finalSparsity: number;
      /**
       * First pruning step. Steps (an integer or `"500ba"`) or epochs (`"2ep"`, `"0.5ep"`).
       * Default: `0`.
       */
      readonly beginStep?: StepSpec;
      /**
       * Step at which `finalSparsity` is reached; the masks are frozen after it. Steps (an integer
       * or `"500ba"`) or epochs (`"2ep"`, `"0.5ep"`).
       */
      readonly endStep: StepSpec;
      /** Exponent of the decay. Default: `3`. */
      readonly power?: number;
      /**
       * Prune every `frequency` steps counted from `beginStep`. Steps (an integer or `"500ba"`) or
       * epochs (`"2ep"`, `"0.5ep"`). Default: `100`.
       */
      readonly frequency?: StepSpec;
    };

/**
 * Settings that can differ per layer (top-level options, overridden by `layers[i]`).
 * @group Pruning
 */
export interface PruneSettings {
  /**
   * Target fraction of zeros in [0, 1). With `endStep`: polynomial decay from `initialSparsity`;
   * without: constant sparsity forever. Omitted: give `schedule` or `nm` instead.
   */
  readonly finalSparsity?: number;
  /**
   * Shortcut: sparsity at `beginStep` for polynomial decay.
   * @defaultValue `0`
   */
  readonly initialSparsity?: number;
  /**
   * Shortcut: first pruning step. Steps (an integer or `"500ba"`) or epochs (`"2ep"`, `"0.5ep"`).
   * @defaultValue `0`
   */
  readonly beginStep?: StepSpec;
  /**
   * Shortcut: last pruning step; the mask is then frozen and `sparsity` established. Steps (an
   * integer or `"500ba"`) or epochs (`"2ep"`, `"0.5ep"`). Omitted (or `-1`): constant sparsity
   * forever.
   */
  readonly endStep?: StepSpec;
  /**
   * Shortcut: prune every `frequency` steps (TFMOT's default). Steps (an integer or `"500ba"`) or
   * epochs (`"2ep"`, `"0.5ep"`).
   * @defaultValue `100`
   */
  readonly frequency?: StepSpec;
  /**
   * Shortcut: polynomial decay exponent.
   * @defaultValue `3`
   */
  readonly power?: number;
  /**
   * An explicit schedule instead of the shortcut options: TFMOT's `constantSparsity` or
   * `polynomialDecay` (in code, also any object implementing `PruningSchedule`; JSON recipes have
   * only these two). Omitted: the shortcut options make the schedule.
   */
  readonly schedule?: PruneScheduleConfig | PruningSchedule;
  /**
   * Block sparsity for rank-2 kernels: prune whole `[h, w]` blocks ranked by average or max
   * magnitude. Omitted: each weight on its own.
   */
  readonly block?: {
    /** Block height and width. */
    readonly size: readonly [number, number];
    /**
     * How a block's magnitude is measured: the average or the maximum of its absolute values.
     * @defaultValue `"avg"`
     */
    readonly pooling?: 'avg' | 'max';
  };
  /**
   * N:M structured sparsity: `m` zeros in every `n` consecutive input channels (TFLite layout);
   * `{}` is 2:4. The mask is computed once, at the first step (schedules are ignored, as in TFMOT).
   * Omitted: no N:M structure.
   */
  readonly nm?: {
    /**
     * Zeros per group.
     * @defaultValue `2`
     */
    readonly m?: number;
    /**
     * Group size.
     * @defaultValue `4`
     */
    readonly n?: number;
  };
  /**
   * Break magnitude ties by index so exactly the scheduled number of weights is pruned (`false`:
   * ties are kept, as in TFMOT).
   * @defaultValue `false`
   */
  readonly exactTies?: boolean;
}

/**
 * A per-layer rule of {@link PruneOptions.layers}: the weights `select` matches get these settings;
 * omitted ones keep the plugin-wide value.
 * @group Pruning
 */
export interface PruneLayerRule extends PruneSettings {
  /** The layers or weights this rule applies to (selectors as in `include`). */
  readonly select: readonly Selector[];
}

/**
 * Options of {@link prune}.
 * @group Pruning
 */
export interface PruneOptions extends PruneSettings {
  /**
   * Layers or weights to apply to: exact layer names, weight ids (`"conv1/bias"`), `"/regex/"` over
   * layer names, or `{ "className": "Conv2D" }`. Omitted: every weight the plugin supports by
   * default (kernels).
   */
  readonly include?: readonly Selector[];
  /**
   * Layers or weights to leave alone (selectors as in `include`); wins over `include`. Omitted:
   * none.
   */
  readonly exclude?: readonly Selector[];
  /**
   * Per-layer rules: the weights matched by a rule's `select` get its settings over the plugin-wide
   * ones; a weight matched by two rules with different settings is an error. Omitted: the
   * plugin-wide settings everywhere.
   */
  readonly layers?: readonly PruneLayerRule[];
}
