import { expect } from 'chai';
import { definePlugin, validatePluginOptions } from '../../../core/src/plugin/definePlugin';
import { PluginOptionsError } from '../../../core/src/errors/PluginOptionsError';
import { DEFAULT_PLUGIN_METADATA } from '../../../core/src/plugin/PluginMetadata';

interface DemoOptions {
  rate: number;
  mode: 'a' | 'b';
  nested: { count: number; tags: string[] };
  schedule: unknown;
}

/** What callers pass: any subset, nested objects partial too (the schema fills the rest). */
type DemoInput = { rate?: number; mode?: 'a' | 'b'; nested?: { count?: number; tags?: string[] }; schedule?: unknown };

const demoSchema = {
  type: 'object',
  properties: {
    rate: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
    mode: { enum: ['a', 'b'], default: 'a' },
    nested: {
      type: 'object',
      properties: { count: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' }, default: [] } },
      required: ['count'],
      additionalProperties: false,
      default: { count: 2 },
    },
    schedule: { type: 'object', properties: { kind: { const: 'constant' } }, additionalProperties: false },
  },
  additionalProperties: false,
};

/** A demo factory recording what `create` and the metadata/invariant functions received. */
function demo(seen: { create?: DemoOptions } = {}) {
  return definePlugin<DemoOptions, DemoInput>({
    name: 'demo',
    optionsSchema: demoSchema,
    passThrough: ['schedule'],
    invariants: (o) => ({ establishes: o.mode === 'a' ? ['sparsity'] : [], preserves: ['clusters'], requires: [] }),
    metadata: (o) => ({ training: o.mode === 'b' ? 'forbidden' : 'optional', calibration: o.mode === 'b', emulatesInference: false }),
    create(options) {
      seen.create = options;
      return { apply() {} };
    },
  });
}

function optionsError(fn: () => unknown): PluginOptionsError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(PluginOptionsError);
    return e as PluginOptionsError;
  }
  throw new Error('expected a PluginOptionsError');
}

