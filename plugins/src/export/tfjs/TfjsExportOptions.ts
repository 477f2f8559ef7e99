import { TFJS_QUANTIZATIONS, type TfjsQuantization } from './TfjsQuantization';

/**
 * Options of `tfjsModelFiles` and `writeTfjsModel`; the `tfjsExport` plugin adds `path`.
 * @group Export: tfjs
 */
export interface TfjsExportOptions {
  /** How float32 weights are stored. Default `'none'`. */
  readonly quantization?: TfjsQuantization;
  /**
   * Largest weight file in bytes; the weights are concatenated and cut into
   * `group1-shard{i}of{n}.bin` files of this size (the last one may be smaller). Default 4 MiB,
   * the converter's default, chosen there as the largest file browsers cache.
   */
  readonly shardSizeBytes?: number;
}

/**
 * The converter's default shard size, 4 MiB.
 * @group Export: tfjs
 */
export const DEFAULT_SHARD_SIZE_BYTES = 4 * 1024 * 1024;

/**
 * JSON Schema of {@link TfjsExportOptions}. Its `properties` are shared with the plugin's schema,
 * so the plain functions and the plugin reject the same inputs with the same messages.
 * @group Export: tfjs
 * @jsonSchema
 */
export const TFJS_EXPORT_OPTIONS_SCHEMA: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'object',
  properties: {
    quantization: {
      type: 'string',
      enum: [...TFJS_QUANTIZATIONS],
      default: 'none',
      description: 'How float32 weights are stored: `none` (float32), `uint8` / `uint16` (affine, 1 / 2 bytes), `float16`. Only float32 weights are quantized.',
      examples: ['uint8'],
    },
    shardSizeBytes: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_SHARD_SIZE_BYTES,
      description: 'Largest weight file in bytes: the weights are cut into `group1-shard{i}of{n}.bin` files of this size (4 MiB is the converter\'s default, the largest file browsers cache).',
    },
  },
  additionalProperties: false,
});
