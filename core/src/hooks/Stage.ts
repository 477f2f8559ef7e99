/**
 * Named stage bands for tapping session hooks, in the style of webpack's
 * `Compilation.PROCESS_ASSETS_STAGE_*`. A plugin picks the band that says what its tap does and
 * never a magic number; within a band, taps run in composer order (see `Composer`), which does not
 * depend on the order the user listed the plugins in.
 *
 * Do not use tapable's `before` option to order taps: it only sees taps registered earlier.
 *
 * On the `project` hook the bands are the projection chain of DESIGN.md §3:
 * mask (STRUCTURE) → share values (CONSTRAIN) → fake-quantize (EMULATE).
 * @group Hooks
 */
export const Stage = Object.freeze({
  /** Advance schedules and counters and decide this step's targets (sparsity level, whether masks update); nothing reads them earlier. */
  SCHEDULE: -3000,
  /** Decide and apply structure: which weights are zero (pruning masks, N:M, sparsity constraints). */
  STRUCTURE: -2000,
  /** Constrain the surviving values: weight sharing (clusters) and other value constraints that must see the final structure. */
  CONSTRAIN: -1000,
  /** Emulate deployment numerics (fake quantization) on the fully constrained weights: always last in the projection chain. */
  EMULATE: 0,
  /** The session itself writes `P(latent)` into the model here, after every state-changing band and before observers. Reserved. */
  PROJECT: 500,
  /** Read-only observers: invariant checks, statistics, range observers; they see the final projected weights. */
  OBSERVE: 1000,
  /** Logs, progress and reports; nothing after this band changes training state. */
  REPORT: 2000,
  /** Exporters write the finished model (`export` hook): after every observer and report, so they see the final weights and state. */
  EXPORT: 3000,
});

/**
 * One of the {@link Stage} band values.
 * @group Hooks
 */
export type StageBand = (typeof Stage)[keyof typeof Stage];
