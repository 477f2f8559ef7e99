/**
 * The kind of a received value, for messages that expect a type rather than a value
 * ("must be a Float32Array, got Array"): the class name of objects (`Array`, `Float32Array`,
 * `Map`, `Object`), else `null`, `undefined` or the `typeof` name. Values themselves are rendered
 * by {@link describeValue}.
 * @group Errors
 */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
