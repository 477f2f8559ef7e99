// Sums (and means) over the leading axes: out[j] = scale · Σᵢ x[i·inner + j].
//
// Why: BatchNormalization's moments and every bias gradient reduce an NHWC tensor over N, H, W,
// keeping channels. tfjs-backend-wasm reduces only over the innermost axes, so it first transposes
// the whole tensor (a scalar index loop). Here rows are added into a channel vector directly;
// rows are split into fixed parts summed in order (scheduling does not change the result).
#include <algorithm>
#include <cstring>

#include "common.h"

namespace co {
namespace {

CO_INLINE void sumRowsBody(int64_t row0, int64_t row1, int64_t inner, const float* x, float* acc) {
  std::memset(acc, 0, inner * sizeof(float));
  for (int64_t i = row0; i < row1; i++) {
    const float* __restrict src = x + i * inner;
    float* __restrict dst = acc;
    for (int64_t j = 0; j < inner; j++) dst[j] += src[j];
  }
}
CO_MULTIVERSION(void, sumRows, (int64_t row0, int64_t row1, int64_t inner, const float* x, float* acc),
                (row0, row1, inner, x, acc))

}  // namespace

void reduceRows(int64_t outer, int64_t inner, float scale, const float* x, float* out) {
  const auto f = sumRows();
  // Below ~64K elements a split costs more than it saves.
  const int64_t T = outer * inner < (int64_t{1} << 16) ? 1 : std::min<int64_t>(threadCount(), outer);
  if (T <= 1) {
    f(0, outer, inner, x, out);
  } else {
    float* parts = scratch(0, 3, static_cast<size_t>((T - 1) * inner));
    parallelFor(T, [&](int64_t t, int) {
      f(outer * t / T, outer * (t + 1) / T, inner, x, t == 0 ? out : parts + (t - 1) * inner);
    });
    for (int64_t t = 1; t < T; t++)
      for (int64_t j = 0; j < inner; j++) out[j] += parts[(t - 1) * inner + j];
  }
  if (scale != 1.f)
    for (int64_t j = 0; j < inner; j++) out[j] *= scale;
}

}  // namespace co
