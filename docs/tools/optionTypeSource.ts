/**
 * TypeScript declarations generated from plugin option schemas: one interface or type alias per
 * declaration, each option with its schema `description` and `default` as TSDoc, so the types,
 * the API reference and editor hovers say what the schema says. Each technique states its
 * declarations in its `Technique` (`optionTypes`); pluginOptionFiles.ts collects them.
 */

import type { OptionSchema as Schema, OptionTypesFile } from '../../plugins/src/common/OptionTypesFile';

/** The text of a generated declarations file. */
export function optionTypeSource(file: OptionTypesFile): string {
  const out = [
    `// Generated from ${file.source} by \`npm run docs:sync\`; do not edit: change the schema and run it again.`,
    ...file.imports,
    '',
  ];
  for (const d of file.declarations) {
    out.push(...comment(d.doc, ''));
    if (d.kind === 'alias') {
      out.push(`export type ${d.name} =${aliasBody(d.schema, file.named)};`, '');
      continue;
    }
    const inherited = new Set(Object.keys(d.extends?.properties ?? {}));
    const members = Object.entries(d.properties).filter(([key]) => !inherited.has(key));
    out.push(`export interface ${d.name}${d.extends ? ` extends ${d.extends.name}` : ''} {`);
    const required = new Set(d.required ?? []);
    for (const [key, schema] of members) {
      const optional = !required.has(key) && !(d.defaultsFilled && 'default' in schema);
      const extra = d.alsoAccepts?.[key];
      out.push(...member(key, schema, optional, file.named, '  ', extra));
    }
    out.push('}', '');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function aliasBody(schema: Schema, named: ReadonlyMap<object, string>): string {
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (!branches) return ` ${typeOf(schema, named, '')}`;
  return branches.map((b) => `\n  | ${typeOf(b, named, '    ')}`).join('');
}

function member(key: string, schema: Schema, optional: boolean, named: ReadonlyMap<object, string>, indent: string, extra?: string): string[] {
  const doc = [typeof schema.description === 'string' ? schema.description : '', 'default' in schema ? `@defaultValue \`${JSON.stringify(schema.default)}\`` : '']
    .filter(Boolean)
    .join('\n');
  const type = typeOf(schema, named, indent);
  return [...comment(doc, indent), `${indent}readonly ${key}${optional ? '?' : ''}: ${extra ? `${type} | ${extra}` : type};`];
}

const WIDTH = 100;

function comment(doc: string, indent: string): string[] {
  if (!doc) return [];
  const lines = doc.split('\n');
  if (lines.length === 1 && indent.length + lines[0].length + 7 <= WIDTH) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.flatMap((l) => wrap(l, WIDTH - indent.length - 3)).map((l) => `${indent} * ${l}`), `${indent} */`];
}

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...out, line];
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}

/** The TypeScript type a schema accepts; objects are written as literals indented by `indent`. */
function typeOf(schema: Schema, named: ReadonlyMap<object, string>, indent: string): string {
  // A fragment spread into a property with its own description keeps its union or enum array.
  const name = [schema, schema.anyOf, schema.oneOf, schema.enum].map((k) => (k && typeof k === 'object' ? named.get(k) : undefined)).find(Boolean);
  if (name) return name;
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (branches) return branches.map((b) => typeOf(b, named, indent)).join(' | ');
  const properties = schema.properties as Readonly<Record<string, Schema>> | undefined;
  if (properties) {
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const lines = Object.entries(properties).flatMap(([key, s]) => member(key, s, !required.has(key), named, `${indent}  `));
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = typeOf((schema.items as Schema | undefined) ?? {}, named, indent);
      const n = schema.minItems;
      if (typeof n === 'number' && n === schema.maxItems && n <= 4) return `readonly [${Array.from({ length: n }, () => item).join(', ')}]`;
      return item.includes(' | ') ? `readonly (${item})[]` : `readonly ${item}[]`;
    }
    case 'object':
      return 'Readonly<Record<string, unknown>>';
    default:
      return 'unknown';
  }
}
