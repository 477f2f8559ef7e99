import type { InterfaceDeclaration, OptionSchema } from './OptionTypesFile';

/**
 * The three generated interfaces of a plugin with per-layer rules (`targetingSchema`'s `layers`):
 * `<Name>Settings` (what a rule can override), `<Name>LayerRule` (a rule: `select` plus
 * settings) and `<Name>Options` (the options: the settings plus targeting), in that order.
 * @param name - the type name prefix, e.g. `'Prune'`.
 * @param plugin - the factory's name, for the links, e.g. `'prune'`.
 * @param group - the TypeDoc group, e.g. `'Pruning'`.
 * @param schemas - the plugin's settings properties, rule schema and options properties.
 * @param alsoAccepts - setting types beyond the schema's (code objects), as in {@link InterfaceDeclaration.alsoAccepts}.
 */
export function layerRuleDeclarations(
  name: string,
  plugin: string,
  group: string,
  schemas: {
    readonly settings: Readonly<Record<string, OptionSchema>>;
    readonly rule: { readonly properties: Readonly<Record<string, OptionSchema>>; readonly required?: readonly string[] };
    readonly options: Readonly<Record<string, OptionSchema>>;
  },
  alsoAccepts?: Readonly<Record<string, string>>,
): InterfaceDeclaration[] {
  const settings = `${name}Settings`;
  const extendsSettings = { name: settings, properties: schemas.settings };
  return [
    {
      kind: 'interface',
      name: settings,
      doc: `Settings that can differ per layer (top-level options, overridden by \`layers[i]\`).\n@group ${group}`,
      properties: schemas.settings,
      ...(alsoAccepts ? { alsoAccepts } : {}),
    },
    {
      kind: 'interface',
      name: `${name}LayerRule`,
      doc: `A per-layer rule of {@link ${name}Options.layers}: the weights \`select\` matches get these settings; omitted ones keep the plugin-wide value.\n@group ${group}`,
      properties: schemas.rule.properties,
      required: schemas.rule.required,
      extends: extendsSettings,
    },
    {
      kind: 'interface',
      name: `${name}Options`,
      doc: `Options of {@link ${plugin}}.\n@group ${group}`,
      properties: schemas.options,
      extends: extendsSettings,
    },
  ];
}
