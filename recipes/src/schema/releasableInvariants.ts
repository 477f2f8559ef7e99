import { techniques, type Technique } from '@collabopt/plugins';

/**
 * The invariants a recipe stage may `release`: those the techniques' plugins establish, sorted.
 * From the technique registry, not from whatever invariants happen to be registered in this
 * process: the published schema must not depend on which custom plugins were imported before it
 * was generated.
 */
export function releasableInvariants(list: readonly Technique[] = techniques): string[] {
  return [...new Set(list.flatMap((t) => t.establishes))].sort();
}
