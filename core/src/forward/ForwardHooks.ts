/**
 * Forward hooks for tfjs layers (DESIGN.md §4).
 *
 * Why this exists: tfjs has no forward hooks, and activation fake-quantization must change what a
 * layer outputs inside every forward pass — in `fit`, `predict`, `evaluate` — with a
 * straight-through gradient, without rebuilding the user's model. Weight projections (§3) cannot
 * do that: they change weights, not activations.
 *
 * How: `Layer.apply()` calls `this.call(inputs, kwargs)` for both eager and graph execution, so an
 * own `call` property on the layer instance shadows the prototype method for that instance only.
 * The wrapper runs the original `call` and passes its output through the layer's
 * `layerOutput[layer.name]` waterfall hook. Removal restores the exact previous state: the own
 * property is deleted (or the previous own property is put back), so nothing is left on the layer
 * and `getConfig()`/save never see it.
 */
import type * as tf from '@tensorflow/tfjs';
import type { SyncWaterfallHook } from 'tapable';
import { SessionError } from '../errors/SessionError';
import type { LayerOutputContext } from '../hooks/SessionHooks';
import type { Session } from '../session/Session';

type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

const INSTALLED = Symbol('collabopt.forwardHook');

interface Installed {
  readonly session: Session;
  readonly previous: PropertyDescriptor | undefined;
}

/** Installs and removes forward hooks on layer instances for one session. */
export class ForwardHooks {
  private readonly installed = new Map<tf.layers.Layer, Installed>();

  constructor(private readonly session: Session) {}

  /** Routes `layer`'s output through `hook` in every forward pass until {@link ForwardHooks.removeAll}. */
  install(layer: tf.layers.Layer, hook: SyncWaterfallHook<[tf.Tensor | tf.Tensor[], LayerOutputContext]>): void {
    const marked = layer as unknown as Record<symbol, Installed | undefined>;
    if (marked[INSTALLED]) {
      throw new SessionError(`layer '${layer.name}' already has a forward hook from another active session; finish that session first`);
    }
    const previous = Object.getOwnPropertyDescriptor(layer, 'call');
    const original = (layer as unknown as { call: CallFn }).call;
    const session = this.session;
    const wrapped: CallFn = function (this: tf.layers.Layer, inputs, kwargs) {
      const output = original.call(this, inputs, kwargs);
      return hook.call(output, {
        session,
        layer: this,
        training: kwargs?.['training'] === true,
        calibrating: session.calibrating,
        inputs,
      });
    };
    Object.defineProperty(layer, 'call', { value: wrapped, configurable: true, writable: true, enumerable: false });
    const record: Installed = { session, previous };
    Object.defineProperty(layer, INSTALLED, { value: record, configurable: true, enumerable: false });
    this.installed.set(layer, record);
  }

  /** Layers that currently have a hook from this session. */
  layers(): tf.layers.Layer[] {
    return [...this.installed.keys()];
  }

  /** Removes every hook this session installed, restoring each layer exactly. */
  removeAll(): void {
    for (const [layer, { previous }] of this.installed) {
      if (previous) Object.defineProperty(layer, 'call', previous);
      else delete (layer as unknown as { call?: unknown }).call;
      delete (layer as unknown as Record<symbol, unknown>)[INSTALLED];
    }
    this.installed.clear();
  }
}
