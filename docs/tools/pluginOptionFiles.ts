/**
 * What derives from the plugins' option schemas (each `*OptionsSchema.ts` in its plugin's folder,
 * the one source of every option's type, description and default):
 *
 * - the option types, `PruneOptions.ts` and its siblings, generated with TSDoc, as each
 *   technique's `Technique.optionTypes` declares them;
 * - the option tables of the README cards (generated regions): each technique's card
 *   (`plugins/src/<technique>/README.md`, one region `<plugin>-options` per plugin, the plugin's
 *   name in kebab case), and the exporters'.
 *
 * Techniques come from the `techniques` registry, so registering one adds its files here. The
 * exporters' option interfaces come from their schemas the same way (listed here: exporters have
 * no descriptor of their own yet), and the recipe type of an `exports` entry, `ExportSpec`, from
 * the recipe schema's export branches (one per registered exporter).
 *
 * The recipe reference derives from the same schemas through the recipe schema
 * (recipes/scripts/generate-recipe-files.js). `npm run docs:sync` writes these files, `--check`
 * lists stale ones, and test/docs/pluginOptionFiles.test.ts fails on them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OptionTypesFile } from '../../plugins/src/common/OptionTypesFile';
import type { Technique } from '../../plugins/src/common/Technique';
import { tfjsExport } from '../../plugins/src/export/tfjs/TfjsExporter';
import { tfliteExporterOptionsSchema } from '../../plugins/src/export/tflite/TfliteExporter';
import { TFJS_EXPORT_OPTIONS_SCHEMA } from '../../plugins/src/export/tfjs/tfjsExportOptionsSchema';
import { TFJS_QUANTIZATIONS } from '../../plugins/src/export/tfjs/TfjsQuantization';
import { tfliteExportOptionProperties } from '../../plugins/src/export/tflite/tfliteExportOptionsSchema';
import { onnxExportOptionProperties, onnxExportOptionsSchema } from '../../plugins/src/export/onnx/onnxExportOptionsSchema';
import { exportSpecSchema } from '../../recipes/src/schema/exportSpecSchema';
import { techniques as registered } from '../../plugins/src/techniques';
import { REPO_ROOT } from './codeBlocks';
import { syncRegions } from './generatedRegions';
import { optionTable } from './optionTable';
import { optionTypeSource } from './optionTypeSource';

/** The exporters' README cards with option tables (exporters are not techniques). */
const EXPORTER_TABLE_FILES: readonly string[] = ['plugins/src/export/README.md', 'plugins/src/export/tflite/README.md', 'plugins/src/export/onnx/README.md'];

/** The generated option type files: the techniques' plugins', then the exporters' and `ExportSpec`. */
export function optionTypeFiles(techniques: readonly Technique[] = registered): OptionTypesFile[] {
  return [...techniques.flatMap((t) => t.optionTypes), ...exporterOptionTypeFiles()];
}

