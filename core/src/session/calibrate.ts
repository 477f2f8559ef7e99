import * as tf from '@tensorflow/tfjs';
import { SessionError } from '../errors/SessionError';

/**
 * Representative data for {@link Session.calibrate}: a tensor (or array of tensors, for several
 * inputs) cut into batches, or a `tf.data.Dataset` of inputs or of `{ xs, ys }` elements.
 * @internal
 */
export type CalibrationData = tf.Tensor | tf.Tensor[] | tf.data.Dataset<tf.TensorContainer>;

/**
 * Options of {@link Session.calibrate}, checked and with defaults filled in.
 * @internal
 */
export interface CalibrationPlan {
  readonly batchSize: number;
  readonly steps: number;
}

/**
 * Runs `model.predict` over `data` in batches, disposing everything it makes: the forward passes
 * of calibration (the caller marks the session as calibrating around it).
 * @internal
 */
export async function calibrate(model: tf.LayersModel, data: CalibrationData, { batchSize, steps }: CalibrationPlan): Promise<void> {
  if (data instanceof tf.Tensor || Array.isArray(data)) {
    const inputs = Array.isArray(data) ? data : [data];
    const n = inputs[0].shape[0];
    for (let start = 0, step = 0; start < n && step < steps; start += batchSize, step++) {
      const size = Math.min(batchSize, n - start);
      tf.tidy(() => {
        const batch = inputs.map((x) => x.slice([start, ...x.shape.slice(1).map(() => 0)], [size, ...x.shape.slice(1).map(() => -1)]));
        model.predict(batch.length === 1 ? batch[0] : batch);
      });
    }
  } else {
    const iterator = await data.iterator();
    for (let step = 0; step < steps; step++) {
      const { value, done } = await iterator.next();
      if (done) break;
      const xs = (value as { xs?: tf.TensorContainer }).xs ?? value;
      tf.tidy(() => {
        model.predict(xs as tf.Tensor | tf.Tensor[]);
      });
      tf.dispose(value as tf.TensorContainer);
    }
  }
}

/**
 * Checks calibration options (before anything starts) and fills in the defaults: batches of 32,
 * all of the data.
 * @throws SessionError unless batchSize is a positive integer and steps positive.
 * @internal
 */
export function calibrationPlan(options: { readonly steps?: number; readonly batchSize?: number }): CalibrationPlan {
  const batchSize = options.batchSize ?? 32;
  const steps = options.steps ?? Infinity;
  if (!(Number.isInteger(batchSize) && batchSize > 0) || !(steps > 0)) {
    throw new SessionError(`calibrate(): batchSize must be a positive integer and steps positive, got ${batchSize} and ${steps}`);
  }
  return { batchSize, steps };
}
