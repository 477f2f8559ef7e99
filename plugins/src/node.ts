/**
 * @packageDocumentation
 * Node entry of `@collabopt/plugins`: everything in the browser-safe entry, plus exporters that
 * write files and DEFLATE size reports.
 */
export * from './index';
export { sizeReport, formatCompression } from './export/sizeReport';
export type { SizeReport } from './export/sizeReport';
export { tfjsExport } from './export/tfjs/TfjsExporter';
export type { TfjsExporterOptions, TfjsExporterInput } from './export/tfjs/TfjsExporter';
export { writeTfjsModel } from './export/tfjs/writeTfjsModel';
export type { WrittenTfjsModel } from './export/tfjs/writeTfjsModel';
export { tflite, tfliteExporterOptionsSchema } from './export/tflite/TfliteExporter';
export type { TfliteExporterOptions } from './export/tflite/TfliteExporter';
export { writeTflite } from './export/tflite/writeTflite';
export type { TfliteWriteResult } from './export/tflite/writeTflite';
export { inspectTfliteFile } from './export/tflite/read/inspectTfliteFile';
export type { TfliteFileInspection } from './export/tflite/read/inspectTfliteFile';
export { getFileExporter, listFileExporters, registerFileExporter } from './export/fileExporters';
export type { FileExporter, WrittenExport } from './export/FileExporter';
export { tfliteFileExporter } from './export/tflite/tfliteFileExporter';
export { tfjsFileExporter } from './export/tfjs/tfjsFileExporter';
export { onnxFileExporter } from './export/onnx/onnxFileExporter';
export { writeOnnx } from './export/onnx/writeOnnx';
export { inspectOnnxFile } from './export/onnx/read/inspectOnnxFile';
export type { OnnxFileInspection } from './export/onnx/read/inspectOnnxFile';
export type { OnnxWriteResult } from './export/onnx/writeOnnx';
