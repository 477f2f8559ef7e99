export type { Selector, MatchKind } from './Selector';
export type { TargetSpec, TargetRule } from './TargetSpec';
export { selectorSchema, selectorListSchema, targetingSchema } from './TargetSpec';
export type { LayerSupport, WeightSupport } from './LayerSupport';
export { resolveTargets } from './resolveTargets';
export { selectLayers } from './selectLayers';
export type { ResolveTargetsArgs, ResolvedTarget } from './resolveTargets';
