/**
 * The int8 fidelity contract on the spatial blocks of the random-model generator (issue 16:
 * Conv2DTranspose upsampling, nearest upsampling + cropping, Permute): each alone within one
 * output step of the session's fake-quant model, and corpus models that mix them with the
 * default blocks within two, after PTQ and after QAT, in LiteRT and TFLite 2.9 (linear heads;
 * softmax heads are measured apart in int8Fidelity.test.ts). Measured (TFLite 2.9, 32 samples):
 * single blocks ≤ 1 step on seeds 1–3; the 16-model mixed corpus (seeds 0–15) ≤ 2, 1 on 14 of them.
 */
import { expect } from 'chai';
import { measureInt8Fidelity } from '../helpers/int8Fidelity';
import { runtimesToCheck } from '../helpers/liteRt';
import { randomModel, RANDOM_MODEL_BLOCKS, SPATIAL_MODEL_BLOCKS, type RandomModel } from '../helpers/randomModels';

/** Mixed-corpus seeds holding at least one spatial block (of seeds 0–15). */
const MIXED_SEEDS = [1, 4, 12, 14];
const POOL = [...RANDOM_MODEL_BLOCKS, ...SPATIAL_MODEL_BLOCKS];

async function expectWithin(steps: number, make: () => RandomModel, scenario: 'ptq' | 'qat', seed: number): Promise<void> {
  const { model, describe } = make();
  try {
    const runtimes = await runtimesToCheck('spatial int8 fidelity');
    const r = await measureInt8Fidelity(model, scenario, { seed, runtimes });
    expect(r.maxSteps, `${describe} (seed ${seed}, ${scenario})`).to.be.at.most(steps + 1e-4);
  } finally {
    model.dispose();
  }
}

describe('int8 fidelity: spatial blocks (Conv2DTranspose, UpSampling2D + Cropping2D, Permute)', function () {
  this.timeout(180_000);
  for (const block of SPATIAL_MODEL_BLOCKS) {
    for (const scenario of ['ptq', 'qat'] as const) {
      it(`${block} → dense (linear) within one step after ${scenario.toUpperCase()}`, async () => {
        for (const seed of [1, 2]) await expectWithin(1, () => randomModel(100 * seed + 50 + SPATIAL_MODEL_BLOCKS.indexOf(block), { blocks: [block], head: 'linear' }), scenario, seed);
      });
    }
  }
  for (const scenario of ['ptq', 'qat'] as const) {
    it(`mixed corpus models ${MIXED_SEEDS.join(', ')} within two steps after ${scenario.toUpperCase()}`, async () => {
      for (const seed of MIXED_SEEDS) await expectWithin(2, () => randomModel(seed, { pool: POOL, head: 'linear' }), scenario, seed);
    });
  }
});
