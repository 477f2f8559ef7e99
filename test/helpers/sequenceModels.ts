/**
 * Test and bench models with sequence layers (Embedding, LayerNormalization, SimpleRNN, GRU,
 * LSTM), small and with deterministic weights, plus their inputs: the recurrent layers' option
 * grid and the keyword-spotting CRNN (Conv2D → Reshape → GRU → Dense) of issue 16.
 */
import * as tf from '@tensorflow/tfjs';
import { randomize } from '../plugins/export/tflite/fixtures';
import { mulberry32 } from './random';

/** The tfjs recurrent layer classes the exporter unrolls. */
export type RecurrentClass = 'SimpleRNN' | 'GRU' | 'LSTM';

/** Options of one recurrent layer under test (tfjs's `RNN` arguments). */
export interface RecurrentOptions {
  readonly units?: number;
  readonly returnSequences?: boolean;
  readonly goBackwards?: boolean;
  readonly returnState?: boolean;
  readonly activation?: string;
  readonly recurrentActivation?: string;
  readonly useBias?: boolean;
}

/** Steps and features of {@link recurrentModel}'s input. */
export const SEQUENCE_SHAPE = [5, 3] as const;

/** `input [steps (5), 3] → <cls>(options) → outputs`, weights from `randomize(seed)`. */
export function recurrentModel(cls: RecurrentClass, options: RecurrentOptions = {}, seed = 1, steps: number = SEQUENCE_SHAPE[0]): tf.LayersModel {
  const input = tf.input({ shape: [steps, SEQUENCE_SHAPE[1]], name: 'sequence' });
  const args = { units: 4, ...options, name: cls.toLowerCase() } as Parameters<typeof tf.layers.gru>[0];
  const layer = cls === 'SimpleRNN' ? tf.layers.simpleRNN(args) : cls === 'GRU' ? tf.layers.gru(args) : tf.layers.lstm(args);
  const out = layer.apply(input) as tf.SymbolicTensor | tf.SymbolicTensor[];
  const model = tf.model({ inputs: input, outputs: out, name: `${cls.toLowerCase()}_model` });
  randomize(model, seed);
  return model;
}

/** Vocabulary and sequence length of {@link embeddingModel}. */
export const EMBEDDING_VOCABULARY = 12;
const EMBEDDING_STEPS = 6;

/** `indices [6] → Embedding(12, 5) → LayerNormalization → Dense(3)`: a text classifier's front. */
export function embeddingModel(seed = 1, layerNormalization = true): tf.LayersModel {
  const input = tf.input({ shape: [EMBEDDING_STEPS], name: 'tokens' });
  let x = tf.layers.embedding({ inputDim: EMBEDDING_VOCABULARY, outputDim: 5, name: 'embedding' }).apply(input) as tf.SymbolicTensor;
  if (layerNormalization) x = tf.layers.layerNormalization({ name: 'layer_norm' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, name: 'head' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: 'embedding_model' });
  randomize(model, seed);
  return model;
}

/** `n` rows of token indices in [0, 12) as floats (what a tfjs Embedding is fed). */
export function tokenInputs(n: number, seed = 5): tf.Tensor2D {
  const rand = mulberry32(seed);
  return tf.tensor2d(Float32Array.from({ length: n * EMBEDDING_STEPS }, () => Math.floor(rand() * EMBEDDING_VOCABULARY)), [n, EMBEDDING_STEPS]);
}

/** Frames × mel bins of {@link kwsCrnn}'s input, and its classes. */
export const KWS_SHAPE = { frames: 8, bins: 6, classes: 3 } as const;

/**
 * A tiny keyword-spotting CRNN: `spectrogram [8, 6, 1] → Conv2D(4, 3×3, same, relu) → Reshape
 * [8, 24] → GRU(6) → Dense(3, softmax)` (the conv + GRU shape of TFLite's KWS examples), or with a
 * SimpleRNN in place of the GRU (the recurrent layer the int8 file holds).
 */
export function kwsCrnn(seed = 1, recurrent: 'GRU' | 'SimpleRNN' = 'GRU'): tf.LayersModel {
  const { frames, bins, classes } = KWS_SHAPE;
  const model = tf.sequential({ name: 'kws_crnn' });
  model.add(tf.layers.conv2d({ inputShape: [frames, bins, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' }));
  model.add(tf.layers.reshape({ targetShape: [frames, bins * 4], name: 'frames' }));
  model.add(recurrent === 'GRU' ? tf.layers.gru({ units: 6, name: 'gru' }) : tf.layers.simpleRNN({ units: 6, name: 'rnn' }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', name: 'classes' }));
  randomize(model, seed);
  return model;
}

/** Random spectrograms and one-hot labels for {@link kwsCrnn}. */
export function kwsData(n: number, seed = 7): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const { frames, bins, classes } = KWS_SHAPE;
  const rand = mulberry32(seed);
  const xs = tf.tensor4d(Float32Array.from({ length: n * frames * bins }, () => rand() * 2 - 1), [n, frames, bins, 1]);
  const labels = Int32Array.from({ length: n }, () => Math.floor(rand() * classes));
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D);
  return { xs, ys };
}
