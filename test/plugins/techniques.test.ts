/**
 * The technique registry: which techniques it holds and in what order, and that a technique
 * registered there reaches everything that derives from it — the recipe plugin table, the recipe
 * schema (a branch for each plugin, its invariants releasable), recipe validation and the docs
 * tooling (generated option types, the README card's option table) — with nothing else to edit.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { definePlugin, Stage } from '@collabopt/core';
import { defineTechnique, techniques, type Technique } from '@collabopt/plugins';
import { REPO_ROOT } from '../../docs/tools/codeBlocks';
import { optionTableFiles, optionTableRegions, optionTypeFiles, pluginOptionFiles } from '../../docs/tools/pluginOptionFiles';
import { RecipeValidationError } from '../../recipes/src/errors/RecipeValidationError';
import { validateRecipe } from '../../recipes/src/recipe/validateRecipe';
import { buildRecipeSchema } from '../../recipes/src/schema/buildRecipeSchema';
import type { JsonSchema } from '../../recipes/src/schema/JsonSchema';
import { recipePlugins, recipePluginTable } from '../../recipes/src/schema/recipePlugins';
import { releasableInvariants } from '../../recipes/src/schema/releasableInvariants';

const sharpenOptionsSchema = {
  type: 'object',
  properties: { strength: { type: 'number', minimum: 0, default: 1, description: 'How much to sharpen.' } },
  additionalProperties: false,
} as const;

const sharpen = definePlugin<{ strength: number }>({
  name: 'sharpen',
  optionsSchema: sharpenOptionsSchema,
  invariants: { establishes: ['sharp'], preserves: [], requires: [] },
  create: () => ({ apply: (ctx) => void ctx.hooks.trainBegin.tap({ name: 'sharpen', stage: Stage.OBSERVE }, () => {}) }),
});

/** A technique made as a new folder would make it, not part of the package. */
const sharpening = defineTechnique({
  name: 'sharpening',
  plugins: [sharpen],
  establishes: ['sharp'],
  optionTypes: [
    {
      path: 'plugins/src/sharpening/SharpenOptions.ts',
      source: 'sharpenOptionsSchema.ts',
      imports: [],
      named: new Map(),
      declarations: [{ kind: 'interface', name: 'SharpenOptions', doc: 'Options of sharpen.', properties: sharpenOptionsSchema.properties }],
    },
  ],
});

const registry: readonly Technique[] = [...techniques, sharpening];

