/**
 * Node-only (writes a directory): the `tfjs` format for recipe exports.
 */
import type { FileExporter } from '../FileExporter';
import { TFJS_QUANTIZATIONS, type TfjsQuantization } from './TfjsQuantization';
import { validatePluginOptions } from '@collabopt/core';
import { TFJS_EXPORT_OPTIONS_SCHEMA } from './tfjsExportOptionsSchema';
import { writeTfjsModel } from './writeTfjsModel';

/**
 * tfjs Layers directories: variant `quantization`, target `dir` (default `tfjs-<quantization>`).
 * Any model tfjs can save can be written; nothing needs calibration. The state's invariants are
 * verified on the decoded weights.
 * @group Export: tfjs
 */
export const tfjsFileExporter: FileExporter = Object.freeze({
  format: 'tfjs',
  description: 'A tfjs Layers model: model.json + weight shards (the `tfjsExport` exporter).',
  pluginNames: ['tfjsExport', 'tfjs'],
  optionProperties: TFJS_EXPORT_OPTIONS_SCHEMA.properties,
  variantKey: 'quantization',
  variants: TFJS_QUANTIZATIONS,
  targetKey: 'dir',
  targetExtension: null,
  targetExample: 'web',
  defaultTarget: (quantization: string) => `tfjs-${quantization}`,
  needsCalibration: () => false,
  needsEmulation: () => null,
  checkModel: () => {},
  checkOptions(quantization: string, options: Record<string, unknown>) {
    validatePluginOptions('tfjs', TFJS_EXPORT_OPTIONS_SCHEMA, { ...options, quantization });
  },
  async write(model, target, quantization, options, state) {
    const written = await writeTfjsModel(model, target, { ...options, quantization: quantization as TfjsQuantization }, state);
    const verified = Object.fromEntries(written.report.weights.filter((w) => w.verified.length > 0).map((w) => [w.weightId, [...w.verified]]));
    return { path: written.dir, size: written.report.size, compression: written.compression, verified };
  },
} satisfies FileExporter);
