/**
 * The one source of the tfjs exporter's options: the option type (`TfjsExportOptions.ts`), the
 * README table and the recipe schema's `tfjs` branch are derived from it (`npm run docs:sync`).
 */
import { TFJS_QUANTIZATIONS } from './TfjsQuantization';

/**
 * The converter's default shard size, 4 MiB.
 * @group Export: tfjs
 */
export const DEFAULT_SHARD_SIZE_BYTES = 4 * 1024 * 1024;

/**
 * JSON Schema of `TfjsExportOptions`. Its `properties` are shared with the plugin's schema,
 * so the plain functions and the plugin reject the same inputs with the same messages.
 * @group Export: tfjs
 * @jsonSchema
 */
export const TFJS_EXPORT_OPTIONS_SCHEMA = Object.freeze({
  type: 'object',
  properties: Object.freeze({
    quantization: {
      type: 'string',
      enum: TFJS_QUANTIZATIONS,
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
  }),
  additionalProperties: false,
});
