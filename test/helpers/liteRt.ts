/**
 * Tests that need LiteRT (LiteRT.js in headless Chromium): where it cannot start (no Chromium,
 * a package missing) they are skipped, and the skip says which test and why on standard output,
 * so a green `npm test` on such a machine does not hide what it did not check.
 */
import { liteRtUnavailableReason } from '../../recipes/src/runner/litert/sharedLiteRt';
import type { TfliteRuntime } from '../../recipes/src/runner/TfliteRuntime';

const said = new Set<string>();

/** Says once per reason that `what` runs without LiteRT. */
export function sayWithoutLiteRt(what: string, reason: string): void {
  const line = `    [skipped: LiteRT] ${what}: ${reason}`;
  if (!said.has(line)) console.log(line);
  said.add(line);
}

/** In a `before`/`it`: skips the suite or test (`this.skip()`) when LiteRT cannot start, printing why. */
export async function skipWithoutLiteRt(ctx: Mocha.Context): Promise<void> {
  const reason = await liteRtUnavailableReason();
  if (reason === null) return;
  sayWithoutLiteRt(ctx.currentTest?.fullTitle() ?? ctx.test?.parent?.fullTitle() ?? 'a LiteRT check', reason);
  ctx.skip();
}

/**
 * The runtimes a both-runtimes check measures in, the reference first: LiteRT then TFLite 2.9,
 * or only TFLite 2.9 where LiteRT cannot start (saying so for `what`).
 */
export async function runtimesToCheck(what: string): Promise<TfliteRuntime[]> {
  const reason = await liteRtUnavailableReason();
  if (reason === null) return ['litert', 'tflite-2.9'];
  sayWithoutLiteRt(`${what} (checked in TFLite 2.9 only)`, reason);
  return ['tflite-2.9'];
}
