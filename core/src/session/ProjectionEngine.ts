import * as tf from '@tensorflow/tfjs';
import { SessionError } from '../errors/SessionError';
import type { ProjectPhase, SessionHooks } from '../hooks/SessionHooks';
import type { TargetWeight } from '../weights/TargetWeight';
import type { Session } from './Session';

/**
 * Writes `W := P(L)` for a session: which weights are projected (recorded as plugins create
 * `project[id]` hooks, so nothing is guessed), which are dirty, the straight-through update of
 * the latents and the projection chain itself (DESIGN.md §3).
 * @internal
 */
export class ProjectionEngine {
  /** Ids of weights that have `project[id]` taps. */
  readonly projectedIds = new Set<string>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly session: Session,
    private readonly hooks: SessionHooks,
  ) {
    hooks.project.intercept({
      factory: (key, hook) => {
        this.projectedIds.add(String(key));
        return hook;
      },
    });
  }

  /** Weights some plugin projects. */
  projectedWeights(): TargetWeight[] {
    return [...this.projectedIds].map((id) => this.session.weight(id));
  }

  /** Remembers a weight for the next {@link ProjectionEngine.projectDirty}. */
  markDirty(weightId: string): void {
    this.dirty.add(weightId);
  }

  /** Tap names of each projected weight's chain, in run order (what the composer verifies). */
  chains(): Map<string, string[]> {
    const chains = new Map<string, string[]>();
    for (const id of this.projectedIds) chains.set(id, (this.hooks.project.get(id)?.taps ?? []).map((t) => t.name));
    return chains;
  }

  /**
   * Straight-through estimator: the optimizer moved W to W'; the latent takes the same step
   * (L += W' − W), `update` taps see `weight.delta`, then every weight is re-projected.
   */
  absorbStep(step: number): void {
    const weights = this.projectedWeights();
    for (const w of weights) {
      if (!w.latent || !w.lastProjected) continue;
      const prev = w.lastProjected;
      w.delta = tf.tidy(() => {
        const delta = tf.sub(w.value(), prev);
        w.latent!.assign(tf.add(w.latent!, delta));
        return delta;
      });
    }
    try {
      this.hooks.update.call({ session: this.session, step });
    } finally {
      for (const w of weights) {
        w.delta?.dispose();
        w.delta = null;
      }
    }
    this.projectAll('update');
  }

  /** Projects every projected weight (dirty or not). */
  projectAll(phase: ProjectPhase): void {
    this.dirty.clear();
    for (const w of this.projectedWeights()) this.projectWeight(w, phase);
  }

  /** Projects the weights marked dirty since the last projection. */
  projectDirty(phase: ProjectPhase): void {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) if (this.projectedIds.has(id)) this.projectWeight(this.session.weight(id), phase);
  }

  private projectWeight(w: TargetWeight, phase: ProjectPhase): void {
    const hook = this.hooks.project.get(w.id);
    const latent = w.latent;
    if (!hook || !latent) return;
    let pending: tf.Tensor | null = null;
    const [projected, newLatent] = tf.tidy(() => {
      const out = hook.call(latent, {
        session: this.session,
        weight: w,
        step: this.session.step,
        phase,
        latent,
        setLatent: (value) => {
          pending = value;
        },
      });
      // A chain whose taps all keep the value returns the latent itself (tapable's waterfall).
      const value = out === undefined || out === latent ? tf.clone(latent) : out;
      const lat = pending as tf.Tensor | null;
      // Always a copy: setLatent's contract leaves the caller owning its tensor, which may have
      // been made outside this tidy (a kept mask product) and must not become the latent itself.
      return lat ? [value, tf.clone(lat)] : [value];
    });
    if (!sameShape(projected.shape, w.shape) || (newLatent && !sameShape(newLatent.shape, w.shape))) {
      projected.dispose();
      newLatent?.dispose();
      throw new SessionError(
        `projection of '${w.id}' by [${hook.taps.map((t) => t.name).join(', ')}] returned shape ` +
          `[${projected.shape}], expected [${w.shape}]`,
      );
    }
    if (newLatent) {
      latent.assign(newLatent);
      // The projection may be the new latent itself (a mask first in the chain); it is kept below.
      if (newLatent !== projected) newLatent.dispose();
    }
    (w.value() as tf.Variable).assign(projected);
    w.lastProjected?.dispose();
    // Kept: projections also run inside tfjs's per-batch tidy (from the patched optimizer).
    w.lastProjected = tf.keep(projected);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