/** A valid one-stage recipe whose stage lists `plugins`. */
function recipe(plugins: unknown[], stage: Record<string, unknown> = {}): unknown {
  return {
    name: 'r',
    model: { path: 'model' },
    data: { dataset: 'mnist' },
    stages: [{ name: 's', plugins, epochs: 1, ...stage }],
  };
}

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof RecipeValidationError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('techniques', () => {
  it('holds the three technique folders in the order of plugins/src/techniqueFolders.ts, each with its plugins', () => {
    expect(techniques.map((t) => [t.name, t.plugins.map((f) => f.pluginName)])).to.deep.equal([
      ['pruning', ['prune', 'sparsityConstraint']],
      ['clustering', ['cluster']],
      ['quantization', ['quantize']],
    ]);
    const lines = fs.readFileSync(path.join(REPO_ROOT, 'plugins/src/techniqueFolders.ts'), 'utf8').match(/^export \* from '\.\/([a-z-]+)\/index';$/gm) ?? [];
    expect(lines.map((l) => /\.\/([a-z-]+)\//.exec(l)![1])).to.deep.equal(techniques.map((t) => t.name));
  });

  it('each technique names its folder and states what its plugins establish', () => {
    for (const t of techniques) {
      expect(fs.existsSync(path.join(REPO_ROOT, 'plugins/src', t.name, 'README.md')), `${t.name}/README.md`).to.equal(true);
      for (const file of t.optionTypes) expect(file.path.startsWith(`plugins/src/${t.name}/`), file.path).to.equal(true);
    }
    // The plugins' own declarations (made with options each accepts) establish only what their technique states.
    const made = [recipePlugins.get('prune')!({ finalSparsity: 0.5 }), ...['sparsityConstraint', 'cluster', 'quantize'].map((n) => recipePlugins.get(n)!())];
    for (const plugin of made) {
      const owner = techniques.find((t) => t.plugins.some((f) => f.pluginName === plugin.name))!;
      expect(owner.establishes, plugin.name).to.include.members([...plugin.invariants.establishes]);
    }
  });

  it('recipes list the registered plugins and may release what they establish', () => {
    expect([...recipePlugins.keys()]).to.deep.equal(['prune', 'sparsityConstraint', 'cluster', 'quantize']);
    expect(releasableInvariants()).to.deep.equal(['clusters', 'int8-grid', 'sparsity']);
  });

  describe('a newly registered technique', () => {
    it('gets a recipe schema branch for its plugin, and its invariant can be released', () => {
      const table = recipePluginTable(registry);
      expect(table.get('sharpen')).to.equal(sharpen);
      const stage = ((buildRecipeSchema(table.values(), releasableInvariants(registry)).properties as Record<string, JsonSchema>).stages.items as JsonSchema).properties as Record<
        string,
        JsonSchema
      >;
      const branches = (stage.plugins.items as JsonSchema).oneOf as JsonSchema[];
      expect(branches.map((b) => b.title)).to.deep.equal(['prune', 'sparsityConstraint', 'cluster', 'quantize', 'sharpen']);
      expect((branches[4].properties as Record<string, JsonSchema>).strength).to.deep.equal(sharpenOptionsSchema.properties.strength);
      expect((stage.release.items as JsonSchema).enum).to.deep.equal(['clusters', 'int8-grid', 'sharp', 'sparsity']);
    });

    it('is validated in recipes with its own option schema; unregistered, its plugin is unknown', () => {
      const valid = validateRecipe(recipe([{ plugin: 'sharpen' }], { release: ['sharp'] }), 'r.json', registry);
      expect(valid.stages[0].plugins[0]).to.deep.equal({ plugin: 'sharpen', strength: 1 });
      expect(issuesOf(() => validateRecipe(recipe([{ plugin: 'sharpen', strength: -1 }]), 'r.json', registry))).to.deep.equal([
        '/stages/0/plugins/0/strength: expected a number >= 0, found -1',
      ]);
      const unregistered = issuesOf(() => validateRecipe(recipe([{ plugin: 'sharpen' }], { release: ['sharp'] }), 'r.json'));
      expect(unregistered.some((i) => i.startsWith('/stages/0/plugins/0/plugin: unknown plugin "sharpen"')), unregistered.join('\n')).to.equal(true);
      expect(unregistered.some((i) => i.startsWith('/stages/0/release/0:')), unregistered.join('\n')).to.equal(true);
    });

    it('gets its generated option types and its README card option table', () => {
      expect(optionTypeFiles(registry).map((f) => f.path)).to.include('plugins/src/sharpening/SharpenOptions.ts');
      expect(optionTableFiles(registry)).to.include('plugins/src/sharpening/README.md');
      expect(optionTableRegions(registry).get('sharpen-options')).to.include('| `strength` | number ≥ 0 | `1` | How much to sharpen. |');

      // The whole docs generation, from a tree holding the new folder's card.
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-technique-'));
      try {
        for (const file of optionTableFiles(registry)) {
          const text = file.includes('sharpening')
            ? '# sharpening\n\n<!-- generated: sharpen-options -->\n<!-- /generated -->\n'
            : fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
          fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
          fs.writeFileSync(path.join(root, file), text);
        }
        const files = new Map(pluginOptionFiles(root, registry).map((f) => [f.path, f.text]));
        expect(files.get('plugins/src/sharpening/SharpenOptions.ts')).to.include('export interface SharpenOptions {').and.include('readonly strength?: number;');
        expect(files.get('plugins/src/sharpening/README.md')).to.include('| `strength` | number ≥ 0 | `1` | How much to sharpen. |');
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('may not reuse a registered plugin name', () => {
      const again = defineTechnique({ name: 'pruning-again', plugins: [recipePlugins.get('prune')!], establishes: [], optionTypes: [] });
      expect(() => recipePluginTable([...techniques, again])).to.throw("techniques 'pruning' and 'pruning-again' both have a plugin named 'prune'");
    });
  });
});
