/** @packageDocumentation Browser-safe entry. */
export {};
