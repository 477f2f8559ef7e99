/**
 * The randomness the clustering algorithms consume.
 *
 * `SeededRandom` from `@collabopt/core` (`core/src/util/SeededRandom.ts`) implements this
 * interface; pass `new SeededRandom(seed)` so that every random initialisation is reproducible.
 * The algorithm layer depends on this structural interface rather than on the class so that it
 * stays a leaf module (no import across package boundaries) and tests can inject a scripted source.
 * @group Clustering algorithms
 */
export interface RandomSource {
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [min, max) (max exclusive). */
  int(min: number, max: number): number;
  /**
   * An independent, reproducible sub-stream for `key` (e.g. a channel index). It must not depend
   * on how many numbers were drawn from the parent, so per-channel results stay stable.
   */
  child(key: string | number): RandomSource;
}
