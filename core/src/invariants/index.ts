export type { Invariant, JsonValue } from './Invariant';
export { registerInvariant, getInvariant, invariantNames } from './InvariantRegistry';
export { SparsityInvariant } from './SparsityInvariant';
export type { SparsityData } from './SparsityInvariant';
export { ClustersInvariant, MAX_DERIVED_CLUSTERS } from './ClustersInvariant';
export type { ClustersData } from './ClustersInvariant';
export { Int8GridInvariant } from './Int8GridInvariant';
export type { Int8GridData } from './Int8GridInvariant';
