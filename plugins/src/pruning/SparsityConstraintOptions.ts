// Generated from sparsityConstraintOptionsSchema.ts by `npm run docs:sync`; do not edit: change the schema and run it again.
import type { Selector } from '@collabopt/core';

/**
 * Options of {@link sparsityConstraint}, after validation (which fills in the defaults).
 * @group Pruning
 */
export interface SparsityConstraintOptions {
  /**
   * Derive masks from the zeros of supported kernels that have no inherited mask (as TFMOT does
   * between stages).
   * @defaultValue `true`
   */
  readonly derive: boolean;
  /**
   * Layers or weights whose masks to keep (selectors as in `prune`). Omitted: every weight with an
   * inherited mask, plus, with `derive`, every supported kernel with zeros.
   */
  readonly include?: readonly Selector[];
  /** Layers or weights whose masks are not kept; wins over `include`. Omitted: none. */
  readonly exclude?: readonly Selector[];
}
