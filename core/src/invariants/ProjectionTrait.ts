/**
 * What a plugin's projection does to a weight's values, in terms that decide which invariants it
 * keeps. Plugins declare the traits of their projection (`invariants.traits`); invariants declare
 * the traits that keep them (`preservedBy`). The composer treats a plugin as preserving X when it
 * lists X in `preserves` or has a trait X is preservedBy, so a new invariant states once which
 * existing plugins keep it, without editing them.
 *
 * - `'zero-preserving'`: every exact 0 stays exactly 0 (symmetric quantization, clustering with a
 *   pinned zero centroid, masking).
 * - `'value-function'`: each output value is a function of the input value alone (within one
 *   output channel when the plugin works per channel), so k distinct values become at most k.
 * - `'mask-only'`: each output value is either its input or 0.
 * @group Invariants
 */
export type ProjectionTrait = 'zero-preserving' | 'value-function' | 'mask-only';

/**
 * Every projection trait, for validation and docs.
 * @group Invariants
 */
export const PROJECTION_TRAITS: readonly ProjectionTrait[] = Object.freeze(['zero-preserving', 'value-function', 'mask-only']);
