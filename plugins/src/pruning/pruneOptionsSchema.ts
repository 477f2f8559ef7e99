/**
 * The options of `prune`, as JSON Schema: the one source of their types (PruneOptions.ts,
 * generated), the README table, the recipe reference and the defaults the plugin applies.
 * After an edit, `npm run docs:sync` regenerates what derives from it.
 */
import { targetingSchema } from '@collabopt/core';
import { optionDefaults } from '../common/optionDefaults';
import { unionBranch } from '../common/unionBranch';

const STEPS = 'Steps (an integer or `"500ba"`) or epochs (`"2ep"`, `"0.5ep"`).';

/**
 * The schema of a {@link StepSpec}: a step count, or a string (`"500ba"`, `"2ep"`) that the
 * schedule parses.
 * @internal
 */
export const stepSpecSchema = { anyOf: [{ type: 'integer' }, { type: 'string', minLength: 1 }] } as const;

const sparsity = { type: 'number', minimum: 0, exclusiveMaximum: 1 } as const;

/** Properties of the `constantSparsity` schedule (TFMOT's `ConstantSparsity`). @internal */
export const constantSparsityScheduleSchema = {
  type: 'object',
  properties: {
    type: { const: 'constantSparsity', description: 'TFMOT\'s `ConstantSparsity`: the same sparsity at every pruning step.' },
    targetSparsity: { ...sparsity, description: 'Fraction of weights pruned at every pruning step, in [0, 1).', examples: [0.8] },
    beginStep: { ...stepSpecSchema, default: 0, description: `First pruning step. ${STEPS}` },
    endStep: { ...stepSpecSchema, default: -1, description: `Last pruning step, or \`-1\` to prune forever (\`sparsity\` is then established at \`finish()\`). ${STEPS}` },
    frequency: { ...stepSpecSchema, default: 100, description: `Prune every \`frequency\` steps counted from \`beginStep\`. ${STEPS}` },
  },
  required: ['type', 'targetSparsity'],
  additionalProperties: false,
} as const;

/** Properties of the `polynomialDecay` schedule (TFMOT's `PolynomialDecay`). @internal */
export const polynomialDecayScheduleSchema = {
  type: 'object',
  properties: {
    type: { const: 'polynomialDecay', description: 'TFMOT\'s `PolynomialDecay`: sparsity rising from `initialSparsity` to `finalSparsity`.' },
    initialSparsity: { ...sparsity, default: 0, description: 'Sparsity at `beginStep`, in [0, 1).' },
    finalSparsity: { ...sparsity, description: 'Sparsity reached at `endStep` and kept after it, in [0, 1).', examples: [0.5] },
    beginStep: { ...stepSpecSchema, default: 0, description: `First pruning step. ${STEPS}` },
    endStep: { ...stepSpecSchema, description: `Step at which \`finalSparsity\` is reached; the masks are frozen after it. ${STEPS}`, examples: ['2ep'] },
    power: { type: 'number', exclusiveMinimum: 0, default: 3, description: 'Exponent of the decay.' },
    frequency: { ...stepSpecSchema, default: 100, description: `Prune every \`frequency\` steps counted from \`beginStep\`. ${STEPS}` },
  },
  required: ['type', 'finalSparsity', 'endStep'],
  additionalProperties: false,
} as const;

/** The `schedule` option: one of TFMOT's two schedules, as JSON. @internal */
export const pruneScheduleConfigSchema = {
  oneOf: [unionBranch(constantSparsityScheduleSchema), unionBranch(polynomialDecayScheduleSchema)],
  description:
    'An explicit schedule instead of the shortcut options: TFMOT\'s `constantSparsity` or `polynomialDecay` (in code, also any object implementing `PruningSchedule`; JSON recipes have only these two). Omitted: the shortcut options make the schedule.',
  examples: [{ type: 'constantSparsity', targetSparsity: 0.8, frequency: 1 }],
} as const;

/** The `nm` option. @internal */
export const nmSchema = {
  type: 'object',
  properties: {
    m: { type: 'integer', minimum: 1, default: 2, description: 'Zeros per group.' },
    n: { type: 'integer', minimum: 2, default: 4, description: 'Group size.' },
  },
  additionalProperties: false,
  description: 'N:M structured sparsity: `m` zeros in every `n` consecutive input channels (TFLite layout); `{}` is 2:4. The mask is computed once, at the first step (schedules are ignored, as in TFMOT). Omitted: no N:M structure.',
  examples: [{}],
} as const;

/**
 * The settings of `prune` that can differ per layer (top level, overridden by `layers[i]`).
 * @internal
 */
export const pruneSettingsProperties = {
  finalSparsity: {
    ...sparsity,
    description: 'Target fraction of zeros in [0, 1). With `endStep`: polynomial decay from `initialSparsity`; without: constant sparsity forever. Omitted: give `schedule` or `nm` instead.',
    examples: [0.5],
  },
  initialSparsity: { ...sparsity, default: 0, description: 'Shortcut: sparsity at `beginStep` for polynomial decay.' },
  beginStep: { ...stepSpecSchema, default: 0, description: `Shortcut: first pruning step. ${STEPS}` },
  endStep: {
    ...stepSpecSchema,
    description: `Shortcut: last pruning step; the mask is then frozen and \`sparsity\` established. ${STEPS} Omitted (or \`-1\`): constant sparsity forever.`,
    examples: ['1ep'],
  },
  frequency: { ...stepSpecSchema, default: 100, description: `Shortcut: prune every \`frequency\` steps (TFMOT's default). ${STEPS}` },
  power: { type: 'number', exclusiveMinimum: 0, default: 3, description: 'Shortcut: polynomial decay exponent.' },
  schedule: pruneScheduleConfigSchema,
  block: {
    type: 'object',
    properties: {
      size: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2, maxItems: 2, description: 'Block height and width.', examples: [[4, 1]] },
      pooling: { enum: ['avg', 'max'], default: 'avg', description: 'How a block\'s magnitude is measured: the average or the maximum of its absolute values.' },
    },
    required: ['size'],
    additionalProperties: false,
    description: 'Block sparsity for rank-2 kernels: prune whole `[h, w]` blocks ranked by average or max magnitude. Omitted: each weight on its own.',
    examples: [{ size: [4, 1] }],
  },
  nm: nmSchema,
  exactTies: {
    type: 'boolean',
    default: false,
    description: 'Break magnitude ties by index so exactly the scheduled number of weights is pruned (`false`: ties are kept, as in TFMOT).',
  },
} as const;

/**
 * JSON Schema of the `prune` options, with a description and (where omitting means a value) a
 * default for every option.
 * @group Pruning
 * @jsonSchema
 */
export const pruneOptionsSchema = {
  type: 'object',
  properties: {
    ...pruneSettingsProperties,
    ...targetingSchema(pruneSettingsProperties, { select: ['fc1'], finalSparsity: 0.8 }),
  },
  additionalProperties: false,
} as const;

/** The defaults of the shortcut settings, of `nm` and of the two JSON schedules. @internal */
export const pruneDefaults = {
  settings: optionDefaults(pruneSettingsProperties),
  nm: optionDefaults(nmSchema.properties),
  constantSparsity: optionDefaults(constantSparsityScheduleSchema.properties),
  polynomialDecay: optionDefaults(polynomialDecayScheduleSchema.properties),
} as const;
