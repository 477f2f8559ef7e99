import type { JsonSchema } from './JsonSchema';
import type { RecipePluginFactory } from './recipePlugins';

/**
 * Schema fragment of one entry of a stage's `plugins`: `{ "plugin": name, ...options }`. One branch
 * per plugin, built from the factory's `optionsSchema` plus `plugin: { const: name }`, combined with
 * ajv's `discriminator` on `plugin` — so an options error in a `prune` entry is reported against
 * prune's schema only, never against every plugin's. The options' descriptions, defaults and
 * examples are the plugin's own (its schema is their one source).
 *
 * @throws Error if a plugin's options schema cannot take the `plugin` key (not a closed object
 *   schema with `properties`, or it already has an option named `plugin`).
 */
export function pluginSpecSchema(plugins: Iterable<RecipePluginFactory>): JsonSchema {
  const branches = [...plugins].map(pluginBranch);
  const names = branches.map((b) => ((b.properties as Record<string, { const: string }>).plugin.const));
  return {
    type: 'object',
    description: 'One plugin of the stage: `plugin` names it, the other keys are its options (each plugin\'s own schema).',
    properties: { plugin: { type: 'string', description: `Plugin name: ${names.map((n) => `\`${n}\``).join(', ')}.`, examples: [names[0]] } },
    required: ['plugin'],
    discriminator: { propertyName: 'plugin' },
    oneOf: branches,
  };
}

function pluginBranch(factory: RecipePluginFactory): JsonSchema {
  const name = factory.pluginName;
  // A deep copy: the recipe schema is data of its own, never an alias of the plugin's schema.
  const options = JSON.parse(JSON.stringify(factory.optionsSchema)) as JsonSchema;
  const properties = options.properties as Record<string, JsonSchema> | undefined;
  if (options.type !== 'object' || !properties || options.additionalProperties !== false) {
    throw new Error(
      `plugin '${name}': its optionsSchema must be { type: 'object', properties, additionalProperties: false } to be used in recipes`,
    );
  }
  if ('plugin' in properties) throw new Error(`plugin '${name}': an option named 'plugin' clashes with the recipe's plugin key`);
  const { type: _type, properties: _properties, required, additionalProperties: _closed, ...rest } = options;
  return {
    type: 'object',
    title: name,
    ...rest,
    properties: { plugin: { const: name, description: `The \`${name}\` plugin.` }, ...properties },
    required: ['plugin', ...((required as string[] | undefined) ?? [])],
    additionalProperties: false,
  };
}
