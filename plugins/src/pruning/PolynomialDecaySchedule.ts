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
 * Options of {@link PolynomialDecaySchedule} (TFMOT `PolynomialDecay`).
 * @group Pruning schedules
 */
export interface PolynomialDecayOptions {
  /** Sparsity at `beginStep`, in [0, 1). */
  readonly initialSparsity: number;
  /** Sparsity reached at `endStep` and kept after it, in [0, 1). */
  readonly finalSparsity: number;
  /** First pruning step (>= 0), in steps or epochs (see `StepSpec`). */
  readonly beginStep: StepSpec;
  /** Step at which `finalSparsity` is reached (>= beginStep; -1 is not allowed). */
  readonly endStep: StepSpec;
  /** Exponent of the decay, > 0. Default 3. */
  readonly power?: number;
  /** Prune every `frequency` steps counted from `beginStep` (> 0). Default 100. */
  readonly frequency?: StepSpec;
}

const CLASS_NAME = 'PolynomialDecaySchedule';
const OPTION_KEYS: ReadonlySet<string> = new Set(['initialSparsity', 'finalSparsity', 'beginStep', 'endStep', 'power', 'frequency']);
const f32 = Math.fround;

/**
 * Sparsity rising from `initialSparsity` to `finalSparsity` between `beginStep` and `endStep`,
 * fast at first, then levelling off (TFMOT `PolynomialDecay`, after Zhu & Gupta 2017):
 *
 *   p = clip((step - beginStep) / (endStep - beginStep), 0, 1)
 *   sparsity = finalSparsity + (initialSparsity - finalSparsity) * (1 - p)^power
 *
 * evaluated in float32 exactly where TF does, so the values match TFMOT's (e.g. 0.2 → 0.8 over
 * steps 100..110 with power 3 gives 0.4928 at step 102). The masks are recomputed every
 * `frequency` steps in `[beginStep, endStep]`; after `endStep` the gate is closed, so the last
 * mask stays.
 * @group Pruning schedules
 */
export class PolynomialDecaySchedule implements PruningSchedule {
  /** Sparsity at `beginStep`. */
  readonly initialSparsity: number;
  /** Sparsity at and after `endStep`. */
  readonly finalSparsity: number;
  /** Exponent of the decay. */
  readonly power: number;
  /** First pruning step as given. */
  readonly beginStep: StepSpec;
  /** Last pruning step as given. */
  readonly endStep: StepSpec;
  /** Pruning interval as given. */
  readonly frequency: StepSpec;

  private readonly specs: ScheduleStepSpecs;

  /**
   * @param options - see {@link PolynomialDecayOptions}.
   * @throws TypeError or RangeError naming this schedule, the option, the expected value and
   *   the received one.
   */
  constructor(options: PolynomialDecayOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${CLASS_NAME}: options must be an object, received ${describeValue(options)}`);
    }
    this.initialSparsity = validateSparsity(CLASS_NAME, 'initialSparsity', options.initialSparsity);
    this.finalSparsity = validateSparsity(CLASS_NAME, 'finalSparsity', options.finalSparsity);
    const power: unknown = options.power ?? 3;
    // Porting note: TFMOT accepts any power; a power <= 0 or NaN makes the schedule constant or
    // infinite, which is never what was meant, so it is rejected here.
    if (typeof power !== 'number' || !Number.isFinite(power) || power <= 0) {
      throw new RangeError(`${CLASS_NAME}: power must be a finite number > 0, received ${describeValue(power)}`);
    }
    this.power = power;
    this.specs = new ScheduleStepSpecs(
      CLASS_NAME,
      { beginStep: options.beginStep, endStep: options.endStep, frequency: options.frequency ?? 100 },
      false,
    );
    this.beginStep = this.specs.given.beginStep;
    this.endStep = this.specs.given.endStep;
    this.frequency = this.specs.given.frequency;
  }

  /**
   * Rebuilds a schedule from the `config` part of {@link PolynomialDecaySchedule.getConfig}.
   *
   * @param config - the saved options.
   * @throws TypeError if `config` is not an object or has keys this schedule does not know.
   */
  static fromConfig(config: unknown): PolynomialDecaySchedule {
    return new PolynomialDecaySchedule(checkScheduleConfig(CLASS_NAME, config, OPTION_KEYS) as PolynomialDecayOptions);
  }

  /**
   * @param step - 1-based training step.
   * @returns `shouldPrune` from TFMOT's gate and the decayed sparsity (a float32 value).
   * @throws Error if an option is in epochs and the schedule has not been resolved.
   */
  at(step: number): PruningDecision {
    checkScheduleStep(CLASS_NAME, step);
    const { beginStep, endStep, frequency } = this.specs.requireSteps(step);
    const span = endStep - beginStep;
    // Porting note: with endStep == beginStep TF divides 0 by 0 and the sparsity becomes NaN; here
    // the decay is instantaneous instead: finalSparsity from beginStep on.
    const p = span === 0 ? (step >= beginStep ? 1 : 0) : Math.min(1, Math.max(0, f32(f32(step - beginStep) / f32(span))));
    // Float32 at every op TF runs in float32; initial - final is a Python (double) subtraction.
    const decay = f32(Math.pow(f32(1 - p), f32(this.power)));
    const sparsity = f32(f32(f32(this.initialSparsity - this.finalSparsity) * decay) + f32(this.finalSparsity));
    return { shouldPrune: shouldPruneInStep(step, beginStep, endStep, frequency), sparsity };
  }

  /**
   * @param stepsPerEpoch - steps per epoch, or `undefined` if unknown.
   * @returns this schedule if all options are in steps, else an equivalent step-based one.
   * @throws Error if an option is in epochs and `stepsPerEpoch` is `undefined`.
   * @throws RangeError if `stepsPerEpoch` is given but not a positive integer.
   */
  resolve(stepsPerEpoch: number | undefined): PolynomialDecaySchedule {
    const steps = this.specs.resolve(stepsPerEpoch);
    if (this.specs.steps !== undefined) return this;
    return new PolynomialDecaySchedule({
      initialSparsity: this.initialSparsity,
      finalSparsity: this.finalSparsity,
      power: this.power,
      ...steps,
    });
  }

  /** @returns `{ className: 'PolynomialDecaySchedule', config }` with the options as given. */
  getConfig(): PruningScheduleConfig {
    return {
      className: CLASS_NAME,
      config: {
        initialSparsity: this.initialSparsity,
        finalSparsity: this.finalSparsity,
        beginStep: this.beginStep,
        endStep: this.endStep,
        power: this.power,
        frequency: this.frequency,
      },
    };
  }
}
