import { CollabError } from '@collabopt/core';

/**
 * The tfjs exporter could not export a model: a weight it cannot store faithfully (NaN/Inf, out of
 * float16 range, an unsupported dtype), or a target directory it must not replace. Nothing has
 * been written when it is thrown.
 * @group Export: tfjs
 */
export class TfjsExportError extends CollabError {
  constructor(message: string) {
    super('tfjs-export', message);
  }
}
