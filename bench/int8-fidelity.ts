/**
 * int8 fidelity over a seeded corpus of random models (test/helpers/randomModels.ts): the int8
 * TFLite file (tfjs-tflite-node's TFLite 2.9) against the session's fake-quant predict(), max
 * |diff| in output steps, after PTQ calibration and after a short QAT fine-tune. The contract
 * (DESIGN.md §11) is ≤ 1 step on single layers and small models, ≤ 2 on any supported model.
 *
 *   npm run bench -- int8-fidelity [--models 40] [--single]
 *
 * Softmax heads are also measured taken apart: the file's logits against the fake-quant logits
 * (logit steps) and the file's softmax against the softmax of its own logits (output steps).
 *
 * `--single` measures one model per block kind (that block alone, then the head) instead;
 * `--blocks a,b` limits it to those kinds.
 * `--prefixes <seed>` measures every prefix of model `seed` (the model cut after each layer, in
 * that layer's own output steps), to see where a model's difference starts and how it grows;
 * with `--blocks a,b [--head softmax|linear]` the model is built from those blocks.
 * `--all-blocks` draws the corpus (and `--single`'s kinds) from the activation and merge blocks
 * too (`ALL_RANDOM_MODEL_BLOCKS`: LeakyReLU, PReLU, ELU, swish, gelu, hard-swish,
 * squeeze-excite, Maximum, Minimum, Average); `--architectures` measures the test-size
 * MobileNet-v2, MobileNet-v3-small and EfficientNet-lite (test/helpers/architectures.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { measureInt8Fidelity, type FidelityScenario } from '../test/helpers/int8Fidelity';
import { ALL_RANDOM_MODEL_BLOCKS, RANDOM_MODEL_BLOCKS, randomModel, type RandomModel, type RandomModelBlock, type RandomModelOptions } from '../test/helpers/randomModels';
import { architectureModel, ARCHITECTURES } from '../test/helpers/architectures';
import { formatTable } from '../recipes/src/report/formatTable';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};

/** A difference of exactly k steps, divided by the step in float, can read k + 1e-7: not over k. */
const SLACK = 1e-4;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Each prefix of model `seed`, cut after each layer, measured in that layer's output steps. */
async function prefixes(seed: number, options: RandomModelOptions): Promise<void> {
  // Built once for its layer list and description; each measurement trains a fresh copy.
  const reference = randomModel(seed, options);
  const layers = reference.model.layers.slice(1).map((l) => ({ name: l.name, className: l.getClassName() }));
  const describe = reference.describe;
  reference.model.dispose();
  const rows: string[][] = [];
  for (const scenarioLayer of layers) {
    const row = [`${scenarioLayer.name} (${scenarioLayer.className})`];
    for (const scenario of ['ptq', 'qat'] as const) {
      const full = randomModel(seed, options).model;
      const prefix = tf.model({ inputs: full.inputs, outputs: full.getLayer(scenarioLayer.name).output as tf.SymbolicTensor });
      try {
        const r = await measureInt8Fidelity(prefix, scenario, { seed });
        row.push(r.maxSteps.toFixed(2), r.outputSteps[0]!.toExponential(3));
      } catch (e) {
        row.push(`error: ${(e as Error).message.split('\n')[0]!.slice(0, 60)}`, '');
      } finally {
        full.dispose();
      }
    }
    rows.push(row);
  }
  console.log(`model ${seed}: ${describe}`);
  console.log(formatTable({ header: ['cut after', 'PTQ steps', 'PTQ step', 'QAT steps', 'QAT step'], rows }));
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const blocks = arg('blocks')?.split(',') as RandomModelBlock[] | undefined;
  const head = arg('head') as 'softmax' | 'linear' | undefined;
  if (arg('prefixes') !== undefined) return prefixes(Number(arg('prefixes')), { ...(blocks && { blocks }), ...(head && { head }) });
  const single = process.argv.includes('--single');
  const count = Number(arg('models') ?? 40);
  const only = blocks;
  const pool = process.argv.includes('--all-blocks') ? ALL_RANDOM_MODEL_BLOCKS : RANDOM_MODEL_BLOCKS;
  const builders: (() => RandomModel)[] = process.argv.includes('--architectures')
    ? ARCHITECTURES.map((a, i) => () => {
        const model = architectureModel(a);
        return { model, seed: i, classes: model.layers.slice(1).map((l) => l.getClassName()), describe: a };
      })
    : single
    ? pool.flatMap((b, i) => (only && !only.includes(b) ? [] : [[b, i] as const])).flatMap(([b, i]) => (['linear', 'softmax'] as const).map((head) => () => randomModel(1000 + i, { blocks: [b], head })))
    : Array.from({ length: count }, (_, seed) => () => randomModel(seed, { pool }));
  const rows: string[][] = [];
  const all: Record<FidelityScenario, number[]> = { ptq: [], qat: [] };
  const logits: Record<FidelityScenario, number[]> = { ptq: [], qat: [] };
  for (const build of builders) {
    const row: string[] = [];
    const head: string[] = [];
    let describe = '';
    for (const scenario of ['ptq', 'qat'] as const) {
      const rm = build();
      describe = `${rm.seed}: ${rm.describe}`;
      try {
        const r = await measureInt8Fidelity(rm.model, scenario, { seed: rm.seed });
        all[scenario].push(r.maxSteps);
        row.push(r.maxSteps.toFixed(2));
        // A softmax head taken apart: logits (logit steps), softmax of the file's own logits (output steps).
        head.push(r.softmaxHead ? `${r.softmaxHead.logitSteps.toFixed(0)} / ${r.softmaxHead.softmaxSteps.toFixed(0)}` : '');
        if (r.softmaxHead) logits[scenario].push(r.softmaxHead.logitSteps);
      } catch (e) {
        row.push(`error: ${(e as Error).message.split('\n')[0]!.slice(0, 60)}`);
        head.push('');
      } finally {
        rm.model.dispose();
      }
    }
    rows.push([describe, row[0]!, head[0]!, row[1]!, head[1]!]);
    console.error(rows[rows.length - 1]!.join('  '));
  }
  console.log(formatTable({ header: ['model', 'PTQ steps', 'PTQ logits / softmax', 'QAT steps', 'QAT logits / softmax'], rows }));
  const summary = (['ptq', 'qat'] as const).map((s) => {
    const v = [...all[s]].sort((a, b) => a - b);
    return [s.toUpperCase(), String(v.length), quantile(v, 0.5).toFixed(2), quantile(v, 0.9).toFixed(2), (v[v.length - 1] ?? NaN).toFixed(2), String(v.filter((x) => x > 1 + SLACK).length), String(v.filter((x) => x > 2 + SLACK).length)];
  });
  console.log('\n' + formatTable({ header: ['scenario', 'models', 'median', 'p90', 'max', '> 1 step', '> 2 steps'], rows: summary }));
  const heads = (['ptq', 'qat'] as const).map((s) => [s.toUpperCase(), String(logits[s].length), (Math.max(...logits[s], 0)).toFixed(2), String(logits[s].filter((x) => x > 1 + SLACK).length)]);
  console.log('\n' + formatTable({ header: ['softmax heads', 'models', 'max logit steps', '> 1 logit step'], rows: heads }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
