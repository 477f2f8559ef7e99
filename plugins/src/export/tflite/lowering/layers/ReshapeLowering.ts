import { shapeOnlyLowering } from './shapeOnlyLowering';

/** Reshape → RESHAPE (removed when the shape stays). */
export const ReshapeLowering = shapeOnlyLowering('Reshape');
