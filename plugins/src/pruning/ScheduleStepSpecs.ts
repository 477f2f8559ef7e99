import { describeValue } from '@collabopt/core';
import { validateScheduleSteps, type ScheduleSteps } from './PruningSchedule';
import { checkStepsPerEpoch, parseStepSpec, stepSpecToSteps, type ParsedStepSpec, type StepSpec } from './StepSpec';

/** The step options of a built-in schedule as the user wrote them (steps or epochs). */
export interface ScheduleStepSpecsInput {
  /** First pruning step. */
  readonly beginStep: StepSpec;
  /** Last pruning step, or -1 (forever) where the schedule allows it. */
  readonly endStep: StepSpec;
  /** Pruning interval. */
  readonly frequency: StepSpec;
}

const FIELDS = ['beginStep', 'endStep', 'frequency'] as const;

/**
 * The `beginStep` / `endStep` / `frequency` options of a built-in schedule, parsed once and
 * checked as far as their units allow. Options in steps are validated at construction; anything
 * that depends on an epoch-based option is validated when {@link ScheduleStepSpecs.resolve} learns
 * the number of steps per epoch. Shared by the built-in schedules so that both parse, validate
 * and report errors identically.
 */
export class ScheduleStepSpecs {
  /** The options as given, for `getConfig()`. */
  readonly given: ScheduleStepSpecsInput;
  /** The options in steps, if none was given in epochs; otherwise `undefined` until resolved. */
  readonly steps: ScheduleSteps | undefined;

  private readonly parsed: Readonly<Record<keyof ScheduleSteps, ParsedStepSpec>>;

  /**
   * @param scheduleName - the owning schedule's class name, for error messages.
   * @param input - the three options as given.
   * @param allowForever - whether `endStep: -1` (prune forever) is accepted.
   * @throws TypeError or RangeError naming the schedule and field for any option that is
   *   malformed, or out of range as far as can be told without steps-per-epoch.
   */
  constructor(
    private readonly scheduleName: string,
    input: ScheduleStepSpecsInput,
    private readonly allowForever: boolean,
  ) {
    const parsed = {
      beginStep: parseStepSpec(input.beginStep, `${scheduleName}: beginStep`),
      endStep: parseStepSpec(input.endStep, `${scheduleName}: endStep`),
      frequency: parseStepSpec(input.frequency, `${scheduleName}: frequency`),
    };
    this.parsed = parsed;
    this.given = { beginStep: input.beginStep, endStep: input.endStep, frequency: input.frequency };

    if (FIELDS.every((f) => parsed[f].unit === 'steps')) {
      const steps = { beginStep: parsed.beginStep.value, endStep: parsed.endStep.value, frequency: parsed.frequency.value };
      validateScheduleSteps(scheduleName, steps, allowForever);
      this.steps = steps;
      return;
    }
    this.steps = undefined;
    // Mixed units: check what the units allow now, so a typo fails at construction rather than
    // epochs later; checks that involve an epoch-based option wait for resolve().
    const { beginStep, endStep, frequency } = parsed;
    if (beginStep.unit === 'steps' && beginStep.value < 0) {
      throw new RangeError(`${scheduleName}: beginStep must be >= 0, received ${describeValue(beginStep.spec)}`);
    }
    if (endStep.unit === 'steps' && endStep.value < 0) {
      if (endStep.value !== -1 || !allowForever) {
        const expected = allowForever ? '-1 (prune forever) or a step >= beginStep' : 'a step >= beginStep';
        throw new RangeError(`${scheduleName}: endStep must be ${expected}, received ${describeValue(endStep.spec)}`);
      }
    }
    if (beginStep.unit === 'steps' && endStep.unit === 'steps' && endStep.value !== -1 && endStep.value < beginStep.value) {
      const expected = allowForever ? `-1 (prune forever) or a step >= beginStep (${beginStep.value})` : `a step >= beginStep (${beginStep.value})`;
      throw new RangeError(`${scheduleName}: endStep must be ${expected}, received ${describeValue(endStep.spec)}`);
    }
    if (frequency.value <= 0) {
      throw new RangeError(`${scheduleName}: frequency must be > 0, received ${describeValue(frequency.spec)}`);
    }
  }

  /**
   * The options in steps, converting epoch-based ones with `stepsPerEpoch`, fully validated.
   *
   * @param stepsPerEpoch - steps per epoch, or `undefined` if unknown.
   * @throws Error if an option is in epochs and `stepsPerEpoch` is `undefined`.
   * @throws RangeError if `stepsPerEpoch` is not a positive integer, or the converted options are
   *   invalid (e.g. a frequency that rounds to 0).
   */
  resolve(stepsPerEpoch: number | undefined): ScheduleSteps {
    // Checked even when unused, so a bad count is reported where it was passed, not epochs later.
    if (stepsPerEpoch !== undefined) checkStepsPerEpoch(stepsPerEpoch, `${this.scheduleName}.resolve`);
    if (this.steps !== undefined) return this.steps;
    const origins: Partial<Record<keyof ScheduleSteps, string>> = {};
    const convert = (field: keyof ScheduleSteps): number => {
      const p = this.parsed[field];
      if (p.unit === 'epochs') origins[field] = `from ${describeValue(p.spec)} at ${stepsPerEpoch} steps per epoch`;
      return stepSpecToSteps(p, stepsPerEpoch, `${this.scheduleName}: ${field}`);
    };
    const steps = { beginStep: convert('beginStep'), endStep: convert('endStep'), frequency: convert('frequency') };
    validateScheduleSteps(this.scheduleName, steps, this.allowForever, origins);
    return steps;
  }

  /**
   * The options in steps for {@link PruningSchedule.at}.
   *
   * @param step - the step being asked about, for the error message.
   * @throws Error if an option is still in epochs.
   */
  requireSteps(step: number): ScheduleSteps {
    if (this.steps !== undefined) return this.steps;
    const field = FIELDS.find((f) => this.parsed[f].unit === 'epochs') ?? 'beginStep';
    throw new Error(
      `${this.scheduleName}: ${field} is ${describeValue(this.parsed[field].spec)} (in epochs); ` +
        `call resolve(stepsPerEpoch) and ask the resolved schedule about step ${step}`,
    );
  }
}
