import { recurrentLowering } from './recurrentLowering';

/**
 * SimpleRNN, unrolled: `h = activation(x·W + b + h·U)` per step (see `recurrentLowering`).
 *
 * In int8 (activation tanh or sigmoid) the file rounds the input projection, each step's
 * recurrent product and sum onto the layer's recorded ranges (`recurrentRangeKeys`) and the
 * state onto TANH's / LOGISTIC's fixed grid; the quantize plugin rounds at the same places
 * (`simpleRnnForward`).
 */
export const SimpleRNNLowering = recurrentLowering({
  className: 'SimpleRNN',
  gates: 1,
  step: (s, xw, previous, acts) => {
    let pre = xw;
    if (previous) {
      pre = s.add(xw, s.recurrent(previous[0], 'recurrent'), 'preactivation');
      pre.rule = s.rangeRule('preActivation');
    }
    return [s.activation(acts.activation, pre, 'h')];
  },
  int8Problem: (acts) =>
    acts.activation === 'tanh' || acts.activation === 'sigmoid'
      ? null
      : `activation '${acts.activation}'; an int8 SimpleRNN needs tanh or sigmoid, whose fixed int8 grids (TANH, LOGISTIC) hold its state at every step`,
});
