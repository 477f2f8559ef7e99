import { describeValue } from '@collabopt/core';

/**
 * What a {@link PruningSchedule} decides for one training step.
 * @group Pruning schedules
 */
export interface PruningDecision {
  /** Whether the masks are recomputed from the current weights at this step. */
  readonly shouldPrune: boolean;
  /** Target fraction of zeros in [0, 1) for the mask computed at this step. */
  readonly sparsity: number;
}

/**
 * Serialised form of a schedule, as returned by {@link PruningSchedule.getConfig}. `config` must
 * survive `JSON.stringify`/`JSON.parse` unchanged, since it is saved with the optimization state.
 * @group Pruning schedules
 */
export interface PruningScheduleConfig {
  /** Class name, used by `scheduleFromConfig` to pick the constructor. */
  readonly className: string;
  /** The constructor options, JSON-serialisable. */
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * Decides, for each training step, whether to recompute the pruning masks and at which
 * sparsity (TFMOT's `PruningSchedule`).
 *
 * Steps are 1-based: the first training batch is step 1, as in TFMOT, where the wrapper increments
 * its step counter from 0 before reading the schedule. So with `beginStep: 0, frequency: 100`
 * the masks are recomputed at steps 100, 200, …
 *
 * **Custom schedules.** Any object implementing this interface is a schedule; no base class is
 * needed. `at` is called once per training step, so it should be O(1). If the schedule accepts
 * epoch-based options, implement `resolve` as well. A custom schedule is not known to
 * `scheduleFromConfig`; whoever restores saved state must rebuild it from its `getConfig()` output.
 *
 * ```ts
 * // Prunes to 80% once, at step 1000.
 * const oneShot: PruningSchedule = {
 *   at: (step) => ({ shouldPrune: step === 1000, sparsity: 0.8 }),
 *   getConfig: () => ({ className: 'OneShotSchedule', config: { step: 1000, sparsity: 0.8 } }),
 * };
 * ```
 *
 * The built-in schedules are `ConstantSparsitySchedule` and `PolynomialDecaySchedule`; they use
 * the helpers below ({@link shouldPruneInStep}, {@link validateScheduleSteps},
 * {@link validateSparsity}, {@link checkScheduleStep}), which custom schedules may use too.
 * @group Pruning schedules
 */
export interface PruningSchedule {
  /**
   * The decision for one training step.
   *
   * @param step - 1-based training step (the first batch is step 1).
   */
  at(step: number): PruningDecision;

  /** Serialisable description of this schedule; see {@link PruningScheduleConfig}. */
  getConfig(): PruningScheduleConfig;

  /**
   * Returns an equivalent schedule whose options are all counted in steps (epoch-based options
   * such as `"2ep"` converted with `stepsPerEpoch`). Schedules without epoch-based options may
   * return themselves. Optional: a schedule without it is taken to be step-based already.
   *
   * @param stepsPerEpoch - training steps per epoch, or `undefined` when it is unknown (e.g. a
   *   dataset of unknown length); then epoch-based options must throw a clear error.
   */
  resolve?(stepsPerEpoch: number | undefined): PruningSchedule;
}

/**
 * The three step options shared by the built-in schedules, all counted in steps.
 * @group Pruning schedules
 */
export interface ScheduleSteps {
  /** First step at which pruning may happen (>= 0). */
  readonly beginStep: number;
  /** Last step at which pruning may happen (>= beginStep), or -1 to prune forever. */
  readonly endStep: number;
  /** Pruning happens every `frequency` steps counted from `beginStep` (> 0). */
  readonly frequency: number;
}

/**
 * TFMOT's gate `_should_prune_in_step`: pruning is due at `step` when `step >= beginStep`,
 * `step <= endStep` or `endStep < 0` (prune forever), and `(step - beginStep) mod frequency == 0`.
 *
 * @returns whether the masks should be recomputed at `step`.
 * @group Pruning schedules
 */
export function shouldPruneInStep(step: number, beginStep: number, endStep: number, frequency: number): boolean {
  if (step < beginStep) return false;
  if (endStep >= 0 && step > endStep) return false;
  // step >= beginStep here, so the plain remainder equals TF's floormod.
  return (step - beginStep) % frequency === 0;
}

/**
 * Validates the step options of a schedule (TFMOT's `_validate_step`): `beginStep >= 0`;
 * `endStep == -1` (only if `allowForever`) or `endStep >= beginStep`; `frequency > 0`; all integers.
 *
 * @param scheduleName - the schedule's class name, for error messages.
 * @param steps - the options, counted in steps.
 * @param allowForever - whether `endStep == -1` ("prune forever") is accepted.
 * @param origins - optional per-field note appended to errors, e.g. where a value converted from
 *   epochs came from (`'from "0.01ep" at 10 steps per epoch'`).
 * @throws RangeError naming the schedule, the field, what was expected and what was received.
 * @group Pruning schedules
 */
export function validateScheduleSteps(
  scheduleName: string,
  steps: ScheduleSteps,
  allowForever: boolean,
  origins: Partial<Record<keyof ScheduleSteps, string>> = {},
): void {
  const received = (field: keyof ScheduleSteps): string => {
    const origin = origins[field];
    return `received ${describeValue(steps[field])}${origin === undefined ? '' : ` (${origin})`}`;
  };
  for (const field of ['beginStep', 'endStep', 'frequency'] as const) {
    if (typeof steps[field] !== 'number' || !Number.isSafeInteger(steps[field])) {
      throw new RangeError(`${scheduleName}: ${field} must be an integer number of steps, ${received(field)}`);
    }
  }
  const { beginStep, endStep, frequency } = steps;
  if (beginStep < 0) {
    throw new RangeError(`${scheduleName}: beginStep must be >= 0, ${received('beginStep')}`);
  }
  if (endStep === -1) {
    if (!allowForever) {
      throw new RangeError(
        `${scheduleName}: endStep cannot be -1 (prune forever), since the schedule needs an end to reach its final sparsity; ` +
          `expected a step >= beginStep (${beginStep}), ${received('endStep')}`,
      );
    }
  } else if (endStep < beginStep) {
    const expected = allowForever ? `-1 (prune forever) or a step >= beginStep (${beginStep})` : `a step >= beginStep (${beginStep})`;
    throw new RangeError(`${scheduleName}: endStep must be ${expected}, ${received('endStep')}`);
  }
  if (frequency <= 0) {
    throw new RangeError(`${scheduleName}: frequency must be > 0 steps, ${received('frequency')}`);
  }
}

/**
 * Validates a sparsity option (TFMOT's `_validate_sparsity`): a number in [0, 1).
 *
 * @param scheduleName - the schedule's class name, for error messages.
 * @param field - the option's name, e.g. `'targetSparsity'`.
 * @param value - the value to check (typed `unknown` because options often come from JSON).
 * @returns `value`, narrowed to a number.
 * @throws RangeError naming the schedule, the field, the expected range and the received value.
 * @group Pruning schedules
 */
export function validateSparsity(scheduleName: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(`${scheduleName}: ${field} must be a number in [0, 1), received ${describeValue(value)}`);
  }
  return value;
}

/**
 * Checks the argument of {@link PruningSchedule.at}: a non-negative integer step.
 *
 * @param scheduleName - the schedule's class name, for error messages.
 * @param step - the value to check.
 * @throws RangeError unless `step` is a non-negative safe integer.
 * @group Pruning schedules
 */
export function checkScheduleStep(scheduleName: string, step: unknown): asserts step is number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw new RangeError(
      `${scheduleName}.at: step must be a non-negative integer (the 1-based training step), received ${describeValue(step)}`,
    );
  }
}

/**
 * Checks the `config` of a saved built-in schedule before `fromConfig` rebuilds it: an object
 * with only the schedule's own option keys (values are validated by the constructor).
 * @throws TypeError naming the schedule and the offending keys.
 */
export function checkScheduleConfig(scheduleName: string, config: unknown, keys: ReadonlySet<string>): object {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new TypeError(`${scheduleName}: config must be an object, received ${describeValue(config)}`);
  }
  const unknown = Object.keys(config).filter((k) => !keys.has(k));
  if (unknown.length > 0) {
    throw new TypeError(
      `${scheduleName}: unknown config key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}; expected only ${[...keys].join(', ')}`,
    );
  }
  return config;
}
