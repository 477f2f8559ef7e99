import { buildRecipeSchema } from './buildRecipeSchema';
import { recipeReference } from './recipeReference';

/**
 * The files generated from the recipe schema, with their paths relative to the repository root:
 * the published schema and the reference. `scripts/generate-recipe-files.js` writes them; a test
 * checks the committed files equal these. Internal (not exported by the package entries).
 */
export function generatedRecipeFiles(): { readonly path: string; readonly text: string }[] {
  const schema = buildRecipeSchema();
  return [
    { path: 'recipes/schema/recipe.schema.json', text: `${JSON.stringify(schema, null, 2)}\n` },
    { path: 'docs/recipes-reference.md', text: recipeReference(schema) },
  ];
}
