// Activation fake quantization (TF's fake_quant_with_min_max_vars) and its clipped
// straight-through gradient, each in one pass over the tensor.
//
// Why: the quantize plugin's composite took ~12 wasm kernels forward and ~8 backward per quantized
// activation, each a full pass over the tensor (~90 ms of a 134 ms mnist step). The results must
// be bit-identical to that composite (plugins/src/quantization/fakeQuantAsymmetric.ts), so each
// element goes through the same float32 operations in the same order, with the wasm kernels'
// semantics for relu/step/clip written out below. No FMA contraction (a·b + c must round twice),
// no reciprocal in place of the division.
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
#include <limits>

#include "common.h"

namespace co {
namespace {

// tfjs-backend-wasm's Relu: +0 for anything with the sign bit set (−0, negatives, and a NaN
// whose sign bit is set), else the value itself.
CO_INLINE float wasmRelu(float v) { return std::signbit(v) ? 0.f : v; }
// tfjs-backend-wasm's ClipByValue to ±FLT_MAX: NaN becomes the lower bound.
CO_INLINE float clipFinite(float v) {
  constexpr float kMax = std::numeric_limits<float>::max();
  return std::isnan(v) ? -kMax : std::min(std::max(v, -kMax), kMax);
}

CO_INLINE void forwardBody(int64_t begin, int64_t end, const float* __restrict x, float scale, float lowLevel,
                           float highLevel, float span, float* __restrict y) {
  for (int64_t i = begin; i < end; i++) {
    const float xi = x[i];
    const float level = std::floor(xi / scale + 0.5f);
    const float fromTop = wasmRelu(highLevel - level);
    const float clamped = lowLevel + wasmRelu(span - fromTop);
    const float product = clamped * scale;
    const float nanKeeper = wasmStep(xi) * 0.f;
    y[i] = product + nanKeeper;
  }
}
CO_MULTIVERSION(void, forward,
                (int64_t begin, int64_t end, const float* __restrict x, float scale, float lowLevel, float highLevel,
                 float span, float* __restrict y),
                (begin, end, x, scale, lowLevel, highLevel, span, y))

CO_INLINE void gradBody(int64_t begin, int64_t end, const float* __restrict dy, const float* __restrict x,
                        float bandMin, float bandMax, float* __restrict dx) {
  const float inf = std::numeric_limits<float>::infinity();
  for (int64_t i = begin; i < end; i++) {
    const float finite = clipFinite(x[i]);
    const float above = wasmStep(finite - bandMax);
    const float below = wasmStep(bandMin - finite);
    const bool blocked = std::isnan(((1.f - above) - below) * inf);
    dx[i] = blocked ? 0.f : dy[i];
  }
}
CO_MULTIVERSION(void, grad,
                (int64_t begin, int64_t end, const float* __restrict dy, const float* __restrict x, float bandMin,
                 float bandMax, float* __restrict dx),
                (begin, end, dy, x, bandMin, bandMax, dx))

// Lane-wise min and max with tfjs-backend-wasm's Min/Max reduction rules: a NaN anywhere gives NaN.
constexpr int64_t kLanes = 16;
CO_INLINE void minMaxBody(int64_t rows, const float* __restrict x, float* __restrict lo, float* __restrict hi) {
  for (int64_t r = 0; r < rows; r++) {
    const float* row = x + r * kLanes;
    for (int64_t l = 0; l < kLanes; l++) {
      const float v = row[l];
      lo[l] = (v < lo[l] || v != v) ? v : lo[l];
      hi[l] = (v > hi[l] || v != v) ? v : hi[l];
    }
  }
}
CO_MULTIVERSION(void, minMax, (int64_t rows, const float* __restrict x, float* __restrict lo, float* __restrict hi),
                (rows, x, lo, hi))

// tfjs-backend-wasm's Minimum/Maximum: the first operand unless the second is strictly beyond it
// (so NaN in the first stays, and minimum(−0, 0) is −0).
CO_INLINE float wasmMinimum(float a, float b) { return b < a ? b : a; }
CO_INLINE float wasmMaximum(float a, float b) { return b > a ? b : a; }

}  // namespace

ObservedRange rangeObserve(int64_t n, const float* x, float curMin, float curMax, int mode, float rate) {
  // tf.min / tf.max of x on wasm: the first element, then each one strictly beyond (or NaN). The
  // lanes give the value; only a zero's sign depends on the order (−0 and 0 compare equal), and
  // the sequential reduction keeps the first zero it meets, so that one is looked up.
  float lo[kLanes], hi[kLanes];
  for (int64_t l = 0; l < kLanes; l++) lo[l] = hi[l] = x[0];
  const int64_t rows = n / kLanes;
  minMax()(rows, x, lo, hi);
  float bMin = x[0], bMax = x[0];
  for (int64_t l = 0; l < kLanes; l++) {
    bMin = (lo[l] < bMin || lo[l] != lo[l]) ? lo[l] : bMin;
    bMax = (hi[l] > bMax || hi[l] != hi[l]) ? hi[l] : bMax;
  }
  for (int64_t i = rows * kLanes; i < n; i++) {
    bMin = (x[i] < bMin || x[i] != x[i]) ? x[i] : bMin;
    bMax = (x[i] > bMax || x[i] != x[i]) ? x[i] : bMax;
  }
  if (bMin == 0.f || bMax == 0.f) {
    for (int64_t i = 0; i < n; i++) {
      if (x[i] == 0.f) {
        if (bMin == 0.f) bMin = x[i];
        if (bMax == 0.f) bMax = x[i];
        break;
      }
    }
  }
  // RangeObserver.batchRange: the batch range widened to contain 0.
  bMin = wasmMinimum(bMin, 0.f);
  bMax = wasmMaximum(bMax, 0.f);
  switch (mode) {
    case kObserveReplace: return ObservedRange{bMin, bMax};
    case kObserveWiden: return ObservedRange{wasmMinimum(curMin, bMin), wasmMaximum(curMax, bMax)};
    default: {
      // MovingAverageRangeObserver: v − (v − b) · rate, each step rounded to float32.
      const float dMin = (curMin - bMin) * rate, dMax = (curMax - bMax) * rate;
      return ObservedRange{curMin - dMin, curMax - dMax};
    }
  }
}

FakeQuantGrid fakeQuantNudge(float lo, float hi, float quantMin, float quantMax) {
  // nudgedGridTensors and the band of observedFakeQuant (fakeQuantAsymmetric.ts), op by op in
  // float32 with the wasm kernels' semantics (ClipByValue: NaN becomes the lower bound; Select).
  const float range = hi - lo;
  const float rawScale = range / (quantMax - quantMin);
  const bool degenerate = rawScale <= 0.f;
  const float scale = degenerate ? 1.f : rawScale;
  const float zeroPointFromMin = quantMin - lo / scale;
  const float clamped = zeroPointFromMin != zeroPointFromMin ? quantMin : std::min(std::max(zeroPointFromMin, quantMin), quantMax);
  const float whole = std::floor(clamped);
  const float zeroPoint = whole + (clamped - whole >= 0.5f ? 1.f : 0.f);
  const float lowOffset = quantMin - zeroPoint;
  const float highOffset = quantMax - zeroPoint;
  const float inf = std::numeric_limits<float>::infinity();
  return FakeQuantGrid{scale, degenerate ? 0.f : lowOffset, degenerate ? 0.f : highOffset,
                       degenerate ? -inf : lowOffset * scale, degenerate ? inf : highOffset * scale};
}

void fakeQuantAffine(int64_t n, const float* x, float scale, float lowLevel, float highLevel, float* y) {
  const auto f = forward();
  const float span = highLevel - lowLevel;
  elementwiseSplit(n, [&](int64_t b, int64_t e) { f(b, e, x, scale, lowLevel, highLevel, span, y); });
}

void fakeQuantAffineGrad(int64_t n, const float* dy, const float* x, float bandMin, float bandMax, float* dx) {
  const auto f = grad();
  elementwiseSplit(n, [&](int64_t b, int64_t e) { f(b, e, dy, x, bandMin, bandMax, dx); });
}

}  // namespace co
