import type * as tf from '@tensorflow/tfjs';
import { RecipeSourceError } from '../errors/RecipeSourceError';
import type { RecipeData } from './RecipeData';

/**
 * Checks that a recipe's data fits its model before anything trains: one input and one output,
 * every input tensor's sample shape equal to the model's input shape, every target tensor's
 * sample shape equal to the model's output shape (dimensions the model leaves open match
 * anything), and as many targets as inputs.
 *
 * @throws RecipeSourceError naming the data tensor and both shapes.
 */
export function checkDataFitsModel(model: tf.LayersModel, data: RecipeData): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new RecipeSourceError(
      `recipes train models with one input and one output; model "${model.name}" has ${model.inputs.length} inputs and ${model.outputs.length} outputs`,
    );
  }
  const input = model.inputs[0].shape;
  const output = model.outputs[0].shape;
  const fits = (tensor: tf.Tensor, expected: readonly (number | null)[]) =>
    tensor.rank === expected.length && expected.every((d, i) => i === 0 || d === null || d === tensor.shape[i]);
  const show = (shape: readonly (number | null)[]) => `[${shape.map((d) => (d === null ? 'any' : d)).join(', ')}]`;
  const inputs: [string, tf.Tensor][] = [
    ['training inputs (train.xs)', data.train.xs],
    ['test inputs (test.xs)', data.test.xs],
    ['representative inputs', data.representative],
  ];
  for (const [what, xs] of inputs) {
    if (!fits(xs, input)) {
      throw new RecipeSourceError(
        `the data does not fit the model: ${what} have shape ${show(xs.shape)}, one sample ${show(xs.shape.slice(1))}; the model's input shape is ${show(input)}, one sample ${show(input.slice(1))}`,
      );
    }
  }
  const targets: [string, tf.Tensor, tf.Tensor][] = [
    ['training targets (train.ys)', data.train.ys, data.train.xs],
    ['test targets (test.ys)', data.test.ys, data.test.xs],
  ];
  for (const [what, ys, xs] of targets) {
    if (!fits(ys, output)) {
      throw new RecipeSourceError(
        `the data does not fit the model: ${what} have shape ${show(ys.shape)}, one sample ${show(ys.shape.slice(1))}; the model's output shape is ${show(output)}, one sample ${show(output.slice(1))} (one-hot targets for a softmax over classes)`,
      );
    }
    if (ys.shape[0] !== xs.shape[0]) {
      throw new RecipeSourceError(`the data does not fit together: ${what} have ${ys.shape[0]} samples but their inputs have ${xs.shape[0]}`);
    }
  }
}
