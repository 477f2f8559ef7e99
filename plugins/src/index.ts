/**
 * @packageDocumentation
 * `@collabopt/plugins`: the first set of collabopt plugins — pruning (`prune`,
 * `sparsityConstraint`), clustering and quantization numerics, exporters; `techniques` lists the
 * technique folders. This entry is browser-safe; the Node entry adds file-writing exporters and
 * size reports.
 */
export * from './techniqueFolders';
export { techniques } from './techniques';
export { defineTechnique } from './common/defineTechnique';
export type { Technique } from './common/Technique';
export type { OptionTypesFile, InterfaceDeclaration, AliasDeclaration, OptionSchema } from './common/OptionTypesFile';
export { kernelSupport } from './common/kernelSupport';
export { weightStats } from './export/weightStats';
export type { WeightStats } from './export/weightStats';
export { tfjsModelFiles } from './export/tfjs/tfjsModelFiles';
export type { TfjsModelFiles } from './export/tfjs/tfjsModelFiles';
export { TFJS_EXPORT_OPTIONS_SCHEMA, DEFAULT_SHARD_SIZE_BYTES } from './export/tfjs/tfjsExportOptionsSchema';
export type { TfjsExportOptions } from './export/tfjs/TfjsExportOptions';
export type { TfjsExportReport, TfjsWeightReport } from './export/tfjs/TfjsExportReport';
export { TFJS_QUANTIZATIONS } from './export/tfjs/TfjsQuantization';
export type { TfjsQuantization } from './export/tfjs/TfjsQuantization';
export { TfjsExportError } from './errors/TfjsExportError';
export { measureDeflate } from './export/tfjs/measureDeflate';
export type { SizeMeasure } from './export/tfjs/SizeMeasure';
export { encodeFloat16, toFloat16Bits, fromFloat16Bits } from './export/float16';
export { exportOnnx, ONNX_OPSET } from './export/onnx/exportOnnx';
export type { OnnxExport } from './export/onnx/exportOnnx';
export { onnxExportOptionsSchema, onnxExportOptionProperties } from './export/onnx/onnxExportOptionsSchema';
export type { OnnxExportOptions, OnnxMode } from './export/onnx/OnnxExportOptions';
export type { OnnxExportReport, OnnxWeightReport } from './export/onnx/OnnxExportReport';
export { readOnnx, initializerValues } from './export/onnx/read/readOnnx';
export type { OnnxFile, OnnxInitializer, OnnxValueInfo } from './export/onnx/read/readOnnx';
export { inspectOnnx } from './export/onnx/read/inspectOnnx';
export type { OnnxInspection, InspectedOnnxWeight } from './export/onnx/read/inspectOnnx';
export { formatOnnxInspection } from './export/onnx/read/formatOnnxInspection';
export { OnnxExportError } from './errors/OnnxExportError';
export type { OnnxExportErrorReason } from './errors/OnnxExportError';
export { operatorGraph } from './export/operatorGraph';
export { exportTflite } from './export/tflite/exportTflite';
export type { TfliteExport } from './export/tflite/TfliteConverter';
export { TfliteConverter } from './export/tflite/TfliteConverter';
export { resolveTfliteExportOptions } from './export/tflite/resolveTfliteExportOptions';
export { tfliteExportOptionsSchema, tfliteExportOptionProperties } from './export/tflite/tfliteExportOptionsSchema';
export type { TfliteExportOptions, TfliteMode, TfliteIoType } from './export/tflite/TfliteExportOptions';
export type { TfliteExportReport, TfliteWeightReport, TfliteIoQuantization } from './export/tflite/TfliteExportReport';
export type { WrittenOperatorCode } from './export/tflite/serializeTflite';
export { TfliteExportError } from './errors/TfliteExportError';
export type { TfliteExportErrorReason, UnsupportedLayer } from './errors/TfliteExportError';
export { checkTfliteSupport, TFLITE_LAYER_CLASSES, TFLITE_ACTIVATIONS } from './export/tflite/lowering/checkTfliteSupport';
export { observeActivationRanges } from './export/tflite/observeActivationRanges';
export type { ObserveActivationRangesOptions } from './export/tflite/observeActivationRanges';
export { separableDepthwiseRangeKey } from './common/separableDepthwiseRangeKey';
export { recurrentRangeKeys, type RecurrentRangeKeys } from './common/recurrentRangeKeys';
export { mergePartialRangeKey } from './common/mergePartialRangeKey';
export { inspectTflite } from './export/tflite/read/inspectTflite';
export type { TfliteInspection, InspectedOperator, InspectedTensor, InspectedWeight } from './export/tflite/read/inspectTflite';
export { formatTfliteInspection } from './export/tflite/read/formatTfliteInspection';
export type { FormatTfliteInspectionOptions } from './export/tflite/read/formatTfliteInspection';
export { readTflite, tensorValues, storedValues } from './export/tflite/read/readTflite';
export type { TfliteFile, TfliteTensorInfo, TfliteOperatorInfo, TfliteQuantizationInfo } from './export/tflite/read/readTflite';
