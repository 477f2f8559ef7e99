// FusedBatchNorm (inference form, which BatchNormalization also runs in training with the batch
// moments): y = (x − mean)·rsqrt(variance + ε)·scale + offset over the last axis.
//
// Why: tfjs-backend-wasm's kernel broadcasts the four statistics element by element (~11 ms per
// DS-CNN layer at batch 64). Here the statistics fold into one multiplier and one offset per
// channel, and the rows are a vectorised multiply-add split over the pool.
#include <algorithm>
#include <cmath>
#include <vector>

#include "common.h"

namespace co {
namespace {

CO_INLINE void affineRowsBody(int64_t row0, int64_t row1, int64_t c, const float* a, const float* b, const float* x,
                              float* y) {
  for (int64_t r = row0; r < row1; r++) {
    const float* __restrict src = x + r * c;
    float* __restrict dst = y + r * c;
    for (int64_t j = 0; j < c; j++) dst[j] = src[j] * a[j] + b[j];
  }
}
CO_MULTIVERSION(void, affineRows,
                (int64_t row0, int64_t row1, int64_t c, const float* a, const float* b, const float* x, float* y),
                (row0, row1, c, a, b, x, y))

}  // namespace

void batchNorm(int64_t rows, int64_t channels, const Stat& mean, const Stat& variance, const Stat& offset,
               const Stat& scale, float epsilon, const float* x, float* y) {
  std::vector<float> a(channels), b(channels);
  for (int64_t j = 0; j < channels; j++) {
    const float s = scale.at(j, 1.f) / std::sqrt(variance.at(j, 0.f) + epsilon);
    a[j] = s;
    b[j] = offset.at(j, 0.f) - mean.at(j, 0.f) * s;
  }
  const auto f = affineRows();
  // Chunks of at least ~16K elements, so small tensors do not pay for a split.
  const int64_t perTask = std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(channels, 1));
  const int64_t tasks = (rows + perTask - 1) / perTask;
  parallelFor(tasks, [&](int64_t t, int) {
    f(t * perTask, std::min(rows, (t + 1) * perTask), channels, a.data(), b.data(), x, y);
  });
}

}  // namespace co
