/**
 * The `tflite` exporter plugin (Node-only: it writes a file). At the end of a session
 * (`session.finish()` → `export` hook) it writes the model as a TFLite file, atomically, and
 * pushes an artifact with the export report and the size report.
 */
import { definePlugin, Stage, type PluginContext } from '@collabopt/core';
import { checkTfliteSupport } from './lowering/checkTfliteSupport';
import { resolveTfliteExportOptions } from './resolveTfliteExportOptions';
import type { TfliteExportOptions } from './TfliteExportOptions';
import { tfliteExportOptionProperties } from './tfliteExportOptionsSchema';
import { writeTflite } from './writeTflite';

/**
 * Options of the {@link tflite} plugin: where to write, plus every `exportTflite` option.
 * @group Export: TFLite
 */
export interface TfliteExporterOptions extends TfliteExportOptions {
  /** File to write (`.tflite`). Required. */
  readonly path: string;
}

/**
 * JSON Schema of the {@link tflite} plugin's options.
 * @group Export: TFLite
 * @jsonSchema
 */
export const tfliteExporterOptionsSchema: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'object',
  properties: { path: { type: 'string', minLength: 1, description: 'File to write (`.tflite`), atomically; the `tflite` plugin only (`exportTflite` returns the bytes).', examples: ['out/model.tflite'] }, ...tfliteExportOptionProperties },
  required: ['path'],
  additionalProperties: false,
});

const NAME = 'tflite';

/**
 * Exports the session's model as TFLite when the session finishes:
 *
 * ```ts
 * const session = collab(model, [quantize(), tflite({ path: 'out/model.tflite', mode: 'int8' })]);
 * await model.fit(xs, ys, { callbacks: [session.callback()] });
 * const { artifacts } = await session.finish();   // artifacts[0].report.compression: '512,032 → 303,997 (40.63%)'
 * ```
 *
 * Invariants: requires `int8-grid` when `mode` is `'int8'` (a full-integer file is what QAT or
 * post-training quantization prepared; the activation ranges come with it), nothing otherwise.
 * It changes no weight, so it preserves every invariant and places no ordering constraint on the
 * other plugins. Unsupported layers are reported when the plugin is applied (at `collab()`),
 * before any training.
 * @group Export: TFLite
 */
export const tflite = definePlugin<TfliteExporterOptions>({
  name: NAME,
  optionsSchema: tfliteExporterOptionsSchema as Record<string, unknown>,
  invariants: (options) => ({
    establishes: [],
    preserves: ['sparsity', 'clusters', 'int8-grid'],
    requires: options.mode === 'int8' ? ['int8-grid'] : [],
  }),
  create(input) {
    const options = resolveTfliteExportOptions<TfliteExporterOptions>(input, NAME, tfliteExporterOptionsSchema);
    const { path, ...exportOptions } = options;
    return {
      apply(session: PluginContext) {
        checkTfliteSupport(session.model, exportOptions.mode);
        session.hooks.export.tapPromise({ name: NAME, stage: Stage.EXPORT }, async ({ artifacts }) => {
          const written = await writeTflite(session.model, path, exportOptions, session.state);
          artifacts.push({ exporter: NAME, path: written.path, report: { ...written.report } });
        });
      },
    };
  },
});
