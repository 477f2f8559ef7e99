/**
 * Options of {@link describeValue}.
 * @group Errors
 */
export interface DescribeValueOptions {
  /** Render `undefined` as `nothing (missing)`: where the value is a key that was not given. Default false (`undefined`). */
  readonly missing?: boolean;
}

/**
 * The one renderer of received values in collabopt's error messages: strings quoted, numbers as
 * written (`NaN`, `-Infinity` included), arrays and plain objects as JSON, `undefined` as
 * `undefined` (or `nothing (missing)`, see options). Long renderings are cut, and typed or long
 * arrays are summarised, so a huge bad input cannot flood the log.
 *
 * @param value - whatever the caller passed.
 * @returns a short, unambiguous rendering.
 * @group Errors
 */
export function describeValue(value: unknown, options: DescribeValueOptions = {}): string {
  if (value === undefined) return options.missing ? 'nothing (missing)' : 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  // Stringifying a multi-million-element weight array just to cut it would stall the error path.
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<unknown>).length ?? value.byteLength}`;
  if (Array.isArray(value) && value.length > 32) return `an array of length ${value.length}`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Cyclic structures cannot be stringified; the type is still worth reporting.
    text = Object.prototype.toString.call(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
