import type { RandomSource } from './RandomSource';

/**
 * Returns `random` if it looks like a {@link RandomSource}, otherwise throws a `TypeError` that
 * says which routine needed it and how to provide one. Random initialisations never fall back to
 * `Math.random`: an unseeded run could not be reproduced.
 */
export function requireRandomSource(random: RandomSource | undefined, who: string): RandomSource {
  if (
    random === null ||
    typeof random !== 'object' ||
    typeof random.float !== 'function' ||
    typeof random.int !== 'function' ||
    typeof random.child !== 'function'
  ) {
    throw new TypeError(
      `${who}: options.random is required (a RandomSource such as new SeededRandom(seed), ` +
        `with float(), int() and child()); got ${random === null ? 'null' : typeof random}`,
    );
  }
  return random;
}
