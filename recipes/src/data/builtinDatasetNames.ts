/** Names of the built-in datasets (`"data": { "dataset": name }`), in the order the schema lists them. */
export const BUILTIN_DATASET_NAMES = Object.freeze(['mnist', 'fashion-mnist'] as const);

/** One of {@link BUILTIN_DATASET_NAMES}. */
export type BuiltinDatasetName = (typeof BUILTIN_DATASET_NAMES)[number];
