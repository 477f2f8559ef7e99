/**
 * The int8 fidelity contract (DESIGN.md §11): the int8 TFLite file run by a real runtime is
 * within one output step (max over elements, steps read from the file) of the session's
 * fake-quant model on single blocks, and within two on the first ten seeded corpus models,
 * after PTQ and after QAT (`npm run bench -- int8-fidelity` measures all of them). Each file is
 * run in LiteRT, the reference, and in TFLite 2.9; where 2.9 gives another distance the test
 * says so (2.9 alone where LiteRT cannot start, saying that instead).
 *
 * Blocks not listed miss the contract by a rounding *position*, not a rounding the emulation
 * skips (plugins/src/export/tflite/README.md, "Fidelity"): the emulation computes in float32 with
 * float biases, the file in integers, so elements within ~1e-4 of a .5 boundary can round to
 * the neighbouring level. A separable convolution's pointwise half has a fan-in of only a few
 * channels, so such a flip in the tensor between the halves reaches 2 output steps.
 *
 * Softmax heads: what the contract guarantees is the head taken apart — the file's logits within
 * one logit step of the fake-quant logits (two on the corpus models, as for any output there), and the file's softmax within one output step of the
 * softmax of its own logits rounded onto TFLite's 1/256 grid (measured: exactly equal on every
 * case here). A one-step logit difference (an upstream element that rounded to the neighbouring
 * level moves the logits by a fraction of a step, and a logit near a .5 boundary flips) becomes
 * up to `logit step · 256 · p(1 − p)` output steps: 2–7 on the seeds of depthwise-bn-relu,
 * linear, standalone-bn and multiply. Exact integer emulation in float32 would remove it only
 * if every layer upstream were bit-exact too.
 */
import { expect } from 'chai';
import { TFLITE_RUNTIME_LABELS } from '../../recipes/src/runner/TfliteRuntime';
import { measureInt8Fidelity } from '../helpers/int8Fidelity';
import { runtimesToCheck } from '../helpers/liteRt';
import { ALL_RANDOM_MODEL_BLOCKS, randomModel, unitCaseModel, UNIT_CASES, type RandomModel, type RandomModelBlock, type UnitCase } from '../helpers/randomModels';

const WITHIN_ONE_STEP: readonly RandomModelBlock[] = [
  'conv-bn-relu', 'conv-relu6', 'depthwise-bn-relu', 'maxpool', 'linear', 'zeropad',
  'avgpool', 'standalone-bn', 'concatenate', 'residual-add', 'multiply',
];

/**
 * Blocks within one step with a softmax head too (its output on TFLite's 1/256 grid in training;
 * where the logits agree, TFLite's int8 softmax gives exactly the rounded float softmax). Blocks
 * not listed have a seed here whose logits flip by one step somewhere, 2–7 softmax steps.
 */
const SOFTMAX_WITHIN_ONE_STEP: readonly RandomModelBlock[] = ['conv-bn-relu', 'conv-relu6', 'maxpool', 'zeropad', 'avgpool', 'concatenate', 'residual-add'];

/**
 * The corpus models of the suite: `randomModel(seed)` (2–5 random blocks, random head) for the
 * first ten seeds, none left out. A linear head is held to two steps over the model; a softmax
 * head taken apart (logits within two logit steps, softmax within one of its own logits' softmax).
 * The bench measures forty (`npm run bench -- int8-fidelity --models 40`).
 */
const CORPUS_SEEDS: readonly number[] = Array.from({ length: 10 }, (_, i) => i);

/**
 * The same first ten seeds drawn from every block (`{ pool: ALL_RANDOM_MODEL_BLOCKS }`: the
 * activation and merge blocks too), held the same way. Measured over seeds 0–23: every linear head
 * within two steps in both runtimes, every softmax head's logits within two logit steps except
 * {@link KNOWN_LOGIT_MISSES}.
 */
const ACTIVATION_CORPUS_SEEDS: readonly number[] = CORPUS_SEEDS;

/**
 * Corpus models whose softmax logits miss the two-step contract, by `seed/scenario`, with the
 * distance measured: kept in the test (so a regression beyond it fails, and a fix shows) rather
 * than the seed left out. Seed 8 of the all-blocks corpus after PTQ: 3 logit steps, from one-level
 * differences upstream compounding through its blocks (no rounding the emulation skips; see the
 * exporter README, "Fidelity").
 */
const KNOWN_LOGIT_MISSES: Readonly<Record<string, number>> = { 'all-blocks 8/ptq': 3 };

/**
 * Unit cases whose softmax-head logits are allowed more than one logit step, with the measured
 * reason: SAME average pooling is emulated as TFLite 2.9's reference kernel rounds it (≤ 1 step
 * there), but LiteRT's XNNPACK kernel rounds padded windows differently (measured: up to 3 logit
 * steps after QAT; linear heads stay ≤ 1). See the exporter README, "Fidelity".
 */
const UNIT_LOGIT_STEPS: Partial<Record<UnitCase, number>> = { 'avgpool-same': 3 };

/**
 * Seeds per unit case: three, two for the activation and merge cases (eleven of them; the
 * extended corpus below combines them further), to keep the suite's time.
 */
const UNIT_SEEDS = (unit: UnitCase): number[] => (UNIT_CASE_ORIGINALS.includes(unit) ? [1, 2, 3] : [1, 2]);
const UNIT_CASE_ORIGINALS: readonly UnitCase[] = ['rank2-bn', 'avgpool-same', 'separable-multiplier'];

/** A difference of exactly k steps, divided by the step in float, can read k + 1e-7. */
const slack = 1e-4;

