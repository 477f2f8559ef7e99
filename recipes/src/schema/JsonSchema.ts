/**
 * A JSON Schema (draft-07) as plain data. Kept loose on purpose: recipe schemas are assembled from
 * plugins' `optionsSchema` objects, which are plain records too.
 */
export type JsonSchema = Record<string, unknown>;
