import { TargetError } from '../errors/TargetError';
import { closestMatch } from '../util/closestMatch';
import type { TargetWeight } from '../weights/TargetWeight';
import type { LayerSupport } from './LayerSupport';
import { matchSelector, parseSelector, type MatchKind, type ParsedSelector, type Selector } from './Selector';
import type { TargetRule, TargetSpec } from './TargetSpec';

/**
 * Input of {@link resolveTargets}.
 * @group Targeting
 */
export interface ResolveTargetsArgs<S> {
  /** Plugin name, for messages. */
  readonly plugin: string;
  /** Every weight of the model (see `session.modelWeights`). */
  readonly weights: ReadonlyMap<string, TargetWeight>;
  /** Which weights of a layer the plugin handles (see {@link LayerSupport}). */
  readonly support: LayerSupport;
  /** The user's `include` / `exclude`. */
  readonly spec?: TargetSpec;
  /** Per-layer settings; a weight matched by two rules with different settings is an error. */
  readonly rules?: readonly TargetRule<Partial<S>>[];
  /** Settings of weights no rule matches. */
  readonly defaults: S;
  /** Receives warnings (skipped layers, selectors that match nothing). */
  readonly warn: (message: string) => void;
}

/**
 * One selected weight with its effective settings.
 * @group Targeting
 */
export interface ResolvedTarget<S> {
  /** The selected weight. */
  readonly weight: TargetWeight;
  /** Its effective settings: the defaults, overridden by the rule that matched it. */
  readonly settings: S;
}

/**
 * Resolves a plugin's target selection against a model (DESIGN.md §2 "target"): default = the
 * weights the plugin supports by default (kernels, never biases); selection by layer name, weight
 * id, `/regex/` or class name; exclusions; per-layer rules. Unsupported layers are skipped with one
 * warning listing them, or rejected when named explicitly.
 * @throws TargetError for unknown names, explicitly named unsupported layers/weights, and conflicting rules.
 * @group Targeting
 */
