/**
 * Node-only (writes files): the `onnx` format for recipe exports.
 */
import { validatePluginOptions } from '@collabopt/core';
import type { FileExporter } from '../FileExporter';
import { checkTfliteSupport } from '../tflite/lowering/checkTfliteSupport';
import type { OnnxMode } from './OnnxExportOptions';
import { onnxExportOptionProperties, onnxExportOptionsSchema } from './onnxExportOptionsSchema';
import { writeOnnx } from './writeOnnx';

/**
 * ONNX files: variant `mode`, target `file` (default `model-<mode>.onnx`). `int8` (QDQ) needs
 * activation ranges and int8 weights; every mode verifies the state's invariants on the bytes
 * before writing them. The layers it supports are the TFLite exporter's (one operator graph).
 * @group Export: ONNX
 */
export const onnxFileExporter: FileExporter = Object.freeze({
  format: 'onnx',
  description: 'An ONNX model for onnxruntime (Node, web): float32, or int8 as QuantizeLinear/DequantizeLinear (QDQ).',
  pluginNames: [],
  optionProperties: onnxExportOptionProperties,
  variantKey: 'mode',
  variants: onnxExportOptionProperties.mode.enum,
  targetKey: 'file',
  targetExtension: '.onnx',
  targetExample: 'model-int8.onnx',
  defaultTarget: (mode: string) => `model-${mode}.onnx`,
  needsCalibration: (mode: string) => mode === 'int8',
  needsEmulation: (mode: string) =>
    mode === 'int8' ? 'int8 needs int8 weights and activation ranges: add a stage with the quantize plugin (QAT, or mode "ptq" with "calibrate")' : null,
  // ONNX int8 (QDQ) is the same int8 operator plan as TFLite's, so it refuses the same layers.
  checkModel: (model, mode) => checkTfliteSupport(model, mode === 'int8' ? 'int8' : undefined),
  checkOptions(mode: string, options: Record<string, unknown>) {
    validatePluginOptions('onnx', onnxExportOptionsSchema as Record<string, unknown>, { ...options, mode });
  },
  async write(model, target, mode, options, state) {
    const written = await writeOnnx(model, target, { ...options, mode: mode as OnnxMode }, state);
    const verified = Object.fromEntries(written.report.weights.map((w) => [w.weightId, [...w.verified]]));
    return { path: written.path, size: written.report.size, compression: written.report.compression, verified };
  },
} satisfies FileExporter);
