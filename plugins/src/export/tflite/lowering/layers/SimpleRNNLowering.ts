import { recurrentLowering } from './recurrentLowering';

/** SimpleRNN, unrolled: `h = activation(x·W + b + h·U)` per step (see `recurrentLowering`). */
export const SimpleRNNLowering = recurrentLowering({
  className: 'SimpleRNN',
  gates: 1,
  step: (s, xw, previous, acts) => {
    const pre = previous ? s.add(xw, s.recurrent(previous[0], 'recurrent'), 'preactivation') : xw;
    return [s.activation(acts.activation, pre, 'h')];
  },
});
