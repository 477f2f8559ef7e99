/**
 * Node-only (writes files): the `tflite` format for recipe exports.
 */
import type { FileExporter } from '../FileExporter';
import { checkTfliteSupport } from './lowering/checkTfliteSupport';
import { resolveTfliteExportOptions } from './resolveTfliteExportOptions';
import type { TfliteMode } from './TfliteExportOptions';
import { tfliteExportOptionProperties } from './tfliteExportOptionsSchema';
import { writeTflite } from './writeTflite';

/**
 * TFLite files: variant `mode`, target `file` (default `model-<mode>.tflite`). `int8` needs
 * activation ranges and int8 weights; every mode verifies the state's invariants on the bytes
 * before writing them.
 * @group Export: TFLite
 */
export const tfliteFileExporter: FileExporter = Object.freeze({
  format: 'tflite',
  description: 'A TFLite flatbuffer (the `tflite` exporter).',
  pluginNames: ['tflite'],
  optionProperties: tfliteExportOptionProperties,
  variantKey: 'mode',
  variants: tfliteExportOptionProperties.mode.enum,
  targetKey: 'file',
  targetExtension: '.tflite',
  targetExample: 'model-int8.tflite',
  defaultTarget: (mode: string) => `model-${mode}.tflite`,
  needsCalibration: (mode: string) => mode === 'int8',
  needsEmulation: (mode: string) =>
    mode === 'int8' ? 'int8 needs int8 weights and activation ranges: add a stage with the quantize plugin (QAT, or mode "ptq" with "calibrate")' : null,
  checkModel: (model, mode) => checkTfliteSupport(model, mode as TfliteMode | undefined),
  checkOptions(mode: string, options: Record<string, unknown>) {
    resolveTfliteExportOptions({ ...options, mode });
  },
  async write(model, target, mode, options, state) {
    const written = await writeTflite(model, target, { ...options, mode: mode as TfliteMode }, state);
    const verified = Object.fromEntries(written.report.weights.map((w) => [w.weightId, [...w.verified]]));
    return { path: written.path, size: written.report.size, compression: written.report.compression, verified };
  },
} satisfies FileExporter);
