/** Documentation of one option: what the reference and editors show. */
export interface OptionDoc {
  readonly description: string;
  readonly examples?: readonly unknown[];
}

// Targeting options are the same in every weight-side plugin (core's selectors).
const TARGETING: Record<string, OptionDoc> = {
  include: {
    description:
      'Layers or weights to apply to (default: every supported kernel): exact layer names, weight ids (`"conv1/bias"`), `"/regex/"` over layer names, or `{ "className": "Conv2D" }`.',
    examples: [['conv1', { className: 'Dense' }]],
  },
  exclude: { description: 'Layers or weights to leave alone (same selectors as `include`); wins over `include`.', examples: [['fc2']] },
  className: { description: 'A tfjs layer class name.', examples: ['Conv2D'] },
};

// Per-layer rules, in plugins that have `layers`.
const LAYER_RULES: Record<string, OptionDoc> = {
  'layers[].select': { description: 'Selectors of the layers this rule applies to (as in `include`).', examples: [['fc1']] },
};

const STEP = 'Steps (an integer or `"500ba"`) or epochs (`"2ep"`, `"0.5ep"`).';

/**
 * Documentation of plugin options for the recipe schema, where the plugins' own `optionsSchema`
 * has none (their READMEs document them for code). Keys are option paths — `finalSparsity`,
 * `schedule.targetSparsity`, `layers[].select` — matched against the end of a property's path, so
 * `schedule.type` also documents `layers[].schedule.type` and `className` every `className`. Descriptions a plugin schema gives itself
 * win. A test checks every key names a real option and every option has a description.
 */
export const pluginOptionDocs: Readonly<Record<string, Readonly<Record<string, OptionDoc>>>> = {
  prune: {
    ...TARGETING,
    ...LAYER_RULES,
    finalSparsity: { description: 'Target fraction of zeros in [0, 1). With `endStep`: polynomial decay from `initialSparsity`; without: constant sparsity.', examples: [0.5] },
    initialSparsity: { description: 'Sparsity at `beginStep` for polynomial decay. Default 0.', examples: [0] },
    beginStep: { description: `First pruning step. ${STEP} Default 0.`, examples: [0] },
    endStep: { description: `Last pruning step; the mask is then frozen and \`sparsity\` established. ${STEP}`, examples: ['1ep'] },
    frequency: { description: `Prune every \`frequency\` steps. ${STEP} Default 100 (TFMOT).`, examples: [10] },
    power: { description: 'Polynomial decay exponent. Default 3.', examples: [3] },
    schedule: {
      description:
        'An explicit schedule instead of the shortcut options: TFMOT\'s `constantSparsity` or `polynomialDecay` (in code, also any `PruningSchedule` object; JSON recipes have only these two).',
      examples: [{ type: 'constantSparsity', targetSparsity: 0.8, frequency: 1 }],
    },
    'schedule.type': { description: 'Schedule kind.', examples: ['polynomialDecay'] },
    'schedule.targetSparsity': { description: 'Constant sparsity in [0, 1).', examples: [0.8] },
    'schedule.initialSparsity': { description: 'Sparsity at `beginStep`. Default 0.', examples: [0] },
    'schedule.finalSparsity': { description: 'Sparsity at `endStep`.', examples: [0.5] },
    'schedule.beginStep': { description: `First pruning step. ${STEP} Default 0.`, examples: [0] },
    'schedule.endStep': { description: `Last pruning step (\`-1\`: forever, constant sparsity only). ${STEP}`, examples: ['2ep'] },
    'schedule.frequency': { description: `Prune every \`frequency\` steps. ${STEP} Default 100.`, examples: [100] },
    'schedule.power': { description: 'Polynomial decay exponent. Default 3.', examples: [3] },
    block: { description: 'Block sparsity for rank-2 kernels: prune whole `[h, w]` blocks ranked by average or max magnitude.', examples: [{ size: [4, 1] }] },
    'block.size': { description: 'Block height and width.', examples: [[4, 1]] },
    'block.pooling': { description: 'How a block is ranked: `avg` (default) or `max` magnitude.', examples: ['avg'] },
    nm: { description: 'N:M structured sparsity: `m` zeros in every `n` consecutive input channels (TFLite layout); `{}` is 2:4.', examples: [{}] },
    'nm.m': { description: 'Zeros per group. Default 2.', examples: [2] },
    'nm.n': { description: 'Group size. Default 4.', examples: [4] },
    layers: {
      description: 'Per-layer settings: the weights matched by `select` get these settings instead of the top-level ones.',
      examples: [[{ select: ['fc1'], finalSparsity: 0.8 }]],
    },
    exactTies: { description: 'Break magnitude ties by index so exactly the scheduled number of weights is pruned. Default false (TFMOT keeps ties).', examples: [true] },
  },
  sparsityConstraint: {
    ...TARGETING,
    include: {
      description:
        'Layers or weights whose masks to keep (default: every weight with an inherited mask, plus supported kernels with zeros when `derive`); selectors as in `prune`.',
      examples: [['conv1', { className: 'Dense' }]],
    },
    derive: { description: 'Derive masks from the zeros of supported kernels that have no inherited mask (as TFMOT does between stages).', examples: [true] },
  },
  cluster: {
    ...TARGETING,
    ...LAYER_RULES,
    numClusters: { description: 'Number of clusters k, per tensor (or per output channel with `perChannel`). Default 16; an inherited clustering keeps its own k.', examples: [16] },
    init: { description: 'Centroid initialisation, seeded by the recipe `seed`. Default `kmeans++` (TFMOT).', examples: ['kmeans++'] },
    perChannel: { description: 'k centroids per output channel instead of per tensor. Default false.', examples: [true] },
    refineIterations: { description: 'Lloyd (k-means) iterations after initialisation. Default 0 (TFMOT has none).', examples: [5] },
    preserveSparsity: { description: '`auto`: sparsity-aware where `sparsity` is active (a zero centroid is pinned); `false`: ignore sparsity (and do not preserve it).', examples: ['auto'] },
    layers: {
      description: 'Per-layer settings: the weights matched by `select` get these settings instead of the top-level ones.',
      examples: [[{ select: ['fc2'], numClusters: 32 }]],
    },
    centroidUpdate: { description: 'How a centroid follows the optimizer: `mean` of its members\' steps, or TFMOT\'s `sum`.', examples: ['mean'] },
  },
  quantize: {
    ...TARGETING,
    include: { description: 'Layers to quantize (weights and activations); others stay float. Default: all.', examples: [['conv1', 'conv2']] },
    exclude: { description: 'Layers to leave float (wins over `include`).', examples: [['fc2']] },
    mode: { description: '`qat`: quantization-aware training (ranges follow training batches); `ptq`: post-training quantization (ranges from the stage\'s `calibrate` passes; the stage must not train).', examples: ['ptq'] },
    weightBits: { description: 'Weight bit width, symmetric narrow range; int8 export needs 8.', examples: [8] },
    activationBits: { description: 'Activation bit width, asymmetric.', examples: [8] },
    activationDecay: { description: 'EMA decay of QAT range observers (TFMOT: 0.999).', examples: [0.999] },
    rangeInit: { description: 'How QAT ranges start: `firstBatch` (the first batch\'s min/max) or `tfmot` (±6, as TFMOT).', examples: ['firstBatch'] },
  },
};
