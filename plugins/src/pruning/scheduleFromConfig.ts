import { describeValue } from '@collabopt/core';
import { ConstantSparsitySchedule } from './ConstantSparsitySchedule';
import { PolynomialDecaySchedule } from './PolynomialDecaySchedule';
import type { PruningSchedule } from './PruningSchedule';

const BUILT_IN: Readonly<Record<string, (config: unknown) => PruningSchedule>> = {
  ConstantSparsitySchedule: (config) => ConstantSparsitySchedule.fromConfig(config),
  PolynomialDecaySchedule: (config) => PolynomialDecaySchedule.fromConfig(config),
};

/**
 * Rebuilds a built-in schedule from its `getConfig()` output, e.g. when a saved optimization state
 * is loaded. The input is checked as untrusted JSON: wrong shapes, unknown class names and unknown
 * option keys are errors, never silently ignored. Custom schedules are not known here; rebuild
 * them from their own config.
 *
 * @param config - `{ className, config }` as returned by `getConfig()` (possibly via JSON).
 * @returns a new schedule equal to the one that was serialised.
 * @throws TypeError if `config` is malformed or names a class that is not a built-in schedule.
 * @throws RangeError if an option is out of range (as the schedule's constructor reports it).
 * @group Pruning schedules
 */
export function scheduleFromConfig(config: unknown): PruningSchedule {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new TypeError(`scheduleFromConfig: expected an object { className, config }, received ${describeValue(config)}`);
  }
  const { className, config: options } = config as { className?: unknown; config?: unknown };
  if (typeof className !== 'string') {
    throw new TypeError(`scheduleFromConfig: className must be a string, received ${describeValue(className)}`);
  }
  const build = Object.prototype.hasOwnProperty.call(BUILT_IN, className) ? BUILT_IN[className] : undefined;
  if (build === undefined) {
    throw new TypeError(
      `scheduleFromConfig: unknown schedule className ${describeValue(className)}; ` +
        `expected one of ${Object.keys(BUILT_IN).join(', ')} (custom schedules must be rebuilt by their own code)`,
    );
  }
  const extra = Object.keys(config).filter((k) => k !== 'className' && k !== 'config');
  if (extra.length > 0) {
    throw new TypeError(
      `scheduleFromConfig: unknown key(s) ${extra.map((k) => JSON.stringify(k)).join(', ')} next to className and config`,
    );
  }
  return build(options);
}
