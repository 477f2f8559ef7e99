import { shapeOnlyLowering } from './shapeOnlyLowering';

/** Flatten → RESHAPE (removed on 2-D data). */
export const FlattenLowering = shapeOnlyLowering('Flatten');
