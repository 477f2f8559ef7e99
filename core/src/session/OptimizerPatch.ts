import type * as tf from '@tensorflow/tfjs';

/**
 * Patches `optimizer.applyGradients` on the instance so the straight-through update and the
 * projection happen synchronously inside the optimizer step. That is the only moment that is
 * both after the weights moved and before tfjs runs validation on the last batch of `fit()`.
 * @internal
 */
export class OptimizerPatch {
  private patch: { optimizer: tf.Optimizer; restore: () => void } | null = null;

  /** @param afterStep runs right after every `applyGradients` of the attached optimizer. */
  constructor(private readonly afterStep: () => void) {}

  /** Patches `optimizer` (undoing any earlier patch); no-op if it is already the patched one. */
  attach(optimizer: tf.Optimizer | undefined): void {
    if (!optimizer || this.patch?.optimizer === optimizer) return;
    this.detach();
    const target = optimizer as unknown as { applyGradients: (g: unknown) => void };
    const previous = Object.getOwnPropertyDescriptor(target, 'applyGradients');
    const original = target.applyGradients;
    const afterStep = this.afterStep;
    Object.defineProperty(target, 'applyGradients', {
      configurable: true,
      writable: true,
      value: function (this: unknown, grads: unknown) {
        original.call(this, grads);
        afterStep();
      },
    });
    this.patch = {
      optimizer,
      restore: () => {
        if (previous) Object.defineProperty(target, 'applyGradients', previous);
        else delete (target as { applyGradients?: unknown }).applyGradients;
      },
    };
  }

  /** Restores the optimizer exactly as it was (own property or prototype method). */
  detach(): void {
    this.patch?.restore();
    this.patch = null;
  }
}
