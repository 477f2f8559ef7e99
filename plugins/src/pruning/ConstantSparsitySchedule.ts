import { describeValue } from '@collabopt/core';
import {
  checkScheduleConfig,
  checkScheduleStep,
  shouldPruneInStep,
  validateSparsity,
  type PruningDecision,
  type PruningSchedule,
  type PruningScheduleConfig,
} from './PruningSchedule';
import { ScheduleStepSpecs } from './ScheduleStepSpecs';
import type { StepSpec } from './StepSpec';

/**
 * Options of {@link ConstantSparsitySchedule} (TFMOT `ConstantSparsity`).
 * @group Pruning schedules
 */
export interface ConstantSparsityOptions {
  /** Sparsity applied at every pruning step, in [0, 1). */
  readonly targetSparsity: number;
  /** First pruning step (>= 0), in steps or epochs (see `StepSpec`). Default 0. */
  readonly beginStep?: StepSpec;
  /** Last pruning step (>= beginStep), or -1 to prune until training ends. Default -1. */
  readonly endStep?: StepSpec;
  /** Prune every `frequency` steps counted from `beginStep` (> 0). Default 100. */
  readonly frequency?: StepSpec;
}

const CLASS_NAME = 'ConstantSparsitySchedule';
const OPTION_KEYS: ReadonlySet<string> = new Set(['targetSparsity', 'beginStep', 'endStep', 'frequency']);

/**
 * Prunes to the same sparsity at every pruning step in `[beginStep, endStep]`, every `frequency`
 * steps (TFMOT `ConstantSparsity(target_sparsity, begin_step, end_step=-1, frequency=100)`).
 *
 * ```ts
 * const s = new ConstantSparsitySchedule({ targetSparsity: 0.5, beginStep: '1ep', frequency: 50 });
 * s.resolve(200).at(250); // { shouldPrune: true, sparsity: 0.5 }
 * ```
 * @group Pruning schedules
 */
export class ConstantSparsitySchedule implements PruningSchedule {
  /** Sparsity applied at every pruning step. */
  readonly targetSparsity: number;
  /** First pruning step as given. */
  readonly beginStep: StepSpec;
  /** Last pruning step as given (-1: forever). */
  readonly endStep: StepSpec;
  /** Pruning interval as given. */
  readonly frequency: StepSpec;

  private readonly specs: ScheduleStepSpecs;
  // TF returns the sparsity as a float32 constant; callers compute k from that rounded value.
  private readonly sparsity32: number;

  /**
   * @param options - see {@link ConstantSparsityOptions}.
   * @throws TypeError or RangeError naming this schedule, the option, the expected value and
   *   the received one.
   */
  constructor(options: ConstantSparsityOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${CLASS_NAME}: options must be an object, received ${describeValue(options)}`);
    }
    this.targetSparsity = validateSparsity(CLASS_NAME, 'targetSparsity', options.targetSparsity);
    this.specs = new ScheduleStepSpecs(
      CLASS_NAME,
      { beginStep: options.beginStep ?? 0, endStep: options.endStep ?? -1, frequency: options.frequency ?? 100 },
      true,
    );
    this.beginStep = this.specs.given.beginStep;
    this.endStep = this.specs.given.endStep;
    this.frequency = this.specs.given.frequency;
    this.sparsity32 = Math.fround(this.targetSparsity);
  }

  /**
   * Rebuilds a schedule from the `config` part of {@link ConstantSparsitySchedule.getConfig}.
   *
   * @param config - the saved options.
   * @throws TypeError if `config` is not an object or has keys this schedule does not know.
   */
  static fromConfig(config: unknown): ConstantSparsitySchedule {
    return new ConstantSparsitySchedule(checkScheduleConfig(CLASS_NAME, config, OPTION_KEYS) as ConstantSparsityOptions);
  }

  /**
   * @param step - 1-based training step.
   * @returns `shouldPrune` from TFMOT's gate and the target sparsity (as float32).
   * @throws Error if an option is in epochs and the schedule has not been resolved.
   */
  at(step: number): PruningDecision {
    checkScheduleStep(CLASS_NAME, step);
    const { beginStep, endStep, frequency } = this.specs.requireSteps(step);
    return { shouldPrune: shouldPruneInStep(step, beginStep, endStep, frequency), sparsity: this.sparsity32 };
  }

  /**
   * @param stepsPerEpoch - steps per epoch, or `undefined` if unknown.
   * @returns this schedule if all options are in steps, else an equivalent step-based one.
   * @throws Error if an option is in epochs and `stepsPerEpoch` is `undefined`.
   * @throws RangeError if `stepsPerEpoch` is given but not a positive integer.
   */
  resolve(stepsPerEpoch: number | undefined): ConstantSparsitySchedule {
    const steps = this.specs.resolve(stepsPerEpoch);
    if (this.specs.steps !== undefined) return this;
    return new ConstantSparsitySchedule({ targetSparsity: this.targetSparsity, ...steps });
  }

  /** @returns `{ className: 'ConstantSparsitySchedule', config }` with the options as given. */
  getConfig(): PruningScheduleConfig {
    return {
      className: CLASS_NAME,
      config: { targetSparsity: this.targetSparsity, beginStep: this.beginStep, endStep: this.endStep, frequency: this.frequency },
    };
  }
}
