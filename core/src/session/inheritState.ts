import { SessionError } from '../errors/SessionError';
import { StateError } from '../errors/StateError';
import { getInvariant } from '../invariants/InvariantRegistry';
import { OptimizationState } from '../state/OptimizationState';
import { outputChannelLayout } from '../weights/outputChannelLayout';
import type { TargetWeight } from '../weights/TargetWeight';

/**
 * The optimization state a new session starts with: the inherited state (copied, checked against
 * the model), minus `release`d invariants, plus invariants `derive`d from the weights where the
 * state does not have them (as TFMOT does between stages). A resumed session keeps its state as given.
 * @internal
 */
export function inheritState(
  options: { readonly state?: OptimizationState; readonly release?: readonly string[]; readonly derive?: readonly string[]; readonly resume?: unknown },
  weights: ReadonlyMap<string, TargetWeight>,
): OptimizationState {
  let state: OptimizationState;
  if (options.resume) state = options.state ?? new OptimizationState();
  else if (options.state) {
    for (const id of options.state.weightIds()) {
      if (!weights.has(id)) throw new StateError(`inherited state has invariants for weight '${id}', which this model does not have`);
    }
    state = options.state.clone(options.state.stages[options.state.stages.length - 1] ?? 'previous');
  } else state = new OptimizationState();
  for (const x of options.release ?? []) {
    getInvariant(x);
    state.release(x);
  }
  for (const x of options.derive ?? []) {
    const inv = getInvariant(x);
    if (!inv.derive) throw new SessionError(`invariant '${x}' cannot be derived from weights`);
    for (const w of weights.values()) {
      if (state.has(w.id, x) || !/kernel|embeddings/.test(w.weightName)) continue;
      const data = inv.derive(w.value(), outputChannelLayout(w.className, w.weightName, w.shape));
      if (data !== null) state.establish(w.id, inv, data, `stage 'derived from weights'`);
    }
  }
  return state;
}

/**
 * The state of a saved session that continues (`Session.load`): the same records, each keeping
 * its original establisher, because it is the same stage continuing rather than a new one inheriting.
 * @internal
 */
export function continuedState(saved: OptimizationState): OptimizationState {
  const state = new OptimizationState();
  state.stages.push(...saved.stages);
  for (const [id, rec] of saved.entries()) state.establish(id, rec.invariant, rec.data, rec.establishedBy);
  return state;
}
