import { describeValue } from '@collabopt/core';

/**
 * A point or a length on the training timeline, as a schedule option accepts it:
 *
 * - a number: a count of training steps (batches), e.g. `500` (`-1` where "forever" is allowed);
 * - `"500ba"` or `"500"`: the same count of steps, written as a string (handy in JSON recipes);
 * - `"2ep"`, `"0.5ep"`: a count of epochs, converted to steps once steps-per-epoch is known as
 *   `Math.round(epochs * stepsPerEpoch)` (so `"2ep"` at 100 steps per epoch is step 200, the last
 *   batch of epoch 2, with steps counted from 1).
 * @group Pruning schedules
 */
export type StepSpec = number | string;

/**
 * A {@link StepSpec} after parsing: its unit, its numeric value and the spec it came from.
 * @group Pruning schedules
 */
export interface ParsedStepSpec {
  /** `'steps'` for numbers and `"…ba"` strings, `'epochs'` for `"…ep"` strings. */
  readonly unit: 'steps' | 'epochs';
  /** The count in `unit`: an integer for steps, a finite number >= 0 for epochs. */
  readonly value: number;
  /** The spec as given, kept so that serialisation and error messages show what the user wrote. */
  readonly spec: StepSpec;
}

// Unsigned decimal with optional fraction, then an optional unit. A leading '-' is allowed so that
// "-1" can mean "forever" where a schedule permits it; the schedule, not the parser, decides that.
const STEP_SPEC_PATTERN = /^(-?(?:\d+(?:\.\d*)?|\.\d+))(ep|ba)?$/;

const FORMS = 'a step count (an integer such as 500, or "500ba") or an epoch count (such as "2ep" or "0.5ep")';

/**
 * Parses a {@link StepSpec}. Steps must be safe integers; epochs must be finite and >= 0.
 *
 * @param spec - the value to parse (typed `unknown` because specs often come from JSON).
 * @param where - who is asking, for error messages, e.g. `'ConstantSparsitySchedule: beginStep'`.
 * @returns the parsed spec.
 * @throws TypeError if `spec` is neither a number nor a string of an accepted form.
 * @throws RangeError if a step count is not an integer or an epoch count is negative.
 * @group Pruning schedules
 */
export function parseStepSpec(spec: unknown, where: string): ParsedStepSpec {
  if (typeof spec === 'number') {
    if (!Number.isSafeInteger(spec)) {
      throw new RangeError(`${where} must be ${FORMS}; a plain number counts steps and must be an integer, received ${describeValue(spec)}`);
    }
    return { unit: 'steps', value: spec, spec };
  }
  if (typeof spec !== 'string') {
    throw new TypeError(`${where} must be ${FORMS}, received ${describeValue(spec)}`);
  }
  const match = STEP_SPEC_PATTERN.exec(spec);
  if (match === null) {
    throw new TypeError(`${where} must be ${FORMS}, received ${describeValue(spec)}`);
  }
  // `+ 0` folds "-0" into 0 so that a negative zero never reaches validation or serialisation.
  const value = Number(match[1]) + 0;
  if (match[2] === 'ep') {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`${where} must count epochs >= 0, received ${describeValue(spec)}`);
    }
    return { unit: 'epochs', value, spec };
  }
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${where} must count whole steps (an integer), received ${describeValue(spec)}`);
  }
  return { unit: 'steps', value, spec };
}

/**
 * Converts a parsed spec to a step count.
 *
 * @param parsed - the output of {@link parseStepSpec}.
 * @param stepsPerEpoch - training steps (batches) per epoch; only needed for epoch units.
 * @param where - who is asking, for error messages.
 * @returns the count in steps.
 * @throws Error if the spec is in epochs and `stepsPerEpoch` is `undefined`.
 * @throws RangeError if `stepsPerEpoch` is given but is not a positive integer.
 * @group Pruning schedules
 */
export function stepSpecToSteps(parsed: ParsedStepSpec, stepsPerEpoch: number | undefined, where: string): number {
  if (parsed.unit === 'steps') return parsed.value;
  if (stepsPerEpoch === undefined) {
    throw new Error(
      `${where} is ${describeValue(parsed.spec)} (in epochs), but the number of steps per epoch is unknown; ` +
        `pass stepsPerEpoch to resolve() or give the value in steps (e.g. 500 or "500ba")`,
    );
  }
  checkStepsPerEpoch(stepsPerEpoch, where);
  return Math.round(parsed.value * stepsPerEpoch);
}

/**
 * Checks a steps-per-epoch count.
 *
 * @param stepsPerEpoch - the value to check.
 * @param where - who is asking, for error messages.
 * @throws RangeError unless `stepsPerEpoch` is a positive safe integer.
 */
export function checkStepsPerEpoch(stepsPerEpoch: unknown, where: string): void {
  if (typeof stepsPerEpoch !== 'number' || !Number.isSafeInteger(stepsPerEpoch) || stepsPerEpoch <= 0) {
    throw new RangeError(`${where}: stepsPerEpoch must be a positive integer, received ${describeValue(stepsPerEpoch)}`);
  }
}
