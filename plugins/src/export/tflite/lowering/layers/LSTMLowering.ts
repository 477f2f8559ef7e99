import { recurrentLowering } from './recurrentLowering';

/**
 * LSTM, unrolled (tfjs's gate order i, f, c, o; the bias added once): `z = x·W + b + h·U`,
 * `c = f ⊙ c + i ⊙ act(z_c)`, `h = o ⊙ act(c)`, the gates through `recurrentActivation`.
 */
export const LSTMLowering = recurrentLowering({
  className: 'LSTM',
  gates: 4,
  step: (s, xw, previous, acts) => {
    const z = previous ? s.add(xw, s.recurrent(previous[0], 'recurrent'), 'z') : xw;
    const [zi, zf, zc, zo] = s.split(z, 4, 'z');
    const i = s.activation(acts.recurrent, zi, 'i');
    const g = s.activation(acts.activation, zc, 'g');
    const o = s.activation(acts.recurrent, zo, 'o');
    const ig = s.mul(i, g, 'i_g');
    // The carry starts at zero: its first value is i ⊙ g (the forget gate multiplies zeros).
    const c = previous ? s.add(s.mul(s.activation(acts.recurrent, zf, 'f'), previous[1], 'f_c'), ig, 'c') : ig;
    return [s.mul(o, s.activation(acts.activation, c, 'c_activated'), 'h'), c];
  },
});
