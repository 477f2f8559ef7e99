/**
 * Forward hooks for tfjs layers (DESIGN.md §4).
 *
 * Why this exists: tfjs has no forward hooks, and activation fake-quantization must change what a
 * layer computes inside every forward pass — in `fit`, `predict`, `evaluate` — with a
 * straight-through gradient, without rebuilding the user's model. Weight projections (§3) cannot
 * do that: they change weights, not activations.
 *
 * How: `Layer.apply()` calls `this.call(inputs, kwargs)` for both eager and graph execution, so an
 * own `call` property on the layer instance shadows the prototype method for that instance only.
 * The wrapper passes the inputs through `layerInput[name]`, lets `layerCall[name]` replace the
 * computation (else runs the original `call`), and passes the output through `layerOutput[name]`.
 * For `preActivation[name]`, the layer's `activation` object is swapped, *only for the duration of
 * the original call*, for one whose `apply` runs the hook first;
 * its class name differs from every built-in activation, so tfjs takes its unfused path and really
 * calls `activation.apply` (Dense and Conv layers otherwise fuse linear/relu/... into the matMul).
 *
 * Removal restores the exact previous state: the own property is deleted (or the previous own
 * property is put back), so nothing is left on the layer and `getConfig()`/save never see it.
 */
import type * as tf from '@tensorflow/tfjs';
import type { SyncBailHook, SyncWaterfallHook } from 'tapable';
import { SessionError } from '../errors/SessionError';
import type { ForwardContext } from '../hooks/SessionHooks';
import type { Session } from '../session/Session';

type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/** The hooks to route one layer's forward pass through; absent ones are skipped. */
export interface LayerForwardHooks {
  readonly input?: SyncWaterfallHook<[tf.Tensor | tf.Tensor[], ForwardContext]>;
  readonly preActivation?: SyncWaterfallHook<[tf.Tensor, ForwardContext]>;
  readonly call?: SyncBailHook<[tf.Tensor | tf.Tensor[], ForwardContext], tf.Tensor | tf.Tensor[] | undefined>;
  readonly output?: SyncWaterfallHook<[tf.Tensor | tf.Tensor[], ForwardContext]>;
}

interface Activation {
  apply(x: tf.Tensor, axis?: number): tf.Tensor;
  getClassName(): string;
}

const INSTALLED = Symbol('collabopt.forwardHook');

interface Installed {
  readonly session: Session;
  readonly previous: PropertyDescriptor | undefined;
}

/**
 * Installs and removes forward hooks on layer instances for one session.
 * @group Forward hooks
 */
export class ForwardHooks {
  private readonly installed = new Map<tf.layers.Layer, Installed>();

  constructor(private readonly session: Session) {}

  /** Routes `layer`'s forward pass through `hooks` until {@link ForwardHooks.removeAll}. */
  install(layer: tf.layers.Layer, hooks: LayerForwardHooks): void {
    const marked = layer as unknown as Record<symbol, Installed | undefined>;
    if (marked[INSTALLED]) {
      throw new SessionError(`layer '${layer.name}' already has a forward hook from another active session; finish that session first`);
    }
    const holder = layer as unknown as { activation?: Activation };
    if (hooks.preActivation && !(holder.activation && typeof holder.activation.apply === 'function')) {
      throw new SessionError(`preActivation hook on layer '${layer.name}' (${layer.getClassName()}), which has no fused activation`);
    }
    const previous = Object.getOwnPropertyDescriptor(layer, 'call');
    const original = (layer as unknown as { call: CallFn }).call;
    const session = this.session;
    const callOriginal = (self: tf.layers.Layer, routed: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>, context: ForwardContext) => {
      if (!hooks.preActivation) return original.call(self, routed, kwargs);
      const fields = self as unknown as { activation: Activation };
      const activation = fields.activation;
      const pre = hooks.preActivation;
      fields.activation = {
        apply: (x: tf.Tensor, axis?: number) => activation.apply(pre.call(x, context), axis),
        getClassName: () => `CollaboptHooked(${activation.getClassName()})`,
      };
      try {
        return original.call(self, routed, kwargs);
      } finally {
        fields.activation = activation;
      }
    };
    const wrapped: CallFn = function (this: tf.layers.Layer, inputs, kwargs) {
      const context: ForwardContext = {
        session,
        layer: this,
        training: kwargs?.['training'] === true,
        calibrating: session.calibrating,
        inputs,
      };
      const routed = hooks.input ? hooks.input.call(inputs, context) : inputs;
      // A replacement computes the whole layer, activation included.
      const output = hooks.call?.call(routed, context) ?? callOriginal(this, routed, kwargs, context);
      return hooks.output ? hooks.output.call(output, context) : output;
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
