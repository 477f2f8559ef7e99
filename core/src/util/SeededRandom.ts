/**
 * A small, fast, seedable pseudo-random generator (mulberry32) for reproducible runs.
 *
 * Why mulberry32: 32-bit state, one multiply-xorshift round per draw, passes the common
 * statistical batteries well enough for sampling work (initialisations, shuffles), and is
 * trivial to reproduce in any language, so a run can be replayed from its seed alone.
 * It is **not** cryptographically secure.
 *
 * Porting note: TFMOT's random initialisations use TF's global RNG (RANDOM, no seed) or Philox
 * seeded with 9 (kmeans++). A TS port cannot reproduce those streams bit for bit; instead every
 * random operation in collabopt takes an explicit seed.
 *
 * @example
 * ```ts
 * const rng = new SeededRandom(42);
 * rng.float();          // in [0, 1)
 * rng.int(0, 10);       // integer in [0, 10)
 * const child = rng.child('layer/conv1'); // independent, reproducible sub-stream
 * ```
 * @group Utilities
 */
export class SeededRandom {
  /** Current 32-bit state (unsigned). */
  private state: number;

  /** The seed this generator was created with (normalised to an unsigned 32-bit integer). */
  readonly seed: number;

  /**
   * @param seed Any finite number; it is reduced to an unsigned 32-bit integer, so seeds that
   *   differ only above 2^32 or in their fraction give the same stream. Throws for NaN/±Infinity.
   */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw new RangeError(`SeededRandom: seed must be a finite number, got ${String(seed)}`);
    }
    // Reduce fractions too (Math.trunc) so that e.g. Date.now()/1000 is accepted deterministically.
    this.seed = Math.trunc(seed) >>> 0;
    this.state = this.seed;
  }

  /** Next raw unsigned 32-bit integer, uniform on [0, 2^32). */
  nextUint32(): number {
    // mulberry32 (Tommy Ettinger), public domain.
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /**
   * Uniform float in [0, 1) with 53 random bits (two draws), so that it never returns 1 and
   * distinct draws rarely collide even over billions of samples (a single 32-bit draw would
   * make sampling by cumulative weight slightly biased for very long arrays).
   */
  float(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992; // (hi·2^26 + lo) / 2^53
  }

  /**
   * Uniform float in [lo, hi). Returns `lo` when `lo === hi`.
   * @throws RangeError if the bounds are not finite or `hi < lo`.
   */
  uniform(lo: number, hi: number): number {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) {
      throw new RangeError(`SeededRandom.uniform: need finite lo <= hi, got lo=${lo}, hi=${hi}`);
    }
    const x = lo + (hi - lo) * this.float();
    // Rounding of lo + span·u can land exactly on hi; keep the half-open contract.
    return x < hi || lo === hi ? x : lo;
  }

  /**
   * Uniform integer in [min, max) (max exclusive), unbiased (rejection sampling).
   * @param min Inclusive lower bound (safe integer).
   * @param max Exclusive upper bound (safe integer), `max > min`, `max - min <= 2^32`.
   * @throws RangeError naming the bad bound.
   */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) {
      throw new RangeError(`SeededRandom.int: bounds must be safe integers, got min=${min}, max=${max}`);
    }
    const span = max - min;
    if (span <= 0) {
      throw new RangeError(`SeededRandom.int: need max > min, got min=${min}, max=${max}`);
    }
    if (span > 4294967296) {
      throw new RangeError(`SeededRandom.int: range max - min must be <= 2^32, got ${span}`);
    }
    if (span === 4294967296) return min + this.nextUint32();
    // Reject the top partial block of 2^32 so every residue is equally likely.
    const limit = 4294967296 - (4294967296 % span);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return min + (r % span);
  }

  /**
   * A standard normal sample (Box–Muller). Useful for synthetic weights in tests and benchmarks.
   */
  normal(mean = 0, std = 1): number {
    // 1 - float() is in (0, 1], so log never sees 0.
    const u = 1 - this.float();
    const v = this.float();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Derive an independent child stream. The child depends only on this generator's *seed* and
   * the key, not on how many numbers were drawn so far, so adding draws elsewhere never changes
   * what a child produces (e.g. per-layer or per-channel streams stay stable when layers are
   * added or reordered).
   *
   * @param key A string (e.g. a weight name) or a non-negative integer (e.g. a channel index).
   */
  child(key: string | number): SeededRandom {
    let h: number;
    if (typeof key === 'number') {
      if (!Number.isSafeInteger(key) || key < 0) {
        throw new RangeError(`SeededRandom.child: numeric key must be a non-negative safe integer, got ${key}`);
      }
      h = mix32(mix32(key >>> 0) ^ Math.floor(key / 4294967296));
    } else {
      h = fnv1a(key);
    }
    // Mix seed and key through two rounds so nearby seeds/keys give unrelated streams.
    return new SeededRandom(mix32(mix32(this.seed ^ 0x9e3779b9) ^ h));
  }

  /**
   * Fisher–Yates shuffle in place; returns the same array.
   */
  shuffle<
    T extends {
      /** Number of elements. */
      length: number;
      [i: number]: unknown;
    },
  >(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/** murmur3 32-bit finaliser: a bijective avalanche mix of a 32-bit integer. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a hash of a string's UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}
