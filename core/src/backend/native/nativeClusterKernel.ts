/**
 * Native cluster projection for the wasm backend (core/native/src/cluster.cc): the kernel
 * {@link CLUSTER_PROJECT_KERNEL}.
 *
 * Why: the cluster plugin's projection in JavaScript reads every clustered kernel back, assigns
 * it and uploads the result at every step (~36 ms of an 84 ms mnist step on the native path); here
 * it is one pass in the heap. It is collabopt's own op, so there is no fallback: inputs it cannot
 * take throw a BackendError naming the kernel, and a non-finite centroid or weight throws a
 * RangeError (the plugin re-derives its own message for those).
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../BackendError';
import { CLUSTER_PROJECT_KERNEL } from '../collaboptKernelNames';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { nativeKernelConfig, sameShape } from './nativeKernel';

const UPDATE_RULES: Readonly<Record<string, number>> = { none: 0, mean: 1, sum: 2 };
const PROBLEMS = ['', 'a centroid is not finite', 'a weight is not finite', 'a previous assignment is outside [0, k)'];

/** The native cluster projection's factory. */
export function nativeClusterKernel(addon: NativeAddon): NativeKernelFactory {
  return (options) =>
    nativeKernelConfig(CLUSTER_PROJECT_KERNEL, options, (inputs, attrs) => {
      const { x, centroids, prevX, prevAssignment } = inputs;
      const channels = attrs['channels'] as number;
      const inner = attrs['inner'] as number;
      const k = attrs['k'] as number;
      const update = UPDATE_RULES[String(attrs['update'] ?? 'none')];
      const n = x == null ? 0 : tf.util.sizeFromShape(x.shape);
      const valid = x != null && centroids != null && update != null && [channels, inner, k].every((v) => Number.isInteger(v) && v > 0) &&
        n % (channels * inner) === 0 && tf.util.sizeFromShape(centroids.shape) === channels * k &&
        (update === 0 || (prevX != null && prevAssignment != null && sameShape(prevX.shape, x.shape) && sameShape(prevAssignment.shape, x.shape)));
      if (!valid) {
        throw new BackendError(`${CLUSTER_PROJECT_KERNEL}: needs x, centroids [channels · k] and attributes channels, inner, k (positive integers dividing x) and update ('none', 'mean', 'sum'; the last two with prevX and prevAssignment shaped like x)`);
      }
      return {
        inputs: update === 0 ? [x, centroids] : [x, centroids, prevX!, prevAssignment!],
        outShape: x.shape.slice(),
        extraOutShapes: [x.shape.slice(), centroids.shape.slice()],
        run: (heap, [xo, co, po, ao], y, [assignment, centroidsOut]) => {
          const problem = addon.clusterProject(heap, xo!, po ?? -1, ao ?? -1, co!, y, assignment!, centroidsOut!, n, channels, inner, k, update, attrs['pinZero'] ? 1 : 0);
          if (problem != null) {
            const [kind, channel, index, value] = problem;
            throw new RangeError(`${CLUSTER_PROJECT_KERNEL}: ${PROBLEMS[kind] ?? 'unknown problem'} (channel ${channel}, index ${index}: ${value})`);
          }
        },
      };
    });
}
