/**
 * The built-in plugins' option schemas are the one source of each option's type, description and
 * default: every option is documented, every optional one says what omitting it means (a
 * `default`, or "Omitted: ..."), and the defaults are what the plugins do when an option is
 * omitted — filled in by validation, applied by the plugin inside schedules, never filled into a
 * per-layer rule (which inherits the plugin-wide value).
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { cluster } from '../../plugins/src/clustering/ClusterPlugin';
import { clusterDefaults, clusterOptionsSchema } from '../../plugins/src/clustering/clusterOptionsSchema';
import { optionDefaults } from '../../plugins/src/common/optionDefaults';
import { ConstantSparsitySchedule } from '../../plugins/src/pruning/ConstantSparsitySchedule';
import { PolynomialDecaySchedule } from '../../plugins/src/pruning/PolynomialDecaySchedule';
import { prune } from '../../plugins/src/pruning/PrunePlugin';
import {
  constantSparsityScheduleSchema,
  polynomialDecayScheduleSchema,
  pruneDefaults,
  pruneOptionsSchema,
} from '../../plugins/src/pruning/pruneOptionsSchema';
import { sparsityConstraint } from '../../plugins/src/pruning/SparsityConstraintPlugin';
import { sparsityConstraintOptionsSchema } from '../../plugins/src/pruning/sparsityConstraintOptionsSchema';
import { tfjsExport } from '../../plugins/src/export/tfjs/TfjsExporter';
import { tfliteExporterOptionsSchema } from '../../plugins/src/export/tflite/TfliteExporter';
import { quantize } from '../../plugins/src/quantization/QuantizePlugin';
import { quantizeOptionsSchema } from '../../plugins/src/quantization/quantizeOptionsSchema';
import { detValues, setDetWeights } from '../helpers/models';

type Schema = Readonly<Record<string, unknown>>;

/**
 * Problems of every option below `schema`: no description, or optional with neither a default nor
 * a word on what omitting it means. A per-layer rule's settings are the top-level options (checked
 * there) without defaults; union branches carry their defaults in their descriptions (their
 * source schemas are checked on their own).
 */
