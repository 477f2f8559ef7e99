import { CollabError } from './CollabError';
import { describeValue } from './describeValue';

/**
 * One schema violation in a plugin's options.
 * @group Errors
 */
export interface OptionIssue {
  /** JSON pointer into the options object, e.g. `/schedule/end` (`''` for the object itself). */
  readonly pointer: string;
  /** What the schema expected, in words. */
  readonly expected: string;
  /** The value found at `pointer` (`undefined` when it is missing). */
  readonly received: unknown;
}

/**
 * A plugin was made with options its `optionsSchema` rejects. Lists every issue.
 * @group Errors
 */
export class PluginOptionsError extends CollabError {
  /** Name of the plugin whose options were rejected. */
  readonly plugin: string;
  /** Every schema violation, with JSON pointer, expectation and received value. */
  readonly issues: readonly OptionIssue[];

  constructor(plugin: string, issues: readonly OptionIssue[]) {
    const lines = issues.map(
      (i) => `  ${i.pointer || '(options)'}: expected ${i.expected}, received ${describeValue(i.received, { missing: true })}`,
    );
    super('plugin-options', `${plugin}: invalid options\n${lines.join('\n')}`);
    this.plugin = plugin;
    this.issues = issues;
  }
}
