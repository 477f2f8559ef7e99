import { expect } from 'chai';
import { DEFAULT_PLUGIN_METADATA, definePlugin, metadataOf } from '@collabopt/core';
import { cluster, prune, quantize, sparsityConstraint } from '@collabopt/plugins';

describe('plugin/metadataOf: what runners know about a plugin comes from the plugin', () => {
  it('quantize says per mode whether it trains, calibrates and emulates inference', () => {
    expect(metadataOf(quantize())).to.deep.include({ training: 'required', calibration: false, emulatesInference: true });
    expect(metadataOf(quantize({ mode: 'ptq' }))).to.deep.include({ training: 'forbidden', calibration: true, emulatesInference: true });
  });

  it('plugins that declare nothing get the defaults, from definePlugin and for hand-made objects', () => {
    for (const p of [prune({ finalSparsity: 0.5 }), sparsityConstraint(), cluster()]) expect(metadataOf(p), p.name).to.deep.equal(DEFAULT_PLUGIN_METADATA);
    const bare = definePlugin<Record<string, never>>({
      name: 'bare',
      optionsSchema: { type: 'object', additionalProperties: false },
      invariants: { establishes: [], preserves: [], requires: [] },
      create: () => ({ apply() {} }),
    })();
    expect(bare.metadata).to.deep.equal(DEFAULT_PLUGIN_METADATA);
    expect(Object.isFrozen(bare.metadata)).to.equal(true);
    const { metadata: _m, ...handMade } = bare;
    expect(metadataOf(handMade)).to.equal(DEFAULT_PLUGIN_METADATA);
  });
});
