import { expect } from 'chai';
import { definePlugin, type PluginMetadata } from '@collabopt/core';
import { crossFieldIssues } from '../../../recipes/src/recipe/crossFieldIssues';
import type { RecipePluginFactory } from '../../../recipes/src/schema/recipePlugins';

/** A plugin the recipe checks have never heard of, with the given runner metadata. */
function pluginWith(name: string, metadata: PluginMetadata): RecipePluginFactory {
  return definePlugin<Record<string, never>>({
    name,
    optionsSchema: { type: 'object', additionalProperties: false },
    invariants: { establishes: [], preserves: [], requires: [] },
    metadata,
    create: () => ({ apply() {} }),
  }) as unknown as RecipePluginFactory;
}

const plugins = new Map<string, RecipePluginFactory>([
  ['warmup', pluginWith('warmup', { training: 'required', calibration: false, emulatesInference: false, explain: { label: 'warmup', training: 'needs batches to warm up; give epochs (or steps)' } })],
  ['frozen', pluginWith('frozen', { training: 'forbidden', calibration: true, emulatesInference: true })],
  ['plain', pluginWith('plain', { training: 'optional', calibration: false, emulatesInference: false })],
]);

const recipe = (stage: Record<string, unknown>, exports: unknown[] = []) => ({
  name: 'r',
  model: { path: 'm' },
  data: { module: 'd' },
  stages: [{ name: 's', ...stage }],
  exports,
});

describe('crossFieldIssues: stage and export checks come from plugin metadata and the exporter registry', () => {
  it("a plugin that requires training, in a stage that does not train, is reported in the plugin's words", () => {
    const issues = crossFieldIssues(recipe({ plugins: [{ plugin: 'warmup' }] }), [], plugins);
    expect(issues).to.deep.equal([{ path: '/stages/0/epochs', message: 'missing: warmup (/stages/0/plugins/0) needs batches to warm up; give epochs (or steps)' }]);
    expect(crossFieldIssues(recipe({ plugins: [{ plugin: 'warmup' }], epochs: 1 }), [], plugins)).to.deep.equal([]);
  });

  it('a plugin that forbids training and needs calibration gets both issues, with default words', () => {
    const issues = crossFieldIssues(recipe({ plugins: [{ plugin: 'frozen' }], steps: 5 }), [], plugins);
    expect(issues.map((i) => i.path)).to.deep.equal(['/stages/0/steps', '/stages/0/calibrate']);
    expect(issues[0].message).to.equal('frozen (/stages/0/plugins/0) is a plugin that does not train; expected no steps, found 5');
    expect(issues[1].message).to.match(/^missing: frozen .*; add "calibrate": \{\}$/);
  });

  it('an int8 TFLite export needs a stage whose plugins emulate inference, whatever the plugin is called', () => {
    const int8 = [{ format: 'tflite', mode: 'int8' }];
    const plain = crossFieldIssues(recipe({ plugins: [{ plugin: 'plain' }], epochs: 1 }, int8), [], plugins);
    expect(plain).to.have.length(1);
    expect(plain[0]).to.include({ path: '/exports/0/mode' });
    expect(plain[0].message).to.match(/^int8 needs int8 weights and activation ranges/);
    expect(crossFieldIssues(recipe({ plugins: [{ plugin: 'frozen' }], calibrate: {} }, int8), [], plugins)).to.deep.equal([]);
  });
});

describe('crossFieldIssues: a stage trainSamples', () => {
  const withData = (data: Record<string, unknown>, stage: Record<string, unknown>) => ({ ...recipe(stage), data });
  it('cannot exceed the training samples the recipe has, and needs a stage that trains', () => {
    const over = crossFieldIssues(withData({ dataset: 'mnist', trainSamples: 1000 }, { plugins: [{ plugin: 'plain' }], epochs: 1, trainSamples: 1001 }), [], plugins);
    expect(over).to.deep.equal([{ path: '/stages/0/trainSamples', message: 'expected at most 1000 (the training samples of /data/trainSamples), found 1001' }]);
    const builtin = crossFieldIssues(withData({ dataset: 'mnist' }, { plugins: [{ plugin: 'plain' }], epochs: 1, trainSamples: 60001 }), [], plugins);
    expect(builtin).to.deep.equal([{ path: '/stages/0/trainSamples', message: "expected at most 60000 (the training samples of mnist's training set), found 60001" }]);
    const idle = crossFieldIssues(withData({ dataset: 'mnist' }, { plugins: [{ plugin: 'plain' }], trainSamples: 100 }), [], plugins);
    expect(idle).to.deep.equal([{ path: '/stages/0/trainSamples', message: 'only for a stage that trains (give epochs or steps); this stage does not train' }]);
    expect(crossFieldIssues(withData({ dataset: 'mnist' }, { plugins: [{ plugin: 'plain' }], epochs: 1, trainSamples: 60000 }), [], plugins)).to.deep.equal([]);
  });
});
