import type { Plugin } from './Plugin';
import { DEFAULT_PLUGIN_METADATA, type PluginMetadata } from './PluginMetadata';

/**
 * A plugin's runner metadata, with the defaults for a plugin object that declares none.
 * @group Plugins
 */
export function metadataOf(plugin: Plugin<unknown>): PluginMetadata {
  return plugin.metadata ?? DEFAULT_PLUGIN_METADATA;
}
