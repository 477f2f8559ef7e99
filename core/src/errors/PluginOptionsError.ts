import { CollabError } from './CollabError';

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
      (i) => `  ${i.pointer || '(options)'}: expected ${i.expected}, received ${describeValue(i.received)}`,
    );
    super('plugin-options', `${plugin}: invalid options\n${lines.join('\n')}`);
    this.plugin = plugin;
    this.issues = issues;
  }
}

/**
 * Short, safe rendering of a received value for error messages.
 * @group Errors
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}