/** The exporters' option type files and the recipe's `ExportSpec`. */
function exporterOptionTypeFiles(): OptionTypesFile[] {
  return [
    {
      path: 'plugins/src/export/tflite/TfliteExportOptions.ts',
      source: 'tfliteExportOptionsSchema.ts',
      imports: [],
      named: new Map<object, string>([
        [tfliteExportOptionProperties.mode.enum, 'TfliteMode'],
        [tfliteExportOptionProperties.inputOutputType.enum, 'TfliteIoType'],
      ]),
      declarations: [
        {
          kind: 'alias',
          name: 'TfliteMode',
          doc: 'What the TFLite file computes with (see {@link TfliteExportOptions.mode}).\n@group Export: TFLite',
          schema: { enum: [...tfliteExportOptionProperties.mode.enum] },
        },
        {
          kind: 'alias',
          name: 'TfliteIoType',
          doc: 'Type of the model\'s input and output tensors in an `int8` file.\n@group Export: TFLite',
          schema: { enum: [...tfliteExportOptionProperties.inputOutputType.enum] },
        },
        {
          kind: 'interface',
          name: 'TfliteExportOptions',
          doc: 'Options of {@link exportTflite} (and, with `path`, of the `tflite` exporter plugin), after validation (which fills in the defaults).\n@group Export: TFLite',
          properties: tfliteExportOptionProperties,
          defaultsFilled: true,
        },
      ],
    },
    {
      path: 'plugins/src/export/tfjs/TfjsExportOptions.ts',
      source: 'tfjsExportOptionsSchema.ts',
      imports: ["import type { TfjsQuantization } from './TfjsQuantization';"],
      named: new Map<object, string>([[TFJS_QUANTIZATIONS, 'TfjsQuantization']]),
      declarations: [
        {
          kind: 'interface',
          name: 'TfjsExportOptions',
          doc: 'Options of `tfjsModelFiles` and `writeTfjsModel`; the `tfjsExport` plugin adds `path`.\n@group Export: tfjs',
          properties: TFJS_EXPORT_OPTIONS_SCHEMA.properties,
        },
      ],
    },
    {
      path: 'plugins/src/export/onnx/OnnxExportOptions.ts',
      source: 'onnxExportOptionsSchema.ts',
      imports: [],
      named: new Map<object, string>([[onnxExportOptionProperties.mode.enum, 'OnnxMode']]),
      declarations: [
        {
          kind: 'alias',
          name: 'OnnxMode',
          doc: 'What the ONNX file computes with (see {@link OnnxExportOptions.mode}).\n@group Export: ONNX',
          schema: { enum: [...onnxExportOptionProperties.mode.enum] },
        },
        {
          kind: 'interface',
          name: 'OnnxExportOptions',
          doc: 'Options of {@link exportOnnx} and {@link writeOnnx}, after validation (which fills in the defaults).\n@group Export: ONNX',
          properties: onnxExportOptionProperties,
          defaultsFilled: true,
        },
      ],
    },
    {
      path: 'recipes/src/recipe/ExportSpec.ts',
      source: 'exportSpecSchema.ts (one branch per registered exporter)',
      imports: [],
      named: new Map<object, string>(),
      declarations: [
        {
          kind: 'alias',
          name: 'ExportSpec',
          doc: 'One entry of a recipe\'s `exports`, by `format`. The variant and target keys get their defaults from `validateRecipe`.',
          schema: exportSpecSchema(),
        },
      ],
    },
  ];
}

/** The README region of a plugin's option table: `sparsityConstraint` → `sparsity-constraint-options`. */
export function optionTableRegionId(pluginName: string): string {
  return `${pluginName.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-options`;
}

/** The generated regions of the README cards, by id: each plugin's option table, the exporters' too. */
export function optionTableRegions(techniques: readonly Technique[] = registered): ReadonlyMap<string, string> {
  return new Map<string, string>([
    ...techniques.flatMap((t) => t.plugins.map((f) => [optionTableRegionId(f.pluginName), optionTable(f.optionsSchema)] as const)),
    ['tflite-options', optionTable(tfliteExporterOptionsSchema)],
    ['tfjs-export-options', optionTable(tfjsExport.optionsSchema)],
    ['onnx-export-options', optionTable(onnxExportOptionsSchema)],
  ]);
}

/** The README cards with generated regions, relative to the repository root. */
export function optionTableFiles(techniques: readonly Technique[] = registered): string[] {
  return [...techniques.map((t) => `plugins/src/${t.name}/README.md`), ...EXPORTER_TABLE_FILES];
}

/**
 * Every file derived from the option schemas, with the text it should have: the type files, and
 * the README cards with their regions rewritten from their committed text.
 * @throws Error naming the file when a README region is malformed or unknown.
 */
export function pluginOptionFiles(root: string = REPO_ROOT, techniques: readonly Technique[] = registered): { readonly path: string; readonly text: string }[] {
  const regions = optionTableRegions(techniques);
  return [
    ...optionTypeFiles(techniques).map((f) => ({ path: f.path, text: optionTypeSource(f) })),
    ...optionTableFiles(techniques).map((p) => ({ path: p, text: syncRegions(p, fs.readFileSync(path.join(root, p), 'utf8'), regions) })),
  ];
}
