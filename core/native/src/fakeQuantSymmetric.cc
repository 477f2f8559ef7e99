// Weight fake quantization (symmetric, narrow range, zero point 0), per tensor or per channel, in
// two passes: the scales max|w| / quantMax per channel, then w → round(w / scale) · scale.
//
// Why: the quantize plugin projects every quantized kernel after every optimizer step; its
// composite was ~17 wasm kernels per weight (two reductions, the scale's fix-up, a division,
// rounding, a product) plus a read-back of the scales. The results must be bit-identical to that
// composite (plugins/src/quantization/symmetricWeightScales.ts, symmetricWeightLevels.ts), so each
// element goes through the same float32 operations: max|w| is exact (max of max and −min), one
// float32 division for the scale and one per element (no reciprocal), then the product. No FMA
// contraction. The scales stay in the heap as the kernel's second output.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
// no-trapping-math lets GCC if-convert the selects and comparisons below and so vectorise the
// loops ("control flow in loop" otherwise); it changes no value, only whether FP exception flags
// may be raised speculatively, which nothing here reads.
#pragma GCC optimize("fp-contract=off", "no-trapping-math")
#endif

#include <algorithm>
#include <cmath>
#include <vector>

#include "common.h"

namespace co {
namespace {

// Lane-wise max|x| that keeps NaN once it is seen (tfjs's Max/Min reductions propagate NaN).
CO_INLINE float maxAbsStep(float m, float v) {
  const float a = std::fabs(v);
  return (a > m || a != a) ? a : m;
}

// tf.round on wasm: nearest, ties to even, the sign kept (−0.3 → −0). Adding and subtracting 2^23
// rounds |v| < 2^23 to an integer in the default rounding mode; larger floats are integers.
CO_INLINE float roundTiesEven(float v) {
  const float a = std::fabs(v);
  const float r = a < 8388608.f ? (a + 8388608.f) - 8388608.f : a;
  return std::copysign(r, v);
}

// roundHalfAwayFromZero's composite: sign(v) · (floor(|v|) + (|v| − floor(|v|) ≥ 0.5)) + 0.
CO_INLINE float roundTiesAway(float v) {
  const float a = std::fabs(v);
  const float fl = std::floor(a);
  const float up = a - fl >= 0.5f ? 1.f : 0.f;
  const float sign = v > 0.f ? 1.f : (v < 0.f ? -1.f : v);
  return sign * (fl + up) + 0.f;
}

// tfjs-backend-wasm's ClipByValue: NaN becomes the lower bound.
CO_INLINE float clipLevel(float q, float quantMax) {
  return q != q ? -quantMax : std::min(std::max(q, -quantMax), quantMax);
}

CO_INLINE float level(float v, bool tiesToEven, bool clip, float quantMax) {
  const float q = tiesToEven ? roundTiesEven(v) : roundTiesAway(v);
  return clip ? clipLevel(q, quantMax) : q;
}

// Rows of `channels` elements (inner 1): lane c of every row into m[c].
CO_INLINE void rowMaxBody(int64_t rows, int64_t channels, const float* __restrict x, float* __restrict m) {
  for (int64_t r = 0; r < rows; r++) {
    const float* row = x + r * channels;
    for (int64_t c = 0; c < channels; c++) m[c] = maxAbsStep(m[c], row[c]);
  }
}
CO_MULTIVERSION(void, rowMax, (int64_t rows, int64_t channels, const float* __restrict x, float* __restrict m),
                (rows, channels, x, m))

template <bool kEven, bool kClip>
CO_INLINE void rowQuantBody(int64_t rows, int64_t channels, const float* __restrict x, const float* __restrict s,
                            float quantMax, float* __restrict y) {
  for (int64_t r = 0; r < rows; r++) {
    const float* row = x + r * channels;
    float* out = y + r * channels;
    for (int64_t c = 0; c < channels; c++) out[c] = level(row[c] / s[c], kEven, kClip, quantMax) * s[c];
  }
}
#define CO_ROW_QUANT(name, even, clip)                                                                          \
  CO_INLINE void name##Body(int64_t rows, int64_t channels, const float* __restrict x, const float* __restrict s, \
                            float quantMax, float* __restrict y) {                                              \
    rowQuantBody<even, clip>(rows, channels, x, s, quantMax, y);                                               \
  }                                                                                                             \
  CO_MULTIVERSION(void, name,                                                                                   \
                  (int64_t rows, int64_t channels, const float* __restrict x, const float* __restrict s,        \
                   float quantMax, float* __restrict y),                                                        \
                  (rows, channels, x, s, quantMax, y))
CO_ROW_QUANT(rowQuantEven, true, false)
CO_ROW_QUANT(rowQuantEvenClip, true, true)
CO_ROW_QUANT(rowQuantAway, false, false)
CO_ROW_QUANT(rowQuantAwayClip, false, true)
#undef CO_ROW_QUANT

// Per tensor, the reduction runs over 16 lanes (rows of 16) and the quantization over rows of 16
// with a repeated scale, so both vectorise like the per-channel case.
constexpr int64_t kLanes = 16;

// Threads for a pass over n elements in `rows` rows: two from 64K elements (memory-bound; below
// that the hand-off costs more than it saves), as elementwiseSplit.
int64_t splitOf(int64_t n, int64_t rows) {
  return n < (int64_t{1} << 16) || rows < 2 ? 1 : std::min<int64_t>(2, threadCount());
}

}  // namespace

