// One variable's RMSprop, Adam or momentum update in one pass, with every new slot value and the
// new variable value as separate outputs.
//
// Why: tfjs's optimizers run 8–12 elementwise kernels per variable per step (each a dispatch and
// a full pass), hundreds of dispatches per MobileNet step. The results must equal tfjs's own
// updates (the stock optimizers run wherever these kernels are not registered), so each element
// goes through tfjs's float32 operations in tfjs's order, with its constants rounded to float32
// as tfjs makes them scalar tensors. No FMA contraction, no reciprocal in place of a division.
// The outputs never alias the inputs: a variable's buffer may be shared (e.g. by a clone saved
// for a gradient), so it is replaced by assignment, never written.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <cmath>

#include "common.h"

namespace co {
namespace {

CO_INLINE void rmsBody(int64_t begin, int64_t end, RmsPropConsts k, const float* __restrict g,
                       const float* __restrict value, const float* __restrict ms, const float* __restrict mom,
                       float* __restrict outValue, float* __restrict outMs, float* __restrict outMom) {
  for (int64_t i = begin; i < end; i++) {
    const float gi = g[i];
    const float nms = ms[i] * k.decay + (gi * gi) * k.oneMinusDecay;
    const float nmom = mom[i] * k.momentum + (gi * k.learningRate) / std::sqrt(nms + k.epsilon);
    outMs[i] = nms;
    outMom[i] = nmom;
    outValue[i] = value[i] - nmom;
  }
}
CO_MULTIVERSION(void, rms,
                (int64_t begin, int64_t end, RmsPropConsts k, const float* __restrict g, const float* __restrict value,
                 const float* __restrict ms, const float* __restrict mom, float* __restrict outValue,
                 float* __restrict outMs, float* __restrict outMom),
                (begin, end, k, g, value, ms, mom, outValue, outMs, outMom))

CO_INLINE void rmsCenteredBody(int64_t begin, int64_t end, RmsPropConsts k, const float* __restrict g,
                               const float* __restrict value, const float* __restrict ms,
                               const float* __restrict mom, const float* __restrict mg, float* __restrict outValue,
                               float* __restrict outMs, float* __restrict outMom, float* __restrict outMg) {
  for (int64_t i = begin; i < end; i++) {
    const float gi = g[i];
    const float nms = ms[i] * k.decay + (gi * gi) * k.oneMinusDecay;
    const float nmg = mg[i] * k.decay + gi * k.oneMinusDecay;
    const float nmom = mom[i] * k.momentum + (gi * k.learningRate) / std::sqrt(nms - (nmg * nmg + k.epsilon));
    outMs[i] = nms;
    outMg[i] = nmg;
    outMom[i] = nmom;
    outValue[i] = value[i] - nmom;
  }
}
CO_MULTIVERSION(void, rmsCentered,
                (int64_t begin, int64_t end, RmsPropConsts k, const float* __restrict g, const float* __restrict value,
                 const float* __restrict ms, const float* __restrict mom, const float* __restrict mg,
                 float* __restrict outValue, float* __restrict outMs, float* __restrict outMom,
                 float* __restrict outMg),
                (begin, end, k, g, value, ms, mom, mg, outValue, outMs, outMom, outMg))

CO_INLINE void adamBody(int64_t begin, int64_t end, AdamConsts k, const float* __restrict g,
                        const float* __restrict value, const float* __restrict m, const float* __restrict v,
                        float* __restrict outValue, float* __restrict outM, float* __restrict outV) {
  for (int64_t i = begin; i < end; i++) {
    const float gi = g[i];
    const float nm = m[i] * k.beta1 + gi * k.oneMinusBeta1;
    const float nv = v[i] * k.beta2 + (gi * gi) * k.oneMinusBeta2;
    const float bm = nm / k.oneMinusAccBeta1;
    const float bv = nv / k.oneMinusAccBeta2;
    outM[i] = nm;
    outV[i] = nv;
    outValue[i] = (bm / (std::sqrt(bv) + k.epsilon)) * k.negLearningRate + value[i];
  }
}
CO_MULTIVERSION(void, adam,
                (int64_t begin, int64_t end, AdamConsts k, const float* __restrict g, const float* __restrict value,
                 const float* __restrict m, const float* __restrict v, float* __restrict outValue,
                 float* __restrict outM, float* __restrict outV),
                (begin, end, k, g, value, m, v, outValue, outM, outV))

CO_INLINE void momentumKernelBody(int64_t begin, int64_t end, float mo, float c, bool nesterov, const float* __restrict g,
                            const float* __restrict value, const float* __restrict accum,
                            float* __restrict outValue, float* __restrict outAccum) {
  if (nesterov) {
    for (int64_t i = begin; i < end; i++) {
      const float na = mo * accum[i] + g[i];
      outAccum[i] = na;
      outValue[i] = c * (g[i] + na * mo) + value[i];
    }
  } else {
    for (int64_t i = begin; i < end; i++) {
      const float na = mo * accum[i] + g[i];
      outAccum[i] = na;
      outValue[i] = c * na + value[i];
    }
  }
}
CO_MULTIVERSION(void, momentumKernel,
                (int64_t begin, int64_t end, float mo, float c, bool nesterov, const float* __restrict g,
                 const float* __restrict value, const float* __restrict accum, float* __restrict outValue,
                 float* __restrict outAccum),
                (begin, end, mo, c, nesterov, g, value, accum, outValue, outAccum))

}  // namespace

void rmsPropUpdate(int64_t n, const RmsPropConsts& k, const float* g, const float* value, const float* ms,
                   const float* mom, const float* mg, float* outValue, float* outMs, float* outMom, float* outMg) {
  if (mg != nullptr) {
    const auto f = rmsCentered();
    elementwiseSplit(n, [&](int64_t b, int64_t e) { f(b, e, k, g, value, ms, mom, mg, outValue, outMs, outMom, outMg); });
  } else {
    const auto f = rms();
    elementwiseSplit(n, [&](int64_t b, int64_t e) { f(b, e, k, g, value, ms, mom, outValue, outMs, outMom); });
  }
}

void adamUpdate(int64_t n, const AdamConsts& k, const float* g, const float* value, const float* m, const float* v,
                float* outValue, float* outM, float* outV) {
  const auto f = adam();
  elementwiseSplit(n, [&](int64_t b, int64_t e) { f(b, e, k, g, value, m, v, outValue, outM, outV); });
}

void momentumUpdate(int64_t n, float momentum, float c, bool nesterov, const float* g, const float* value,
                    const float* accum, float* outValue, float* outAccum) {
  const auto f = momentumKernel();
  elementwiseSplit(n, [&](int64_t b, int64_t e) { f(b, e, momentum, c, nesterov, g, value, accum, outValue, outAccum); });
}

}  // namespace co
