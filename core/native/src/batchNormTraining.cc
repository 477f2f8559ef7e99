// BatchNormalization in training: the batch statistics and the normalisation in one forward
// kernel, and the whole backward (x, scale, offset, and through the statistics) in one more.
//
// Why: tfjs-layers computes the step as tf.moments (Mean, Sub, Square, Mean), FusedBatchNorm and
// the moving-average updates, and autodiff runs back through all of them: dozens of full-size
// elementwise passes per layer and step (on DS-CNN, most of Mean, Sub, Square, RealDiv and much
// of Multiply and Add). Here the forward reads x twice (statistics, normalise) and writes y once;
// the backward reads dy and x twice and writes dx once.
//
// Numerics: the statistics are shifted sums (x − x[row 0]) accumulated in float per block of
// rows and combined in double in block order, so the result does not depend on scheduling and
// the one-pass variance does not cancel catastrophically for data far from zero.
#include "batchNormTraining.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "common.h"

namespace co {
namespace {

// Blocks of ~16K elements: large enough that a split pays, small enough that float partial sums
// over a block stay accurate.
int64_t rowsPerBlock(int64_t channels) { return std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(channels, 1)); }

CO_INLINE void shiftedMomentsBody(int64_t row0, int64_t row1, int64_t c, const float* x, const float* shift,
                                  float* s1, float* s2) {
  for (int64_t j = 0; j < c; j++) s1[j] = s2[j] = 0.f;
  for (int64_t r = row0; r < row1; r++) {
    const float* __restrict src = x + r * c;
    const float* __restrict k = shift;
    float* __restrict a1 = s1;
    float* __restrict a2 = s2;
    for (int64_t j = 0; j < c; j++) {
      const float d = src[j] - k[j];
      a1[j] += d;
      a2[j] += d * d;
    }
  }
}
CO_MULTIVERSION(void, shiftedMoments,
                (int64_t row0, int64_t row1, int64_t c, const float* x, const float* shift, float* s1, float* s2),
                (row0, row1, c, x, shift, s1, s2))

CO_INLINE void gradSumsBody(int64_t row0, int64_t row1, int64_t c, const float* dy, const float* x, const float* mean,
                            float* s1, float* s2) {
  for (int64_t j = 0; j < c; j++) s1[j] = s2[j] = 0.f;
  for (int64_t r = row0; r < row1; r++) {
    const float* __restrict g = dy + r * c;
    const float* __restrict src = x + r * c;
    const float* __restrict m = mean;
    float* __restrict a1 = s1;
    float* __restrict a2 = s2;
    for (int64_t j = 0; j < c; j++) {
      a1[j] += g[j];
      a2[j] += g[j] * (src[j] - m[j]);
    }
  }
}
CO_MULTIVERSION(void, gradSums,
                (int64_t row0, int64_t row1, int64_t c, const float* dy, const float* x, const float* mean, float* s1,
                 float* s2),
                (row0, row1, c, dy, x, mean, s1, s2))

// dx = a·dy + b·(x − mean) + k, per channel a, b, k.
CO_INLINE void gradRowsBody(int64_t row0, int64_t row1, int64_t c, const float* dy, const float* x, const float* mean,
                            const float* a, const float* b, const float* k, float* dx) {
  for (int64_t r = row0; r < row1; r++) {
    const float* __restrict g = dy + r * c;
    const float* __restrict src = x + r * c;
    float* __restrict dst = dx + r * c;
    const float* __restrict m = mean;
    const float* __restrict ca = a;
    const float* __restrict cb = b;
    const float* __restrict ck = k;
    for (int64_t j = 0; j < c; j++) dst[j] = ca[j] * g[j] + cb[j] * (src[j] - m[j]) + ck[j];
  }
}
CO_MULTIVERSION(void, gradRows,
                (int64_t row0, int64_t row1, int64_t c, const float* dy, const float* x, const float* mean,
                 const float* a, const float* b, const float* k, float* dx),
                (row0, row1, c, dy, x, mean, a, b, k, dx))

// Runs `blockSums(row0, row1, s1, s2)` over blocks of rows on the pool and returns the per-channel
// totals of s1 and s2 in double, added in block order.
template <typename F>
void sumOverBlocks(int64_t rows, int64_t channels, const F& blockSums, std::vector<double>& t1, std::vector<double>& t2) {
  const int64_t per = rowsPerBlock(channels);
  const int64_t blocks = std::max<int64_t>(1, (rows + per - 1) / per);
  std::vector<float> partial(static_cast<size_t>(blocks * 2 * channels));
  parallelFor(blocks, [&](int64_t b, int) {
    float* p = partial.data() + b * 2 * channels;
    blockSums(b * per, std::min(rows, (b + 1) * per), p, p + channels);
  });
  t1.assign(static_cast<size_t>(channels), 0.0);
  t2.assign(static_cast<size_t>(channels), 0.0);
  for (int64_t b = 0; b < blocks; b++) {
    const float* p = partial.data() + b * 2 * channels;
    for (int64_t j = 0; j < channels; j++) {
      t1[j] += p[j];
      t2[j] += p[channels + j];
    }
  }
}

}  // namespace

