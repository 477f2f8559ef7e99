import { recurrentLowering } from './recurrentLowering';

/**
 * GRU, unrolled, with tfjs's semantics (gate order z, r, h; `resetAfter` false — tfjs refuses
 * true; the bias on the input side only): `z = σ(x·W_z + b_z + h·U_z)`, `r` alike,
 * `ĥ = act(x·W_h + b_h + (r ⊙ h)·U_h)`, `h' = z ⊙ h + (1 − z) ⊙ ĥ`, written `ĥ + z ⊙ (h − ĥ)`.
 *
 * `(r ⊙ h)·U_h` multiplies by the whole recurrent kernel and keeps its last third: the file holds
 * the kernel as the one tensor the model has (so its invariants are verified on it), at the cost
 * of 2·units² extra multiply-adds per step.
 */
export const GRULowering = recurrentLowering({
  className: 'GRU',
  gates: 3,
  step: (s, xw, previous, acts) => {
    const [xz, xr, xh] = s.split(xw, 3, 'x');
    if (!previous) {
      // h starts at zero: r ⊙ h and z ⊙ h vanish, h' = ĥ − z ⊙ ĥ.
      const z = s.activation(acts.recurrent, xz, 'z');
      const candidate = s.activation(acts.activation, xh, 'candidate');
      return [s.sub(candidate, s.mul(z, candidate, 'z_candidate'), 'h')];
    }
    const [h] = previous;
    const [rz, rr] = s.split(s.recurrent(h, 'recurrent'), 3, 'recurrent');
    const z = s.activation(acts.recurrent, s.add(xz, rz, 'z_pre'), 'z');
    const r = s.activation(acts.recurrent, s.add(xr, rr, 'r_pre'), 'r');
    const [, , rh] = s.split(s.recurrent(s.mul(r, h, 'r_h'), 'reset_recurrent'), 3, 'reset_recurrent');
    const candidate = s.activation(acts.activation, s.add(xh, rh, 'candidate_pre'), 'candidate');
    return [s.add(candidate, s.mul(z, s.sub(h, candidate, 'h_minus_candidate'), 'z_delta'), 'h')];
  },
});
