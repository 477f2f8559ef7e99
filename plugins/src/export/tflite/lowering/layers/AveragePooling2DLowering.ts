import { pooling2DLowering } from './pooling2DLowering';

/** AveragePooling2D → AVERAGE_POOL_2D, requantized onto its own range when one is recorded. */
export const AveragePooling2DLowering = pooling2DLowering('AveragePooling2D', 'AVERAGE_POOL_2D', true);
