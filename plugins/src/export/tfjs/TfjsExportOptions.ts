// Generated from tfjsExportOptionsSchema.ts by `npm run docs:sync`; do not edit: change the schema and run it again.
import type { TfjsQuantization } from './TfjsQuantization';

/**
 * Options of `tfjsModelFiles` and `writeTfjsModel`; the `tfjsExport` plugin adds `path`.
 * @group Export: tfjs
 */
export interface TfjsExportOptions {
  /**
   * How float32 weights are stored: `none` (float32), `uint8` / `uint16` (affine, 1 / 2 bytes),
   * `float16`. Only float32 weights are quantized.
   * @defaultValue `"none"`
   */
  readonly quantization?: TfjsQuantization;
  /**
   * Largest weight file in bytes: the weights are cut into `group1-shard{i}of{n}.bin` files of this
   * size (4 MiB is the converter's default, the largest file browsers cache).
   * @defaultValue `4194304`
   */
  readonly shardSizeBytes?: number;
}
