import { elementwiseLowering } from './elementwiseLowering';

/** Add (2+ inputs) → a chain of ADD. */
export const AddLowering = elementwiseLowering('Add', 'ADD');
