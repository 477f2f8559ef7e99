import type { JsonValue } from '../invariants/Invariant';
import type { ProjectionTrait } from '../invariants/ProjectionTrait';
import type { PluginContext } from './PluginContext';
import type { PluginMetadata } from './PluginMetadata';

/**
 * What a plugin declares about invariants (DESIGN.md §5). The composer orders plugins and checks
 * compositions from these declarations alone; the session verifies them at run time.
 * @group Plugins
 */
export interface PluginInvariants {
  /** Invariants this plugin makes true on the weights it projects (e.g. `prune` → `sparsity`). */
  readonly establishes: readonly string[];
  /**
   * Invariants this plugin keeps true if they already hold, beyond those its `traits` keep (an
   * exporter that changes no weight lists what its file keeps).
   */
  readonly preserves: readonly string[];
  /**
   * What the plugin's projection does to values (see {@link ProjectionTrait}): it preserves every
   * invariant that is `preservedBy` one of them, including invariants added later. Default none.
   */
  readonly traits?: readonly ProjectionTrait[];
  /** Invariants that must be active (inherited or established by another plugin) for this plugin to work. */
  readonly requires: readonly string[];
}

/**
 * A collabopt plugin: a small object with a name, a validated options object, declared
 * invariants, and an `apply(ctx)` that taps the session's hooks through its {@link PluginContext}. Make plugins with
 * {@link definePlugin}, which validates options against `optionsSchema`.
 * @group Plugins
 */
export interface Plugin<O = unknown> {
  /** Identity in errors, taps and saved state, e.g. `'prune'`. */
  readonly name: string;
  /** The options after validation, with schema defaults filled in. Frozen. */
  readonly options: Readonly<O>;
  /** JSON Schema of the options (also used by recipes). */
  readonly optionsSchema: Readonly<Record<string, unknown>>;
  /** What the plugin establishes, preserves and requires; the composer orders and checks plugins from this alone. */
  readonly invariants: PluginInvariants;
  /**
   * What the runner needs to know to drive a stage with this plugin (training, calibration,
   * emulation). `definePlugin` always sets it; read it through {@link metadataOf}, which
   * supplies the defaults for hand-made plugin objects.
   */
  readonly metadata?: PluginMetadata;
  /**
   * Taps the session's hooks through `ctx`, the plugin's view of the session (tap-only hooks,
   * read-only position). Called once, by `collab()`, in composer order. Resolve targets and
   * fail on bad input here: nothing has been trained yet.
   */
  apply(ctx: PluginContext): void;
  /** State to save with the session (for resume): schedule position, centroids, observers... */
  saveState?(): JsonValue;
  /** Restores what `saveState` returned; called after `apply` when a session is loaded. */
  loadState?(state: JsonValue): void;
  /**
   * Releases what the plugin holds for its session (tensors, variables) when the session is
   * disposed — also without `finish()`, whose taps release the same. Called by
   * `session.dispose()`; must be safe after `finish()` and when called twice.
   */
  dispose?(): void;
}
