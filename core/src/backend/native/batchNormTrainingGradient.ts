/**
 * The gradient of {@link BATCH_NORM_TRAINING_KERNEL}: one {@link BATCH_NORM_TRAINING_GRAD_KERNEL}
 * call gives the gradients of x, scale and offset, including the paths through the batch
 * statistics (the upstream gradients of the mean and variance outputs, zeros where nothing used
 * them, fold into the same pass).
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING_GRAD_KERNEL, BATCH_NORM_TRAINING_KERNEL } from '../collaboptKernelNames';

/** The gradient config (registered with the BatchNormalization interception). */
export const batchNormTrainingGradient: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAINING_KERNEL,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [dy, dmean, dvariance] = dys as tf.Tensor[];
    const [x, scale, mean, variance] = saved;
    // Run here, once for all three: the engine calls each input's gradient in its own scope.
    const [dx, dscale, doffset] = tf.engine().runKernel(
      BATCH_NORM_TRAINING_GRAD_KERNEL, { dy: dy!, x: x!, mean: mean!, variance: variance!, scale: scale!, dmean: dmean!, dvariance: dvariance! }, attrs,
    ) as tf.Tensor[];
    return { x: () => dx!, scale: () => dscale!, offset: () => doffset! };
  },
};
