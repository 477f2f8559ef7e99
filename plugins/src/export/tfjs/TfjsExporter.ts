/**
 * Node-only (writes a directory through fs): the `tfjsExport` plugin.
 */
import { definePlugin, Stage, type PluginFactory } from '@collabopt/core';
import { assertExportTarget } from './assertExportTarget';
import { TFJS_EXPORT_OPTIONS_SCHEMA } from './tfjsExportOptionsSchema';
import type { TfjsQuantization } from './TfjsQuantization';
import { writeTfjsModel } from './writeTfjsModel';

/**
 * Options of {@link tfjsExport}, after validation (defaults filled in).
 * @group Export: tfjs
 */
export interface TfjsExporterOptions {
  /** Directory to write `model.json` and the weight shards into (replaced as a whole). */
  readonly path: string;
  /** How float32 weights are stored. Default `'none'`. */
  readonly quantization: TfjsQuantization;
  /** Largest weight file in bytes. Default 4 MiB. */
  readonly shardSizeBytes: number;
}

/**
 * What {@link tfjsExport} accepts: `path` is required, the rest have defaults.
 * @group Export: tfjs
 */
export type TfjsExporterInput = Pick<TfjsExporterOptions, 'path'> & Partial<Omit<TfjsExporterOptions, 'path'>>;

const schemaProperties = (TFJS_EXPORT_OPTIONS_SCHEMA as { properties: Record<string, unknown> }).properties;

/**
 * Exports the session's model in the tfjs Layers format when the session finishes: taps
 * `session.hooks.export` (after the final projection and invariant check) and pushes an
 * `ExportArtifact` `{ exporter: 'tfjs', path: <dir>/model.json, report }`, where `report` is the
 * `TfjsExportReport` plus `compression`, the size in the seed's format.
 *
 * ```ts
 * const session = collab(model, [prune({ finalSparsity: 0.5 }), tfjsExport({ path: 'out/web', quantization: 'uint8' })]);
 * ```
 *
 * The target is checked when the session is made, so a path that can never be written (a file, a
 * directory of other files) fails before training rather than after; the write itself is atomic
 * ({@link writeTfjsModel}).
 *
 * Invariants: it changes no weight of the session. What it declares to preserve describes the
 * exported weights: zeros stay exactly zero and k distinct values stay at most k in every form
 * (`sparsity`, `clusters`); only lossless storage (`'none'`) keeps `int8-grid` in general.
 * @group Export: tfjs
 */
export const tfjsExport: PluginFactory<TfjsExporterOptions, TfjsExporterInput> = definePlugin<TfjsExporterOptions, TfjsExporterInput>({
  name: 'tfjsExport',
  optionsSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1, description: 'Directory to write model.json and the weight shards into (replaced as a whole); the `tfjsExport` plugin only.', examples: ['out/web'] },
      ...schemaProperties,
    },
    required: ['path'],
    additionalProperties: false,
  },
  invariants: (options) => ({
    establishes: [],
    preserves: options.quantization === 'none' ? ['sparsity', 'clusters', 'int8-grid'] : ['sparsity', 'clusters'],
    requires: [],
  }),
  create(options) {
    return {
      apply(session) {
        assertExportTarget(options.path);
        session.hooks.export.tapPromise({ name: 'tfjsExport', stage: Stage.EXPORT }, async ({ session: s, artifacts }) => {
          const written = await writeTfjsModel(s.model, options.path, {
            quantization: options.quantization,
            shardSizeBytes: options.shardSizeBytes,
          }, s.state);
          artifacts.push({ exporter: 'tfjs', path: written.modelJson, report: { ...written.report, compression: written.compression } });
        });
      },
    };
  },
});