export function resolveTargets<S extends object>(args: ResolveTargetsArgs<S>): ResolvedTarget<S>[] {
  const { plugin, weights, support, spec = {}, rules = [], defaults, warn } = args;
  const parse = (list: readonly Selector[] | undefined, where: string) =>
    (list ?? []).map((s, i) => {
      try {
        return parseSelector(s);
      } catch (e) {
        throw new TargetError(`${plugin}: ${where}[${i}]: ${(e as Error).message}`);
      }
    });
  const include = spec.include ? parse(spec.include, 'include') : null;
  const exclude = parse(spec.exclude, 'exclude');
  const ruleSelectors = rules.map((r, i) => parse(r.select, `layers[${i}].select`));

  const all = [...weights.values()];
  const layerNames = new Set(all.map((w) => w.layer.name));
  const checkExists = (sels: ParsedSelector[], where: string) => {
    for (const sel of sels) {
      const hits = all.some((w) => matchSelector(sel, w) !== null);
      if (hits) continue;
      if (sel.kind === 'layer' || sel.kind === 'weight') {
        const candidates = sel.kind === 'layer' ? layerNames : weights.keys();
        const guess = closestMatch(sel.value, candidates);
        throw new TargetError(
          `${plugin}: ${where} selects ${sel.text}, but the model has no such ${sel.kind}` +
            (guess ? ` (did you mean "${guess}"?)` : `; layers: ${[...layerNames].slice(0, 20).join(', ')}`),
        );
      }
      warn(`${plugin}: ${where} selector ${sel.text} matches no layer of the model`);
    }
  };
  if (include) checkExists(include, 'include');
  checkExists(exclude, 'exclude');
  ruleSelectors.forEach((sels, i) => checkExists(sels, `layers[${i}].select`));

  const strength: Record<MatchKind, number> = { pattern: 1, layer: 2, weight: 3 };
  const bestMatch = (sels: ParsedSelector[], w: TargetWeight): MatchKind | null => {
    let best: MatchKind | null = null;
    for (const sel of sels) {
      const m = matchSelector(sel, w);
      if (m && (!best || strength[m] > strength[best])) best = m;
    }
    return best;
  };

  const unsupported = new Map<string, string>();
  const selected: TargetWeight[] = [];
  // Layers named explicitly must contribute at least one weight, or the request was meaningless.
  const explicitLayers = new Map<string, { className: string; hit: boolean }>();
  for (const w of all) {
    // Without `include`, a per-layer rule naming a layer explicitly is an explicit request too
    // (e.g. `layers: [{ select: ['dw'], perChannel: true }]` for an opt-in DepthwiseConv2D).
    const ruleMatch = include ? null : ruleSelectors.map((sels) => bestMatch(sels, w)).reduce<MatchKind | null>(
      (a, b) => (b && (!a || strength[b] > strength[a]) ? b : a), null);
    const inc: MatchKind | 'default' | null = include ? bestMatch(include, w) : ruleMatch && ruleMatch !== 'pattern' ? ruleMatch : 'default';
    if (inc === null || bestMatch(exclude, w)) continue;
    const sup = support(w.layer);
    if (!sup) {
      if (inc === 'layer' || inc === 'weight') {
        throw new TargetError(
          `${plugin}: layer "${w.layer.name}" (${w.className}) was selected explicitly, but ${plugin} does not support ${w.className} layers`,
        );
      }
      if (w.trainable) unsupported.set(w.layer.name, w.className);
      continue;
    }
    const allowed = new Set([
      ...sup.default,
      ...(inc === 'layer' || inc === 'weight' ? sup.explicit ?? [] : []),
      ...(inc === 'weight' ? sup.byId ?? [] : []),
    ]);
    if (inc === 'layer' && !explicitLayers.has(w.layer.name)) explicitLayers.set(w.layer.name, { className: w.className, hit: false });
    if (allowed.has(w.weightName)) {
      selected.push(w);
      const e = explicitLayers.get(w.layer.name);
      if (e) e.hit = true;
    } else if (include && include.some((s) => s.kind === 'weight' && matchSelector(s, w))) {
      const can = [...sup.default, ...(sup.explicit ?? []), ...(sup.byId ?? [])];
      throw new TargetError(
        `${plugin}: weight "${w.id}" was selected, but ${plugin} only handles ${can.join(', ') || 'no weights'} of ${w.className} layers`,
      );
    }
  }
  for (const [name, { className, hit }] of explicitLayers) {
    if (!hit) {
      throw new TargetError(`${plugin}: layer "${name}" (${className}) was selected explicitly, but ${plugin} has nothing to do on ${className} layers`);
    }
  }
  if (unsupported.size > 0) {
    warn(
      `${plugin}: skipping ${unsupported.size} layer(s) with weights it does not support: ` +
        [...unsupported].map(([n, c]) => `${n} (${c})`).join(', '),
    );
  }
  if (selected.length === 0) warn(`${plugin}: the selection targets no weights of the model`);

  return selected.map((weight) => {
    let chosen: { index: number; settings: Partial<S> } | null = null;
    ruleSelectors.forEach((sels, index) => {
      if (!bestMatch(sels, weight)) return;
      const settings = rules[index].settings;
      if (chosen && JSON.stringify(chosen.settings) !== JSON.stringify(settings)) {
        throw new TargetError(
          `${plugin}: weight "${weight.id}" is matched by layers[${chosen.index}] and layers[${index}] with different settings ` +
            `(${JSON.stringify(chosen.settings)} vs ${JSON.stringify(settings)}); make the selections disjoint`,
        );
      }
      chosen = { index, settings };
    });
    const settings = chosen ? { ...defaults, ...(chosen as { settings: Partial<S> }).settings } : { ...defaults };
    return { weight, settings };
  });
}