describe('definePlugin', () => {
  it('fills schema defaults into a copy; the caller’s object is left as given', () => {
    const seen: { create?: DemoOptions } = {};
    const input = { rate: 0.25, nested: { count: 3 } };
    const p = demo(seen)(input);
    // `nested` is filled from its own default when absent; `count` has none, so it is required inside.
    expect(p.options).to.deep.equal({ rate: 0.25, mode: 'a', nested: { count: 3, tags: [] } });
    expect(seen.create).to.deep.equal(p.options);
    expect(input).to.deep.equal({ rate: 0.25, nested: { count: 3 } });
    expect(demo()().options).to.deep.equal({ rate: 0.5, mode: 'a', nested: { count: 2, tags: [] } });
  });

  it('the factory carries the plugin name and the very schema recipes embed', () => {
    const f = demo();
    expect(f.pluginName).to.equal('demo');
    expect(f.optionsSchema).to.equal(demoSchema);
    expect(f().optionsSchema).to.equal(demoSchema);
    expect(f().name).to.equal('demo');
  });

  it('options, invariants and metadata are frozen deeply; the plugin object itself is frozen', () => {
    const p = demo()({ nested: { count: 1, tags: ['x'] } });
    expect(Object.isFrozen(p)).to.equal(true);
    expect(Object.isFrozen(p.options)).to.equal(true);
    expect(Object.isFrozen(p.options.nested)).to.equal(true);
    expect(Object.isFrozen(p.options.nested.tags)).to.equal(true);
    expect(() => ((p.options as { rate: number }).rate = 1)).to.throw(TypeError);
    expect(() => (p.options.nested.tags as string[]).push('y')).to.throw(TypeError);
    expect(Object.isFrozen(p.invariants)).to.equal(true);
    expect(Object.isFrozen(p.invariants.establishes)).to.equal(true);
    expect(Object.isFrozen(p.metadata)).to.equal(true);
  });

  it('invariants and metadata may be computed from the validated options; metadata fills the defaults', () => {
    const a = demo()({ mode: 'a' });
    const b = demo()({ mode: 'b' });
    expect(a.invariants).to.deep.equal({ establishes: ['sparsity'], preserves: ['clusters'], requires: [] });
    expect(b.invariants.establishes).to.deep.equal([]);
    expect(b.metadata).to.deep.equal({ training: 'forbidden', calibration: true, emulatesInference: false });
    expect(a.metadata).to.deep.equal({ ...DEFAULT_PLUGIN_METADATA, training: 'optional' });
    // `traits` appear only when declared.
    expect(a.invariants).to.not.have.property('traits');
    const withTraits = definePlugin({
      name: 't',
      optionsSchema: { type: 'object' },
      invariants: { establishes: [], preserves: [], requires: [], traits: ['zero-preserving'] },
      create: () => ({ apply() {} }),
    })();
    expect(withTraits.invariants.traits).to.deep.equal(['zero-preserving']);
  });

  it('saveState / loadState exist on the plugin exactly when the body has them', () => {
    const saved: unknown[] = [];
    const stateful = definePlugin({
      name: 's',
      optionsSchema: { type: 'object' },
      invariants: { establishes: [], preserves: [], requires: [] },
      create: () => ({ apply() {}, saveState: () => ({ n: 1 }), loadState: (s) => void saved.push(s) }),
    })();
    expect(stateful.saveState!()).to.deep.equal({ n: 1 });
    stateful.loadState!({ n: 2 });
    expect(saved).to.deep.equal([{ n: 2 }]);
    const stateless = demo()();
    expect(stateless).to.not.have.property('saveState');
    expect(stateless).to.not.have.property('loadState');
  });

  describe('passThrough', () => {
    it('a code object (methods, also inherited from a class) reaches create as given: not validated, copied or frozen', () => {
      class Schedule {
        at(step: number): number {
          return step / 10;
        }
      }
      const schedule = new Schedule();
      const seen: { create?: DemoOptions } = {};
      const p = demo(seen)({ schedule });
      expect(seen.create!.schedule).to.equal(schedule);
      expect(p.options.schedule).to.equal(schedule);
      expect(Object.isFrozen(schedule)).to.equal(false);
      const fn = (s: number) => s;
      expect(demo()({ schedule: fn }).options.schedule).to.equal(fn);
    });

    it('a JSON value of a passThrough key is validated as usual', () => {
      expect(demo()({ schedule: { kind: 'constant' } }).options.schedule).to.deep.equal({ kind: 'constant' });
      const e = optionsError(() => demo()({ schedule: { kind: 'linear' } }));
      expect(e.issues).to.deep.equal([{ pointer: '/schedule/kind', expected: 'exactly "constant"', received: 'linear' }]);
    });
  });

  describe('option errors name the plugin, the JSON pointer, what was expected and what was received', () => {
    it('a value out of range', () => {
      const e = optionsError(() => demo()({ rate: 2 }));
      expect(e.plugin).to.equal('demo');
      expect(e.issues).to.deep.equal([{ pointer: '/rate', expected: '<= 1', received: 2 }]);
      expect(e.message).to.equal('demo: invalid options\n  /rate: expected <= 1, received 2');
    });

    it('a wrong type, an enum, a nested pointer and a missing required property, all at once', () => {
      const e = optionsError(() => demo()({ rate: 'high' as unknown as number, mode: 'c' as 'a', nested: { tags: [1] } as never }));
      expect(e.issues).to.deep.include({ pointer: '/rate', expected: 'a value of type number', received: 'high' });
      expect(e.issues).to.deep.include({ pointer: '/mode', expected: 'one of "a", "b"', received: 'c' });
      expect(e.issues).to.deep.include({ pointer: '/nested/count', expected: 'a value (required)', received: undefined });
      expect(e.issues).to.deep.include({ pointer: '/nested/tags/0', expected: 'a value of type string', received: 1 });
      expect(e.message).to.match(/^demo: invalid options\n/);
      expect(e.message).to.include('/nested/count: expected a value (required)');
    });

    it('an unknown option suggests the closest known one and lists them all', () => {
      const e = optionsError(() => demo()({ rat: 0.1 } as never));
      expect(e.issues).to.have.length(1);
      expect(e.issues[0]).to.deep.equal({
        pointer: '/rat',
        expected: "no option 'rat' (did you mean 'rate'?); known options: rate, mode, nested, schedule",
        received: 0.1,
      });
    });

    it('non-finite numbers are caught (they become strings, not silently null)', () => {
      const e = optionsError(() => demo()({ rate: Number.NaN }));
      expect(e.issues).to.deep.equal([{ pointer: '/rate', expected: 'a value of type number', received: 'NaN' }]);
    });

    it('a non-object options value has the empty pointer, shown as (options)', () => {
      const e = optionsError(() => validatePluginOptions('demo', demoSchema, 3));
      expect(e.issues[0]!.pointer).to.equal('');
      expect(e.message).to.include('(options): expected a value of type object, received 3');
    });
  });

  it('a function outside passThrough, or a circular object, is a PluginOptionsError with its pointer (not dropped, not a bare TypeError)', () => {
    const f = demo();
    const fn = optionsError(() => f({ rate: (() => 1) as unknown as number }));
    expect(fn.issues.map((i) => i.pointer)).to.deep.equal(['/rate']);
    expect(fn.message).to.include('/rate').and.to.include('not a function');
    const nested: Record<string, unknown> = { count: 2 };
    nested.self = nested;
    const cyc = optionsError(() => f({ nested: nested as unknown as DemoOptions['nested'] }));
    expect(cyc.issues.map((i) => i.pointer)).to.deep.equal(['/nested/self']);
    expect(cyc.message).to.include('circular');
  });

  it('validatePluginOptions returns a defaults-filled deep copy and leaves its input alone', () => {
    const input = { nested: { count: 4 } };
    const out = validatePluginOptions<DemoOptions>('demo', demoSchema, input);
    expect(out).to.deep.equal({ rate: 0.5, mode: 'a', nested: { count: 4, tags: [] } });
    expect(out.nested).to.not.equal(input.nested);
    expect(input).to.deep.equal({ nested: { count: 4 } });
    expect(validatePluginOptions('demo', demoSchema, undefined)).to.deep.equal({ rate: 0.5, mode: 'a', nested: { count: 2, tags: [] } });
  });

  it('the create step may reject options JSON Schema cannot express; its error reaches the caller', () => {
    const picky = definePlugin<{ lo: number; hi: number }>({
      name: 'picky',
      optionsSchema: { type: 'object', properties: { lo: { type: 'number', default: 0 }, hi: { type: 'number', default: 1 } }, additionalProperties: false },
      invariants: { establishes: [], preserves: [], requires: [] },
      create(o) {
        if (o.lo >= o.hi) throw new Error(`picky: lo (${o.lo}) must be below hi (${o.hi})`);
        return { apply() {} };
      },
    });
    expect(() => picky({ lo: 2 })).to.throw('picky: lo (2) must be below hi (1)');
  });
});
