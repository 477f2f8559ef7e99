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
 * Techniques come from the `techniques` registry, so registering one adds its files here. (The
 * exporters' option interfaces, `TfliteExportOptions` and `TfjsExportOptions`, are still written
 * by hand beside their schemas.)
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
import { techniques as registered } from '../../plugins/src/techniques';
import { REPO_ROOT } from './codeBlocks';
import { syncRegions } from './generatedRegions';
import { optionTable } from './optionTable';
import { optionTypeSource } from './optionTypeSource';

/** The exporters' README cards with option tables (exporters are not techniques). */
const EXPORTER_TABLE_FILES: readonly string[] = ['plugins/src/export/README.md', 'plugins/src/export/tflite/README.md'];

/** The generated option type files of the techniques' plugins. */
export function optionTypeFiles(techniques: readonly Technique[] = registered): OptionTypesFile[] {
  return techniques.flatMap((t) => t.optionTypes);
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
