// The gradients of Relu, Relu6 and ClipByValue, each in one pass.
//
// Why: tfjs-core composes each of them from 3–5 wasm kernels (step, cast, lessEqual, multiply;
// greaterEqual, lessEqual, logicalAnd, select, zerosLike), every one a full pass over the
// activation plus a dispatch — ~50 ms of a MobileNet step for ReLU6 alone. The results must equal
// those composites bit for bit (the stock gradient runs wherever these kernels are not
// registered), so each element goes through the same float32 operations in the same order: the
// mask is computed as the composite computes it and multiplied into dy (so ±0, NaN and ∞ come out
// the same). No FMA contraction.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "common.h"

namespace co {
namespace {

CO_INLINE void reluBody(int64_t begin, int64_t end, const float* __restrict dy, const float* __restrict x,
                        float* __restrict dx) {
  for (int64_t i = begin; i < end; i++) dx[i] = dy[i] * wasmStep(x[i]);
}
CO_MULTIVERSION(void, relu, (int64_t begin, int64_t end, const float* __restrict dy, const float* __restrict x,
                             float* __restrict dx), (begin, end, dy, x, dx))

CO_INLINE void relu6Body(int64_t begin, int64_t end, const float* __restrict dy, const float* __restrict x,
                         float* __restrict dx) {
  for (int64_t i = begin; i < end; i++) {
    const float below6 = x[i] <= 6.f ? 1.f : 0.f;  // lessEqual(x, 6), cast to float32 by mul
    dx[i] = dy[i] * (below6 * wasmStep(x[i]));
  }
}
CO_MULTIVERSION(void, relu6, (int64_t begin, int64_t end, const float* __restrict dy, const float* __restrict x,
                              float* __restrict dx), (begin, end, dy, x, dx))

CO_INLINE void clipBody(int64_t begin, int64_t end, const float* __restrict dy, const float* __restrict x, float lo,
                        float hi, float* __restrict dx) {
  for (int64_t i = begin; i < end; i++) dx[i] = (x[i] >= lo && x[i] <= hi) ? dy[i] : 0.f;
}
CO_MULTIVERSION(void, clip, (int64_t begin, int64_t end, const float* __restrict dy, const float* __restrict x,
                             float lo, float hi, float* __restrict dx), (begin, end, dy, x, lo, hi, dx))

}  // namespace

void reluGrad(int64_t n, const float* dy, const float* x, float* dx) {
  const auto f = relu();
  elementwiseSplit(n, [&](int64_t b, int64_t e) { f(b, e, dy, x, dx); });
}

void relu6Grad(int64_t n, const float* dy, const float* x, float* dx) {
  const auto f = relu6();
  elementwiseSplit(n, [&](int64_t b, int64_t e) { f(b, e, dy, x, dx); });
}

void clipByValueGrad(int64_t n, const float* dy, const float* x, float lo, float hi, float* dx) {
  const auto f = clip();
  elementwiseSplit(n, [&](int64_t b, int64_t e) { f(b, e, dy, x, lo, hi, dx); });
}

}  // namespace co
