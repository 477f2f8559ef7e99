/**
 * What derives from the built-in plugins' option schemas (each `*OptionsSchema.ts` in its
 * plugin's folder, the one source of every option's type, description and default):
 *
 * - the option types, `PruneOptions.ts` and its siblings, generated with TSDoc;
 * - the option tables of the plugins' README cards (generated regions), the exporters' too.
 *
 * The exporters' option interfaces come from their schemas the same way, and the recipe type of
 * an `exports` entry, `ExportSpec`, from the recipe schema's export branches (one per registered
 * exporter).
 *
 * The recipe reference derives from the same schemas through the recipe schema
 * (recipes/scripts/generate-recipe-files.js). `npm run docs:sync` writes these files, `--check`
 * lists stale ones, and test/docs/pluginOptionFiles.test.ts fails on them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { selectorSchema } from '@collabopt/core';
import { clusterOptionsSchema, clusterSettingsProperties } from '../../plugins/src/clustering/clusterOptionsSchema';
import { pruneOptionsSchema, pruneScheduleConfigSchema, pruneSettingsProperties, stepSpecSchema } from '../../plugins/src/pruning/pruneOptionsSchema';
import { sparsityConstraintOptionsSchema } from '../../plugins/src/pruning/sparsityConstraintOptionsSchema';
import { tfjsExport } from '../../plugins/src/export/tfjs/TfjsExporter';
import { tfliteExporterOptionsSchema } from '../../plugins/src/export/tflite/TfliteExporter';
import { quantizeOptionsSchema } from '../../plugins/src/quantization/quantizeOptionsSchema';
import { TFJS_EXPORT_OPTIONS_SCHEMA } from '../../plugins/src/export/tfjs/tfjsExportOptionsSchema';
import { TFJS_QUANTIZATIONS } from '../../plugins/src/export/tfjs/TfjsQuantization';
import { tfliteExportOptionProperties } from '../../plugins/src/export/tflite/tfliteExportOptionsSchema';
import { onnxExportOptionProperties, onnxExportOptionsSchema } from '../../plugins/src/export/onnx/onnxExportOptionsSchema';
import { exportSpecSchema } from '../../recipes/src/schema/exportSpecSchema';
import { REPO_ROOT } from './codeBlocks';
import { syncRegions } from './generatedRegions';
import { optionTable } from './optionTable';
import { optionTypeSource, type OptionTypesFile, type Schema } from './optionTypeSource';

const SELECTOR = "import type { Selector } from '@collabopt/core';";

/** The generated option type files of the built-in plugins. */
export function optionTypeFiles(): OptionTypesFile[] {
  const pruneRule = pruneOptionsSchema.properties.layers.items;
  const clusterRule = clusterOptionsSchema.properties.layers.items;
  return [
    {
      path: 'plugins/src/pruning/PruneOptions.ts',
      source: 'pruneOptionsSchema.ts',
      imports: [SELECTOR, "import type { PruningSchedule } from './PruningSchedule';", "import type { StepSpec } from './StepSpec';"],
      named: new Map<object, string>([
        [selectorSchema, 'Selector'],
        [stepSpecSchema.anyOf, 'StepSpec'],
        [pruneScheduleConfigSchema.oneOf, 'PruneScheduleConfig'],
        [pruneRule, 'PruneLayerRule'],
      ]),
      declarations: [
        {
          kind: 'alias',
          name: 'PruneScheduleConfig',
          doc: "A schedule given as JSON (recipes): TFMOT's two schedules.\n@group Pruning",
          schema: pruneScheduleConfigSchema,
        },
        {
          kind: 'interface',
          name: 'PruneSettings',
          doc: 'Settings that can differ per layer (top-level options, overridden by `layers[i]`).\n@group Pruning',
          properties: pruneSettingsProperties,
          alsoAccepts: { schedule: 'PruningSchedule' },
        },
        {
          kind: 'interface',
          name: 'PruneLayerRule',
          doc: 'A per-layer rule of {@link PruneOptions.layers}: the weights `select` matches get these settings; omitted ones keep the plugin-wide value.\n@group Pruning',
          properties: pruneRule.properties,
          required: pruneRule.required,
          extends: { name: 'PruneSettings', properties: pruneSettingsProperties },
        },
        {
          kind: 'interface',
          name: 'PruneOptions',
          doc: 'Options of {@link prune}.\n@group Pruning',
          properties: pruneOptionsSchema.properties,
          extends: { name: 'PruneSettings', properties: pruneSettingsProperties },
        },
      ],
    },
    {
      path: 'plugins/src/pruning/SparsityConstraintOptions.ts',
      source: 'sparsityConstraintOptionsSchema.ts',
      imports: [SELECTOR],
      named: new Map<object, string>([[selectorSchema, 'Selector']]),
      declarations: [
        {
          kind: 'interface',
          name: 'SparsityConstraintOptions',
          doc: 'Options of {@link sparsityConstraint}, after validation (which fills in the defaults).\n@group Pruning',
          properties: sparsityConstraintOptionsSchema.properties,
          defaultsFilled: true,
        },
      ],
    },
    {
      path: 'plugins/src/clustering/ClusterOptions.ts',
      source: 'clusterOptionsSchema.ts',
      imports: [SELECTOR, "import type { CentroidInitialization } from './CentroidInitialization';"],
      named: new Map<object, string>([
        [selectorSchema, 'Selector'],
        [clusterSettingsProperties.init.enum, 'CentroidInitialization'],
        [clusterRule, 'ClusterLayerRule'],
      ]),
      declarations: [
        {
          kind: 'interface',
          name: 'ClusterSettings',
          doc: 'Settings that can differ per layer (top-level options, overridden by `layers[i]`).\n@group Clustering',
          properties: clusterSettingsProperties,
        },
        {
          kind: 'interface',
          name: 'ClusterLayerRule',
          doc: 'A per-layer rule of {@link ClusterOptions.layers}: the weights `select` matches get these settings; omitted ones keep the plugin-wide value.\n@group Clustering',
          properties: clusterRule.properties,
          required: clusterRule.required,
          extends: { name: 'ClusterSettings', properties: clusterSettingsProperties },
        },
        {
          kind: 'interface',
          name: 'ClusterOptions',
          doc: 'Options of {@link cluster}.\n@group Clustering',
          properties: clusterOptionsSchema.properties,
          extends: { name: 'ClusterSettings', properties: clusterSettingsProperties },
        },
      ],
    },
    {
      path: 'plugins/src/quantization/QuantizeOptions.ts',
      source: 'quantizeOptionsSchema.ts',
      imports: [SELECTOR],
      named: new Map<object, string>([[selectorSchema, 'Selector']]),
      declarations: [
        {
          kind: 'interface',
          name: 'QuantizeOptions',
          doc: 'Options of {@link quantize}.\n@group Quantization',
          properties: quantizeOptionsSchema.properties,
        },
      ],
    },
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

/** The generated regions of the README cards, by id: each plugin's option table. */
export function optionTableRegions(): ReadonlyMap<string, string> {
  return new Map<string, string>([
    ['prune-options', optionTable(pruneOptionsSchema as Schema)],
    ['sparsity-constraint-options', optionTable(sparsityConstraintOptionsSchema as Schema)],
    ['cluster-options', optionTable(clusterOptionsSchema as Schema)],
    ['quantize-options', optionTable(quantizeOptionsSchema as Schema)],
    ['tflite-options', optionTable(tfliteExporterOptionsSchema)],
    ['tfjs-export-options', optionTable(tfjsExport.optionsSchema)],
    ['onnx-export-options', optionTable(onnxExportOptionsSchema)],
  ]);
}

/** The README cards with generated regions, relative to the repository root. */
export const OPTION_TABLE_FILES: readonly string[] = [
  'plugins/src/pruning/README.md',
  'plugins/src/clustering/README.md',
  'plugins/src/quantization/README.md',
  'plugins/src/export/README.md',
  'plugins/src/export/tflite/README.md',
  'plugins/src/export/onnx/README.md',
];

/**
 * Every file derived from the option schemas, with the text it should have: the type files, and
 * the README cards with their regions rewritten from their committed text.
 * @throws Error naming the file when a README region is malformed or unknown.
 */
export function pluginOptionFiles(root: string = REPO_ROOT): { readonly path: string; readonly text: string }[] {
  const regions = optionTableRegions();
  return [
    ...optionTypeFiles().map((f) => ({ path: f.path, text: optionTypeSource(f) })),
    ...OPTION_TABLE_FILES.map((p) => ({ path: p, text: syncRegions(p, fs.readFileSync(path.join(root, p), 'utf8'), regions) })),
  ];
}