function undocumented(schema: Schema, at: string): string[] {
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const problems: string[] = [];
  for (const [key, p] of Object.entries(properties)) {
    const where = `${at}${key}`;
    const description = typeof p.description === 'string' ? p.description : '';
    if (description.length < 10) problems.push(`${where}: no description`);
    if (!required.has(key) && !('const' in p) && !('default' in p) && !/\bOmitted\b|Default: `/.test(description)) {
      problems.push(`${where}: optional, without a default or what omitting it means`);
    }
    if (p.properties) problems.push(...undocumented(p, `${where}.`));
    const items = p.items as Schema | undefined;
    if (items?.properties) {
      const rule = { ...items, properties: Object.fromEntries(Object.entries(items.properties as Record<string, Schema>).filter(([k]) => !(k in properties))) };
      problems.push(...undocumented(rule, `${where}[].`));
    }
    for (const branch of (p.oneOf as Schema[] | undefined) ?? []) problems.push(...undocumented(branch, `${where}|`));
  }
  return problems;
}

const SCHEMAS: [string, Schema][] = [
  ['prune', pruneOptionsSchema],
  ['prune schedule constantSparsity', constantSparsityScheduleSchema],
  ['prune schedule polynomialDecay', polynomialDecayScheduleSchema],
  ['sparsityConstraint', sparsityConstraintOptionsSchema],
  ['cluster', clusterOptionsSchema],
  ['quantize', quantizeOptionsSchema],
  ['tflite (exporter)', tfliteExporterOptionsSchema],
  ['tfjsExport (exporter)', tfjsExport.optionsSchema],
];

/** Zeros of each Dense kernel of `model` after `steps` training steps with `plugins`. */
async function zerosAfter(steps: number, plugins: () => Parameters<typeof collab>[1]): Promise<Record<string, number>> {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 8, name: 'a' }), tf.layers.dense({ units: 4, name: 'b' })] });
  setDetWeights(model, 7);
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  const session = collab(model, plugins(), { onWarning: () => {} });
  const xs = tf.tensor2d(detValues(8 * 4 * steps, 1), [4 * steps, 8]);
  const ys = tf.tensor2d(detValues(4 * 4 * steps, 2), [4 * steps, 4]);
  await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
  const out: Record<string, number> = {};
  for (const id of ['a/kernel', 'b/kernel']) out[id] = tf.tidy(() => tf.sum(tf.equal(session.weight(id).value(), 0).asType('int32')).dataSync()[0]);
  tf.dispose([xs, ys]);
  return out;
}

describe('plugin option schemas', () => {
  for (const [name, schema] of SCHEMAS) {
    it(`${name}: every option has a description, and a default or what omitting it means`, () => {
      expect(undocumented(schema, '')).to.deep.equal([]);
    });
  }

  it('validation fills in exactly the schema defaults of omitted options, and none into per-layer rules', () => {
    expect(prune({ finalSparsity: 0.5 }).options).to.deep.equal({ finalSparsity: 0.5, ...pruneDefaults.settings });
    expect(prune({ nm: {} }).options.nm).to.deep.equal(pruneDefaults.nm);
    expect(prune({ finalSparsity: 0.5, layers: [{ select: ['b'], finalSparsity: 0.2 }] }).options.layers).to.deep.equal([{ select: ['b'], finalSparsity: 0.2 }]);
    expect(cluster().options).to.deep.equal(clusterDefaults);
    expect(cluster({ layers: [{ select: ['b'], numClusters: 4 }] }).options.layers).to.deep.equal([{ select: ['b'], numClusters: 4 }]);
    expect(quantize().options).to.deep.equal(optionDefaults(quantizeOptionsSchema.properties));
    expect(sparsityConstraint().options).to.deep.equal(optionDefaults(sparsityConstraintOptionsSchema.properties));
  });

  it("the JSON schedules' defaults are the schedule classes' own (TFMOT's constructor defaults)", () => {
    expect(new ConstantSparsitySchedule({ targetSparsity: 0.5 }).getConfig().config).to.deep.equal({ targetSparsity: 0.5, ...pruneDefaults.constantSparsity });
    const { initialSparsity, beginStep, ...classDefaults } = pruneDefaults.polynomialDecay;
    const poly = new PolynomialDecaySchedule({ initialSparsity, beginStep, finalSparsity: 0.5, endStep: 10 }).getConfig().config;
    expect(poly).to.deep.include(classDefaults);
  });

  it('a schedule with omitted fields prunes as the same schedule with the schema defaults written out', async () => {
    const omitted = await zerosAfter(2, () => [prune({ schedule: { type: 'polynomialDecay', finalSparsity: 0.6, endStep: 4, frequency: 1 } })]);
    const explicit = await zerosAfter(2, () => [prune({ schedule: { type: 'polynomialDecay', finalSparsity: 0.6, endStep: 4, frequency: 1, initialSparsity: 0, beginStep: 0, power: 3 } })]);
    expect(omitted).to.deep.equal(explicit);
    // Step 2 of 0 → 0.6 over 4 steps with power 3: 0.6 − 0.6 · (1/2)^3 = 0.525 of 64 and 32 weights.
    expect(omitted).to.deep.equal({ 'a/kernel': 34, 'b/kernel': 17 });
    const constant = await zerosAfter(1, () => [prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.5, frequency: 1 } })]);
    expect(constant).to.deep.equal({ 'a/kernel': 32, 'b/kernel': 16 });
  });

  it('a per-layer rule keeps the plugin-wide value of a setting it omits, not the default', async () => {
    // With the default frequency (100) filled into the rule, 'b' would not be pruned at step 1.
    const zeros = await zerosAfter(1, () => [prune({ finalSparsity: 0.5, frequency: 1, layers: [{ select: ['b'], finalSparsity: 0.25 }] })]);
    expect(zeros).to.deep.equal({ 'a/kernel': 32, 'b/kernel': 8 });
  });
});
