export { CollabError } from './CollabError';
export { PluginOptionsError, describeValue } from './PluginOptionsError';
export type { OptionIssue } from './PluginOptionsError';
export { CompositionError } from './CompositionError';
export { InvariantViolationError } from './InvariantViolationError';
export { TargetError } from './TargetError';
export { StateError } from './StateError';
export { SessionError } from './SessionError';
