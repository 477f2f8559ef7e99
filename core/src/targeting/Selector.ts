import type { TargetWeight } from '../weights/TargetWeight';

/**
 * Selects layers or weights:
 * - `"conv2d_1"` — the layer with that exact name (an explicit request for the layer);
 * - `"conv2d_1/bias"` — one weight of a layer, by id (an explicit request for that weight);
 * - `"/^block_\\d+/i"` — layers whose name matches the regular expression;
 * - `{ className: "Conv2D" }` — layers of a tfjs class (an explicit request for that class).
 * @group Targeting
 */
export type Selector =
  | string
  | {
      /** A tfjs layer class name, e.g. `'Conv2D'` (as `layer.getClassName()` returns it). */
      readonly className: string;
    };

/**
 * How a selector matched a weight, strongest first: the weight itself was named (`'weight'`), its
 * layer was named or its class given (`'layer'`), or a pattern matched (`'pattern'`). Stronger
 * matches reach weights a plugin targets only on request (see `WeightSupport`).
 * @group Targeting
 */
export type MatchKind = 'weight' | 'layer' | 'pattern';

/** Parsed form of a selector. @internal */
export interface ParsedSelector {
  readonly source: Selector;
  readonly text: string;
  readonly kind: 'layer' | 'weight' | 'regex' | 'class';
  readonly value: string;
  readonly regex?: RegExp;
}

/** Parses a selector, throwing a plain Error with the reason (callers add context). @internal */
export function parseSelector(selector: Selector): ParsedSelector {
  if (typeof selector === 'object' && selector !== null && typeof selector.className === 'string') {
    return { source: selector, text: `{className: ${selector.className}}`, kind: 'class', value: selector.className };
  }
  if (typeof selector !== 'string' || selector.length === 0) {
    throw new Error(`a selector must be a non-empty string or {className}, got ${JSON.stringify(selector)}`);
  }
  const re = /^\/(.*)\/([a-z]*)$/s.exec(selector);
  if (re) {
    try {
      return { source: selector, text: selector, kind: 'regex', value: re[1], regex: new RegExp(re[1], re[2]) };
    } catch (e) {
      throw new Error(`invalid regular expression ${selector}: ${(e as Error).message}`);
    }
  }
  return { source: selector, text: JSON.stringify(selector), kind: selector.includes('/') ? 'weight' : 'layer', value: selector };
}

/** Whether `sel` matches `weight`, and how. @internal */
export function matchSelector(sel: ParsedSelector, weight: TargetWeight): MatchKind | null {
  if (sel.kind === 'weight') return weight.id === sel.value ? 'weight' : null;
  return matchLayerSelector(sel, weight.layer);
}

/** Whether `sel` matches `layer` (a weight-id selector matches the layer that owns the weight). @internal */
export function matchLayerSelector(sel: ParsedSelector, layer: { readonly name: string; getClassName(): string }): MatchKind | null {
  switch (sel.kind) {
    case 'layer':
      return layer.name === sel.value ? 'layer' : null;
    case 'weight':
      return sel.value.startsWith(`${layer.name}/`) ? 'weight' : null;
    case 'class':
      return layer.getClassName() === sel.value ? 'layer' : null;
    case 'regex':
      sel.regex!.lastIndex = 0;
      return sel.regex!.test(layer.name) ? 'pattern' : null;
  }
}
