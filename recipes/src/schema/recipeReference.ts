import { describeSchema, exactlyOneOfKeys } from './describeSchema';
import type { JsonSchema } from './JsonSchema';
import { codeCell as cell, escapeCell } from './markdownCells';
import { schemaTypeLabel } from './schemaTypeLabel';

/** One documented object: a heading and the table of its fields. */
interface Section {
  readonly title: string;
  readonly anchor: string;
  readonly lines: string[];
}

/**
 * Renders the recipe reference (docs/recipes-reference.md) from the recipe JSON Schema: one
 * section per object — the top level, `model`, `data`, `baseline`, a stage, each plugin's options,
 * each export format, nested objects — with every field's type, whether it is required, its
 * default, description and an example. Generated, so the reference cannot drift from the schema
 * (a test regenerates it and compares).
 *
 * @param schema - the assembled recipe schema (`buildRecipeSchema()`).
 */
export function recipeReference(schema: JsonSchema): string {
  const sections: Section[] = [];
  const anchors = new Map<string, string>();
  document('Recipe (top level)', '', schema, sections, anchors);
  return [
    '# Recipe reference',
    '',
    '<!-- Generated from the recipe JSON Schema (recipes/src/schema) by `node recipes/scripts/generate-recipe-files.js`; do not edit. -->',
    '',
    'A recipe is a JSON file that describes one deployment path: the model, its data, how to train the',
    'baseline, the optimization stages in order, and the exports. It is validated against',
    '[`recipes/schema/recipe.schema.json`](../recipes/schema/recipe.schema.json) — point `"$schema"` at it',
    'for completion in editors — and by `collabopt validate <recipe>`. Every object rejects keys it does',
    'not list; defaults are filled in when the recipe is validated. See [recipes/README.md](../recipes/README.md)',
    'for an introduction and `recipes/library/` for one recipe per path of the deployment tree.',
    '',
    '## Contents',
    '',
    ...sections.map((s) => `- [${s.title}](#${s.anchor})`),
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', ...s.lines, '']),
  ].join('\n');
}

function document(title: string, path: string, schema: JsonSchema, sections: Section[], anchors: Map<string, string>): string {
  // Identical objects (targeting selectors, the optimizer of baseline and stages) are documented once.
  const key = JSON.stringify(schema);
  const known = anchors.get(key);
  if (known) return known;
  const anchor = slug(title);
  anchors.set(key, anchor);
  const section: Section = { title, anchor, lines: [] };
  sections.push(section);
  const lines = section.lines;
  if (typeof schema.description === 'string') lines.push(schema.description, '');

  const discriminator = (schema.discriminator as { propertyName?: string } | undefined)?.propertyName;
  if (discriminator) {
    lines.push(`Chosen by \`${discriminator}\`:`, '');
    for (const branch of schema.oneOf as JsonSchema[]) {
      const tag = (branch.properties as Record<string, JsonSchema>)[discriminator].const as string;
      const branchPath = `${path} (${tag})`;
      const sub = document(`${branchPath}`, branchPath, branch, sections, anchors);
      lines.push(`- [\`"${tag}"\`](#${sub})${branch.description ? `: ${firstSentence(branch.description as string)}` : ''}`);
    }
    return anchor;
  }
  const oneOf = exactlyOneOfKeys(schema);
  if (oneOf) lines.push(`Exactly one of ${oneOf.map((k) => `\`${k}\``).join(', ')}.`, '');

  const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  const required = new Set((schema.required as string[] | undefined) ?? []);
  lines.push('| field | type | required | default | description | example |', '|---|---|---|---|---|---|');
  for (const [name, field] of Object.entries(properties)) {
    const fieldPath = path ? `${path}.${name}` : name;
    // Nested objects get their own sections, linked from the description.
    const links = objectTargets(fieldPath, field).map(([t, objectSchema]) => `[${t}](#${document(t, t, objectSchema, sections, anchors)})`);
    const req = required.has(name) ? 'yes' : oneOf?.includes(name) ? 'one of' : 'no';
    const description = [
      field.description as string | undefined,
      field.pattern ? `Format: ${describeSchema(field)}.` : undefined,
      links.length > 0 ? `See ${links.join(', ')}.` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(`| \`${name}\` | ${schemaTypeLabel(field)} | ${req} | ${cell(field.default)} | ${escapeCell(description || '—')} | ${cell(example(field))} |`);
  }
  return anchor;
}

/**
 * The object schemas a field leads to, each with its section title: the field itself (or its
 * array items) when it is an object or a tagged union; each object alternative of an untagged
 * `oneOf`/`anyOf` (a prune schedule; the `{ className }` form of a selector).
 */
function objectTargets(path: string, field: JsonSchema): [string, JsonSchema][] {
  const items = field.items as JsonSchema | undefined;
  if (field.type === 'array' && items && typeof items === 'object') return objectTargets(`${path}[]`, items);
  if (field.properties !== undefined || field.discriminator !== undefined) return [[path, field]];
  const branches = ((field.oneOf ?? field.anyOf) as JsonSchema[] | undefined) ?? [];
  return branches
    .filter((b) => b && typeof b === 'object' && b.properties !== undefined)
    .map((b) => {
      const tag = Object.entries(b.properties as Record<string, JsonSchema>).find(([, p]) => 'const' in p);
      return [`${path} (${tag ? `${tag[0]} ${JSON.stringify(tag[1].const)}` : 'object form'})`, b];
    });
}

/** The schema's const, else its first example, first enum value or default. */
function example(s: JsonSchema): unknown {
  if ('const' in s) return s.const;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (Array.isArray(s.enum)) return s.enum[0];
  return s.default;
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end >= 0 ? text.slice(0, end + 1) : text;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}