void batchNormTraining(int64_t rows, int64_t channels, const float* x, const float* scale, const float* offset,
                       float epsilon, float* y, float* mean, float* variance) {
  const auto moments = shiftedMoments();
  const float* shift = x;  // row 0
  std::vector<double> s1, s2;
  sumOverBlocks(
      rows, channels, [&](int64_t r0, int64_t r1, float* a, float* b) { moments(r0, r1, channels, x, shift, a, b); },
      s1, s2);
  const double n = static_cast<double>(rows);
  for (int64_t j = 0; j < channels; j++) {
    const double d = s1[j] / n;
    mean[j] = static_cast<float>(shift[j] + d);
    variance[j] = static_cast<float>(std::max(0.0, s2[j] / n - d * d));
  }
  // The normalisation is FusedBatchNorm's forward with these statistics.
  batchNorm(rows, channels, Stat{mean, channels}, Stat{variance, channels}, Stat{offset, channels},
            Stat{scale, channels}, epsilon, x, y);
}

void batchNormTrainingGrad(int64_t rows, int64_t channels, const float* dy, const float* x, const float* mean,
                           const float* variance, const float* scale, const float* dmean, const float* dvariance,
                           float epsilon, float* dx, float* dscale, float* doffset) {
  const auto sums = gradSums();
  std::vector<double> s1, s2;
  sumOverBlocks(
      rows, channels, [&](int64_t r0, int64_t r1, float* a, float* b) { sums(r0, r1, channels, dy, x, mean, a, b); },
      s1, s2);
  const double n = static_cast<double>(rows);
  std::vector<float> a(channels), b(channels), k(channels);
  for (int64_t j = 0; j < channels; j++) {
    const double r = 1.0 / std::sqrt(static_cast<double>(variance[j]) + static_cast<double>(epsilon));
    const double s = scale[j];
    a[j] = static_cast<float>(s * r);
    b[j] = static_cast<float>(-s * r * r * r * s2[j] / n + 2.0 * dvariance[j] / n);
    k[j] = static_cast<float>(-s * r * s1[j] / n + dmean[j] / n);
    dscale[j] = static_cast<float>(r * s2[j]);
    doffset[j] = static_cast<float>(s1[j]);
  }
  const auto f = gradRows();
  const int64_t per = rowsPerBlock(channels);
  const int64_t blocks = (rows + per - 1) / per;
  parallelFor(blocks, [&](int64_t t, int) {
    f(t * per, std::min(rows, (t + 1) * per), channels, dy, x, mean, a.data(), b.data(), k.data(), dx);
  });
}

}  // namespace co
