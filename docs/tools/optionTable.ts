/**
 * The option table of a plugin's README card, rendered from its options schema: one row per
 * option — type, default, description — and rows for the fields of object options (`block.size`),
 * of tagged union branches (`schedule.targetSparsity`) and of per-layer rules (`layers[].select`;
 * a rule's settings are the options above).
 */
import type { OptionSchema as Schema } from '../../plugins/src/common/OptionTypesFile';
import { codeCell, escapeCell } from '../../recipes/src/schema/markdownCells';
import { schemaTypeLabel } from '../../recipes/src/schema/schemaTypeLabel';

/** The Markdown table of `schema`'s options (no trailing newline). */
export function optionTable(schema: Schema): string {
  const rows = ['| option | type | default | description |', '|---|---|---|---|'];
  const top = (schema.properties as Record<string, Schema> | undefined) ?? {};
  addRows(rows, '', top, new Set((schema.required as string[] | undefined) ?? []), new Set());
  return rows.join('\n');
}

function addRows(rows: string[], prefix: string, properties: Record<string, Schema>, required: ReadonlySet<string>, skip: ReadonlySet<string>): void {
  for (const [key, s] of Object.entries(properties)) {
    if (skip.has(key)) continue;
    const name = `${prefix}${key}`;
    const description = typeof s.description === 'string' ? s.description : '';
    const req = required.has(key) ? ' (required)' : '';
    rows.push(`| \`${name}\`${req} | ${schemaTypeLabel(s)} | ${codeCell(s.default)} | ${escapeCell(description)} |`);
    const own = s.properties as Record<string, Schema> | undefined;
    if (own) addRows(rows, `${name}.`, own, new Set((s.required as string[] | undefined) ?? []), new Set());
    for (const branch of ((s.oneOf as Schema[] | undefined) ?? []).filter((b) => b.properties)) {
      const props = branch.properties as Record<string, Schema>;
      const tag = Object.entries(props).find(([, p]) => 'const' in p);
      const label = tag ? `\`${name}\` (${tag[0]} \`${JSON.stringify(tag[1].const)}\`)` : `\`${name}\``;
      rows.push(`| ${label} | object | — | ${escapeCell(typeof branch.description === 'string' ? branch.description : tag && typeof tag[1].description === 'string' ? tag[1].description : '')} |`);
      addRows(rows, `${name}.`, props, new Set((branch.required as string[] | undefined) ?? []), new Set(tag ? [tag[0]] : []));
    }
    const items = s.items as Schema | undefined;
    if (s.type === 'array' && items?.properties) {
      // A rule's settings are the top-level options (already in the table): only its own fields.
      addRows(rows, `${name}[].`, items.properties as Record<string, Schema>, new Set((items.required as string[] | undefined) ?? []), new Set(Object.keys(properties)));
    }
  }
}
