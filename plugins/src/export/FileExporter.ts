import type * as tf from '@tensorflow/tfjs';
import type { OptimizationState } from '@collabopt/core';
import type { SizeReport } from './sizeReport';

/**
 * What a {@link FileExporter} wrote.
 * @group Export
 */
export interface WrittenExport {
  /** Absolute path of the file or directory written. */
  readonly path: string;
  /** Raw and deflated size. */
  readonly size: SizeReport;
  /** `raw → deflated (x%)`. */
  readonly compression: string;
  /** Weight id → invariants verified on the written values (empty when the format verifies none). */
  readonly verified: Readonly<Record<string, readonly string[]>>;
}

/**
 * One export format as recipes and runners see it, registered by format (see
 * {@link registerFileExporter}): which spec key picks the variant and names the target, what a
 * variant needs before writing, and how to check and write. Runners consult the registry instead of
 * branching on format, so a new format (e.g. `onnx`) is one registration.
 * @group Export
 */
export interface FileExporter {
  /** The recipe `format`, e.g. `'tflite'`. */
  readonly format: string;
  /** One sentence on what the format is, for the recipe schema and reference. */
  readonly description: string;
  /** Names of the exporter plugins writing this format, so a recipe listing one as a plugin is told to use `exports`. */
  readonly pluginNames: readonly string[];
  /**
   * JSON Schema properties of the spec's exporter options, the variant key included (its
   * `default` is the default variant), each with `description` and `default`: the one source of
   * the recipe schema's branch, the generated option types and the README tables.
   */
  readonly optionProperties: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Spec key that picks the variant (`'mode'`, `'quantization'`). */
  readonly variantKey: string;
  /** Every variant, the default first. */
  readonly variants: readonly string[];
  /** Spec key naming the target inside the output folder (`'file'`, `'dir'`). */
  readonly targetKey: string;
  /** The target's file extension (`'.tflite'`), or null when the target is a directory. */
  readonly targetExtension: string | null;
  /** Example target name, for the recipe schema. */
  readonly targetExample: string;
  /** Default target name of a variant, e.g. `model-int8.tflite`. */
  defaultTarget(variant: string): string;
  /**
   * Whether writing `variant` needs activation ranges: taken from a stage that emulated inference,
   * else calibrated on representative data first (post-training quantization).
   */
  needsCalibration(variant: string): boolean;
  /**
   * For recipe checks: when `variant` needs a stage whose plugins emulate inference (int8 weights
   * and ranges), the sentence saying so; null when any model will do.
   */
  needsEmulation(variant: string): string | null;
  /**
   * Throws the format's error (naming every offending layer) when `model` can never be written in
   * this format — as `variant` when given (an int8 file refuses layers a float one holds).
   */
  checkModel(model: tf.LayersModel, variant?: string): void;
  /** Validates the spec's exporter options (everything but format, variant and target); throws PluginOptionsError. */
  checkOptions(variant: string, options: Record<string, unknown>): void;
  /** Writes `model` as `variant` to `target` atomically, verifying the state's invariants where the format can. */
  write(model: tf.LayersModel, target: string, variant: string, options: Record<string, unknown>, state: OptimizationState): Promise<WrittenExport>;
}
