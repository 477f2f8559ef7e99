import { CollabError } from '@collabopt/core';
import type { FileExporter } from './FileExporter';
import { tfjsFileExporter } from './tfjs/tfjsFileExporter';
import { onnxFileExporter } from './onnx/onnxFileExporter';
import { tfliteFileExporter } from './tflite/tfliteFileExporter';

const registry = new Map<string, FileExporter>([
  [tfliteFileExporter.format, tfliteFileExporter],
  [tfjsFileExporter.format, tfjsFileExporter],
  [onnxFileExporter.format, onnxFileExporter],
]);

/**
 * Makes an export format known by its `format` name. Registering a different exporter under a
 * taken name is an error.
 * @group Export
 */
export function registerFileExporter(exporter: FileExporter): FileExporter {
  const existing = registry.get(exporter.format);
  if (existing && existing !== exporter) throw new CollabError('exporter', `an exporter for format '${exporter.format}' is already registered`);
  registry.set(exporter.format, exporter);
  return exporter;
}

/**
 * The exporter of `format`; the error lists the known formats.
 * @group Export
 */
export function getFileExporter(format: string): FileExporter {
  const exporter = registry.get(format);
  if (!exporter) throw new CollabError('exporter', `unknown export format '${format}'; known formats: ${[...registry.keys()].sort().join(', ')}`);
  return exporter;
}

/**
 * Every registered exporter, in registration order (the built-ins first): what the recipe schema,
 * its types and its error messages are built from.
 * @group Export
 */
export function listFileExporters(): readonly FileExporter[] {
  return [...registry.values()];
}
