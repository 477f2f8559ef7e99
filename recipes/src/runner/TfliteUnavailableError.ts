/** `tfjs-tflite-node` cannot be loaded (not installed, or its native addon was not built). */
export class TfliteUnavailableError extends Error {
  /** @param reason why, e.g. `'tfjs-tflite-node is not installed'` (what result cells show). */
  constructor(readonly reason: string) {
    super(`the TFLite interpreter (tfjs-tflite-node) is not available: ${reason}`);
    this.name = 'TfliteUnavailableError';
  }
}
