import { CollabError } from '@collabopt/core';

/**
 * LiteRT.js cannot be run: `playwright-core` or `@litertjs/core` is not installed, no Chromium
 * was found, or Chromium did not start or load LiteRT in time. Code `'litert-unavailable'`;
 * callers fall back to TFLite 2.9 (tfjs-tflite-node) and say so, or skip a check saying why.
 */
export class LiteRtUnavailableError extends CollabError {
  /** @param reason why, e.g. `'no Chromium found (set COLLABOPT_CHROMIUM)'`. */
  constructor(readonly reason: string) {
    super('litert-unavailable', `LiteRT (LiteRT.js in headless Chromium) is not available: ${reason}`);
  }
}
