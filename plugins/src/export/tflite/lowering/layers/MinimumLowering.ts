import { extremumLowering } from './extremumLowering';

/** Minimum (2+ inputs) → a chain of MINIMUM, every input on the layer's grid in int8. */
export const MinimumLowering = extremumLowering('Minimum', 'MINIMUM');
