import { extremumLowering } from './extremumLowering';

/** Maximum (2+ inputs) → a chain of MAXIMUM, every input on the layer's grid in int8. */
export const MaximumLowering = extremumLowering('Maximum', 'MAXIMUM');
