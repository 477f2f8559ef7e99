import type * as tf from '@tensorflow/tfjs';
import { TargetError } from '../errors/TargetError';
import { closestMatch } from '../util/closestMatch';
import { matchLayerSelector, parseSelector, type ParsedSelector, type Selector } from './Selector';
import type { TargetSpec } from './TargetSpec';

/**
 * Resolves `include` / `exclude` selectors against layers (for plugins that act on layers rather
 * than weights, such as activation quantization). Same selector forms as weight targeting; a
 * weight id selects its layer. Without `include`, every layer. Unknown names are errors with a
 * suggestion.
 * @group Targeting
 */
export function selectLayers(plugin: string, layers: readonly tf.layers.Layer[], spec: TargetSpec = {}): Set<tf.layers.Layer> {
  const parse = (list: readonly Selector[] | undefined, where: string): ParsedSelector[] =>
    (list ?? []).map((s, i) => {
      let sel: ParsedSelector;
      try {
        sel = parseSelector(s);
      } catch (e) {
        throw new TargetError(`${plugin}: ${where}[${i}]: ${(e as Error).message}`);
      }
      if ((sel.kind === 'layer' || sel.kind === 'weight') && !layers.some((l) => matchLayerSelector(sel, l))) {
        const guess = closestMatch(sel.value, layers.map((l) => l.name));
        throw new TargetError(`${plugin}: ${where}[${i}] selects ${sel.text}, but the model has no such layer${guess ? ` (did you mean "${guess}"?)` : ''}`);
      }
      return sel;
    });
  const include = spec.include ? parse(spec.include, 'include') : null;
  const exclude = parse(spec.exclude, 'exclude');
  return new Set(
    layers.filter((l) => (!include || include.some((s) => matchLayerSelector(s, l))) && !exclude.some((s) => matchLayerSelector(s, l))),
  );
}
