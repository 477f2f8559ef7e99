import { PluginOptionsError, validatePluginOptions } from '@collabopt/core';
import type { TfliteExportOptions } from './TfliteExportOptions';
import { tfliteExportOptionsSchema } from './tfliteExportOptionsSchema';

/**
 * Validates TFLite export options (ajv, like plugin options) and fills defaults.
 * @param plugin name used in error messages (`'tflite'` for the plugin, `'exportTflite'` otherwise).
 * @param schema the schema to validate against (the plugin adds `path`).
 * @throws PluginOptionsError naming every bad option, including `inputOutputType: 'int8'` or
 *   `denseWeights: 'per-channel'` without `mode: 'int8'`.
 * @group Export: TFLite
 */
export function resolveTfliteExportOptions<O extends TfliteExportOptions>(
  input: unknown,
  plugin = 'exportTflite',
  schema: Readonly<Record<string, unknown>> = tfliteExportOptionsSchema,
): O {
  const options = validatePluginOptions<O>(plugin, schema as Record<string, unknown>, input ?? {});
  if (options.inputOutputType === 'int8' && options.mode !== 'int8') {
    throw new PluginOptionsError(plugin, [
      {
        pointer: '/inputOutputType',
        expected: `'float32' unless mode is 'int8' (int8 inputs and outputs need a full-integer model; mode is '${options.mode}')`,
        received: options.inputOutputType,
      },
    ]);
  }
  if (options.denseWeights === 'per-channel' && options.mode !== 'int8') {
    throw new PluginOptionsError(plugin, [
      {
        pointer: '/denseWeights',
        expected: `'per-tensor' unless mode is 'int8' (per-channel Dense weights are written by full-integer files only; mode is '${options.mode}')`,
        received: options.denseWeights,
      },
    ]);
  }
  return options;
}