void fakeQuantSymmetric(const SymmetricGeom& g, const float* x, float* y, float* scales) {
  const int64_t n = g.size, channels = g.channels, inner = g.inner;
  const float quantMax = g.quantMax;
  // Pass 1: max|w| per channel. Exact, so any split over threads gives the same bits.
  std::vector<float> maxAbs(static_cast<size_t>(channels), 0.f);
  if (inner == 1) {
    // Rows of `width` lanes; per tensor the lanes fold into one value afterwards.
    const int64_t width = channels == 1 ? kLanes : channels;
    const int64_t rows = n / width;
    const int64_t T = splitOf(n, rows);
    std::vector<float> part(static_cast<size_t>(T * width), 0.f);
    const auto reduce = rowMax();
    const auto run = [&](int64_t t) { reduce(rows * (t + 1) / T - rows * t / T, width, x + rows * t / T * width, part.data() + t * width); };
    if (T <= 1) run(0);
    else parallelFor(T, [&](int64_t t, int) { run(t); });
    for (int64_t t = 0; t < T; t++)
      for (int64_t l = 0; l < width; l++) {
        float& m = maxAbs[static_cast<size_t>(channels == 1 ? 0 : l)];
        m = maxAbsStep(m, part[static_cast<size_t>(t * width + l)]);
      }
    for (int64_t i = rows * width; i < n; i++) maxAbs[static_cast<size_t>(i % channels)] = maxAbsStep(maxAbs[static_cast<size_t>(i % channels)], x[i]);
  } else {
    const int64_t stride = channels * inner;
    for (int64_t block = 0; block < n; block += stride)
      for (int64_t c = 0; c < channels; c++) {
        float m = maxAbs[static_cast<size_t>(c)];
        for (int64_t i = block + c * inner, end = i + inner; i < end; i++) m = maxAbsStep(m, x[i]);
        maxAbs[static_cast<size_t>(c)] = m;
      }
  }
  // A zero (or underflowed) scale becomes 1 / quantMax (as if the range were ±1); NaN stays NaN.
  const float fallback = static_cast<float>(1.0 / static_cast<double>(quantMax));
  for (int64_t c = 0; c < channels; c++) {
    const float raw = maxAbs[static_cast<size_t>(c)] / quantMax;
    scales[c] = raw <= 0.f ? fallback : raw;
  }

  // Pass 2: the levels times the scales, row by row (one row of `width` scales repeats).
  const auto quant = g.tiesToEven ? (g.clip ? rowQuantEvenClip() : rowQuantEven()) : (g.clip ? rowQuantAwayClip() : rowQuantAway());
  const int64_t width = inner == 1 ? (channels == 1 ? kLanes : channels) : inner;
  std::vector<float> rowScales(static_cast<size_t>(width));
  if (inner == 1) {
    for (int64_t l = 0; l < width; l++) rowScales[static_cast<size_t>(l)] = scales[channels == 1 ? 0 : l];
    const int64_t rows = n / width;
    const int64_t T = splitOf(n, rows);
    const auto run = [&](int64_t t) {
      const int64_t b = rows * t / T, e = rows * (t + 1) / T;
      quant(e - b, width, x + b * width, rowScales.data(), quantMax, y + b * width);
    };
    if (T <= 1) run(0);
    else parallelFor(T, [&](int64_t t, int) { run(t); });
    for (int64_t i = rows * width; i < n; i++) quant(1, 1, x + i, scales + i % channels, quantMax, y + i);
  } else {
    // Channel c's `inner` elements share one scale: a row of `inner` copies of it.
    const int64_t stride = channels * inner;
    for (int64_t block = 0; block < n; block += stride)
      for (int64_t c = 0; c < channels; c++) {
        std::fill(rowScales.begin(), rowScales.end(), scales[c]);
        const int64_t at = block + c * inner;
        quant(1, inner, x + at, rowScales.data(), quantMax, y + at);
      }
  }
}

}  // namespace co
