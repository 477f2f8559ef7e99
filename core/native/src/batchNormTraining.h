// BatchNormalization's training step as two kernels (batchNormTraining.cc). Declared apart from
// common.h because only addon.cc calls them.
#pragma once

#include <cstdint>

namespace co {

/**
 * Forward over `rows` × `channels` (channels innermost): the batch statistics
 * mean = Σx / rows and the biased variance Σ(x − mean)² / rows (what tf.moments gives), then
 * y = (x − mean)·rsqrt(variance + ε)·scale + offset, `scale` and `offset` per channel. Writes y,
 * mean and variance.
 */
void batchNormTraining(int64_t rows, int64_t channels, const float* x, const float* scale, const float* offset,
                       float epsilon, float* y, float* mean, float* variance);

/**
 * Its gradient: with r = rsqrt(variance + ε), s = scale, S₁ = Σdy and
 * S₂ = Σdy·(x − mean) per channel,
 * dx = s·r·(dy − S₁/rows − (x − mean)·r²·S₂/rows) + dmean/rows + 2·dvariance·(x − mean)/rows,
 * dscale = r·S₂, doffset = S₁. `dmean`/`dvariance` are the upstream gradients of the statistics.
 */
void batchNormTrainingGrad(int64_t rows, int64_t channels, const float* dy, const float* x, const float* mean,
                           const float* variance, const float* scale, const float* dmean, const float* dvariance,
                           float epsilon, float* dx, float* dscale, float* doffset);

}  // namespace co
