import { CollabError } from '@collabopt/core';

/**
 * `tfjs-tflite-node` cannot be loaded (not installed, or its native addon was not built). Code
 * `'tflite-unavailable'`; the runner reports it in result cells instead of failing.
 */
export class TfliteUnavailableError extends CollabError {
  /** @param reason why, e.g. `'tfjs-tflite-node is not installed'` (what result cells show). */
  constructor(readonly reason: string) {
    super('tflite-unavailable', `the TFLite interpreter (tfjs-tflite-node) is not available: ${reason}`);
  }
}