/** Files where TFLite 2.9's distance is not LiteRT's, said once after the file's tests. */
const differing: string[] = [];
let measured = 0;
after(() => {
  if (differing.length === 0) return;
  console.log(`    [TFLite 2.9 differs] on ${differing.length} of ${measured} int8 files (steps from the fake-quant model, TFLite 2.9 vs LiteRT, the reference): ${differing.join('; ')}`);
});

/**
 * Corpus models (deeper): a linear head within `steps` over the model; a softmax head taken
 * apart, its logits within `steps` logit steps (the whole output is the logits' difference times
 * the softmax's slope: README, "Softmax heads").
 */
async function expectWithin(steps: number, seed: number, scenario: 'ptq' | 'qat', allBlocks = false): Promise<void> {
  const built = allBlocks ? randomModel(seed, { pool: ALL_RANDOM_MODEL_BLOCKS }) : randomModel(seed);
  const softmax = built.describe.endsWith('(softmax)');
  const logitSteps = KNOWN_LOGIT_MISSES[`${allBlocks ? 'all-blocks ' : ''}${seed}/${scenario}`] ?? steps;
  await expectModelWithin(softmax ? null : steps, built, scenario, seed, logitSteps);
}

/**
 * `steps` over the whole model (skipped when null), and for a softmax head: logits within
 * `logitSteps` logit steps, softmax within one step of the softmax of the file's logits.
 */
async function expectModelWithin(steps: number | null, { model, describe, seed }: RandomModel, scenario: 'ptq' | 'qat', measureSeed = seed, logitSteps = 1): Promise<void> {
  try {
    const runtimes = await runtimesToCheck('int8 fidelity');
    const r = await measureInt8Fidelity(model, scenario, { seed: measureSeed, runtimes });
    const what = `${describe} (model ${seed}, ${scenario}) in ${TFLITE_RUNTIME_LABELS[runtimes[0]!]}`;
    if (steps !== null) expect(r.maxSteps, what).to.be.at.most(steps + slack);
    if (runtimes[0] === 'litert') {
      measured++;
      const old = r.byRuntime!['tflite-2.9']!;
      if (Math.abs(old - r.maxSteps) > slack) differing.push(`${what}: ${old.toFixed(2)} in TFLite 2.9 vs ${r.maxSteps.toFixed(2)}`);
    }
    if (r.softmaxHead) {
      expect(r.softmaxHead.logitSteps, `${what}: logits, in logit steps`).to.be.at.most(logitSteps + slack);
      expect(r.softmaxHead.softmaxSteps, `${what}: softmax of the file's logits`).to.be.at.most(1 + slack);
    }
  } finally {
    model.dispose();
  }
}

describe('int8 fidelity: the int8 file is within one output step of the fake-quant model (single blocks, LiteRT and TFLite 2.9)', function () {
  this.timeout(180_000);

  for (const [head, blocks] of [['linear', WITHIN_ONE_STEP], ['softmax', WITHIN_ONE_STEP]] as const) {
    for (const block of blocks) {
      for (const scenario of ['ptq', 'qat'] as const) {
        const whole = head === 'linear' || SOFTMAX_WITHIN_ONE_STEP.includes(block);
        it(`${block} → dense (${head}), after ${scenario.toUpperCase()}${whole ? '' : ': logits and softmax apart'}`, async () => {
          // Several seeds per block: one lucky model does not make the contract.
          // The same models for both heads (up to the head's activation): seeds follow WITHIN_ONE_STEP.
          for (const seed of [1, 2, 3]) await expectModelWithin(whole ? 1 : null, randomModel(100 * seed + WITHIN_ONE_STEP.indexOf(block), { blocks: [block], head }), scenario, seed);
        });
      }
    }
  }
});

describe('int8 fidelity: per-layer unit cases the block generator does not make (LiteRT and TFLite 2.9)', function () {
  this.timeout(180_000);

  for (const unit of Object.keys(UNIT_CASES) as UnitCase[]) {
    for (const scenario of ['ptq', 'qat'] as const) {
      it(`${unit} → dense (linear) within one step; softmax head: logits and softmax apart, after ${scenario.toUpperCase()}`, async () => {
        for (const seed of UNIT_SEEDS(unit)) {
          await expectModelWithin(1, unitCaseModel(unit, seed, 'linear'), scenario);
          await expectModelWithin(null, unitCaseModel(unit, seed, 'softmax'), scenario, seed, UNIT_LOGIT_STEPS[unit] ?? 1);
        }
      });
    }
  }
});

describe('int8 fidelity: seeded corpus models with activation and merge blocks are within two output steps (LiteRT and TFLite 2.9)', function () {
  this.timeout(180_000);

  for (const scenario of ['ptq', 'qat'] as const) {
    it(`models ${ACTIVATION_CORPUS_SEEDS[0]}–${ACTIVATION_CORPUS_SEEDS[ACTIVATION_CORPUS_SEEDS.length - 1]} of every block (LeakyReLU, PReLU, ELU, swish, gelu, hard-swish, squeeze-excite, Maximum, Minimum, Average), linear heads; softmax heads apart, after ${scenario.toUpperCase()}`, async () => {
      for (const seed of ACTIVATION_CORPUS_SEEDS) await expectWithin(2, seed, scenario, true);
    });
  }
});

describe('int8 fidelity: seeded corpus models are within two output steps (LiteRT and TFLite 2.9)', function () {
  this.timeout(180_000);

  for (const scenario of ['ptq', 'qat'] as const) {
    it(`models ${CORPUS_SEEDS[0]}–${CORPUS_SEEDS[CORPUS_SEEDS.length - 1]} (linear heads; softmax heads' logits and softmax apart), after ${scenario.toUpperCase()}`, async () => {
      for (const seed of CORPUS_SEEDS) await expectWithin(2, seed, scenario);
    });
  }
});
