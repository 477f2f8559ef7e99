import { pooling2DLowering } from './pooling2DLowering';

/** MaxPooling2D → MAX_POOL_2D (output on the input's grid). */
export const MaxPooling2DLowering = pooling2DLowering('MaxPooling2D', 'MAX_POOL_2D', false);
