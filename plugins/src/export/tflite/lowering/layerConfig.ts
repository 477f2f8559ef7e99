/** A tfjs layer's `getConfig()`, read loosely: lowerings take what they need. */
export type LayerConfig = Record<string, unknown>;

/** The layer's `activation` as tfjs serialises it (`linear` when absent). */
export function activationOf(config: LayerConfig): string {
  return typeof config['activation'] === 'string' ? (config['activation'] as string) : 'linear';
}

/** A 2-D size option (`kernelSize`, `strides`, ...) given as a number or a pair. */
export function pair(v: unknown, fallback: number): [number, number] {
  if (Array.isArray(v)) return [Number(v[0] ?? fallback), Number(v[1] ?? v[0] ?? fallback)];
  if (typeof v === 'number') return [v, v];
  return [fallback, fallback];
}

/** A 1-D size option given as a number or a one-element array. */
export function single(v: unknown, fallback: number): number {
  if (Array.isArray(v)) return Number(v[0] ?? fallback);
  if (typeof v === 'number') return v;
  return fallback;
}

/**
 * A depthwise or separable convolution's channel multiplier. Read from the layer, not only its
 * config: tfjs's `SeparableConv.getConfig()` leaves `depthMultiplier` out (DepthwiseConv2D's has it).
 */
export function depthMultiplierOf(layer: object, config: LayerConfig): number {
  const own = (layer as { depthMultiplier?: unknown }).depthMultiplier;
  return Number(typeof own === 'number' ? own : (config['depthMultiplier'] ?? 1));
}
