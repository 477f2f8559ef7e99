import { elementwiseLowering } from './elementwiseLowering';

/** Multiply (2+ inputs) → a chain of MUL. */
export const MultiplyLowering = elementwiseLowering('Multiply', 'MUL');
