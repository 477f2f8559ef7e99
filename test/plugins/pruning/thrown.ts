/**
 * Runs `fn` and returns what it threw, so a test can assert on several parts of one message.
 * Fails the test if nothing was thrown.
 */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`expected an Error to be thrown, got ${String(e)}`);
  }
  throw new Error('expected a throw, but the call returned normally');
}
