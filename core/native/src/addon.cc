// N-API surface of collabopt's native training kernels.
//
// Every entry point takes the wasm heap's ArrayBuffer, byte offsets of the tensors in it and the
// dimensions, and computes in place: the tensors stay where tfjs-backend-wasm keeps them. Each
// offset range is checked against the heap's length before any work, so a wrong call throws a
// TypeError/RangeError instead of touching memory outside the heap.
#include <node_api.h>

#include <cstring>
#include <string>

#include "batchNormTraining.h"
#include "common.h"

namespace {

constexpr int kGeomArgs = 15;

struct Call {
  napi_env env;
  size_t argc = 24;
  napi_value argv[24];
  uint8_t* heap = nullptr;
  size_t heapBytes = 0;
  bool failed = false;

  Call(napi_env e, napi_callback_info info, size_t expected, const char* name) : env(e) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) {
      fail(name, "bad call");
      return;
    }
    if (argc != expected) {
      fail(name, ("expects " + std::to_string(expected) + " arguments").c_str());
      return;
    }
    bool isAb = false;
    napi_is_arraybuffer(env, argv[0], &isAb);
    void* data = nullptr;
    if (!isAb || napi_get_arraybuffer_info(env, argv[0], &data, &heapBytes) != napi_ok) {
      fail(name, "argument 0 must be the wasm heap's ArrayBuffer");
      return;
    }
    heap = static_cast<uint8_t*>(data);
  }
  void fail(const char* name, const char* what) {
    if (failed) return;
    failed = true;
    napi_throw_type_error(env, nullptr, (std::string("collabopt native ") + name + ": " + what).c_str());
  }
  int64_t i64(size_t i) {
    int64_t v = 0;
    if (!failed && napi_get_value_int64(env, argv[i], &v) != napi_ok) fail("call", "integer argument expected");
    return v;
  }
  double f64(size_t i) {
    double v = 0;
    if (!failed && napi_get_value_double(env, argv[i], &v) != napi_ok) fail("call", "number argument expected");
    return v;
  }
  // A float32 tensor of `count` elements at byte offset argv[i]; nullptr (and a thrown error) when
  // it does not lie inside the heap or is misaligned.
  float* tensor(size_t i, int64_t count, const char* name) {
    int64_t off = i64(i);
    if (failed) return nullptr;
    if (off < 0 || off % 4 != 0 || count < 0 ||
        static_cast<uint64_t>(off) + static_cast<uint64_t>(count) * 4 > heapBytes) {
      fail(name, ("tensor argument " + std::to_string(i) + " lies outside the heap").c_str());
      return nullptr;
    }
    return reinterpret_cast<float*>(heap + off);
  }
  co::ConvGeom geom(size_t first, const char* name) {
    int64_t v[kGeomArgs];
    for (int j = 0; j < kGeomArgs; j++) v[j] = i64(first + j);
    co::ConvGeom g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
    bool ok = g.batch >= 0 && g.inH > 0 && g.inW > 0 && g.inC > 0 && g.outH >= 0 && g.outW >= 0 && g.outC > 0 &&
              g.fH > 0 && g.fW > 0 && g.strideH > 0 && g.strideW > 0 && g.dilH > 0 && g.dilW > 0;
    if (!ok) fail(name, "invalid convolution geometry");
    return g;
  }
  napi_value undefined() {
    napi_value u;
    napi_get_undefined(env, &u);
    return u;
  }
};

int64_t inSize(const co::ConvGeom& g) { return g.batch * g.inH * g.inW * g.inC; }
int64_t outSize(const co::ConvGeom& g) { return g.batch * g.outH * g.outW * g.outC; }
int64_t filterSize(const co::ConvGeom& g) { return g.fH * g.fW * g.inC * g.outC; }

// conv2d(heap, x, w, bias | -1, y, activation, ...geom)
napi_value Conv2d(napi_env env, napi_callback_info info) {
  Call c(env, info, 6 + kGeomArgs, "conv2d");
  co::ConvGeom g = c.geom(6, "conv2d");
  const float* x = c.tensor(1, inSize(g), "conv2d");
  const float* w = c.tensor(2, filterSize(g), "conv2d");
  const float* bias = c.failed || c.i64(3) < 0 ? nullptr : c.tensor(3, g.outC, "conv2d");
  float* y = c.tensor(4, outSize(g), "conv2d");
  const int64_t act = c.i64(5);
  if (c.failed) return nullptr;
  co::conv2d(g, x, w, bias, static_cast<int>(act), y);
  return c.undefined();
}

// conv2dBackpropInput(heap, dy, w, dx, ...geom)
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  Call c(env, info, 4 + kGeomArgs, "conv2dBackpropInput");
  co::ConvGeom g = c.geom(4, "conv2dBackpropInput");
  const float* dy = c.tensor(1, outSize(g), "conv2dBackpropInput");
  const float* w = c.tensor(2, filterSize(g), "conv2dBackpropInput");
  float* dx = c.tensor(3, inSize(g), "conv2dBackpropInput");
  if (c.failed) return nullptr;
  co::conv2dBackpropInput(g, dy, w, dx);
  return c.undefined();
}

// conv2dBackpropFilter(heap, x, dy, dw, ...geom)
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  Call c(env, info, 4 + kGeomArgs, "conv2dBackpropFilter");
  co::ConvGeom g = c.geom(4, "conv2dBackpropFilter");
  const float* x = c.tensor(1, inSize(g), "conv2dBackpropFilter");
  const float* dy = c.tensor(2, outSize(g), "conv2dBackpropFilter");
  float* dw = c.tensor(3, filterSize(g), "conv2dBackpropFilter");
  if (c.failed) return nullptr;
  co::conv2dBackpropFilter(g, x, dy, dw);
  return c.undefined();
}

// depthwise*(heap, a, b, out, multiplier, ...geom); geom.outC is inC · multiplier.
template <int Which>
napi_value Depthwise(napi_env env, napi_callback_info info) {
  static const char* names[] = {"depthwiseConv2d", "depthwiseBackpropInput", "depthwiseBackpropFilter"};
  const char* name = names[Which];
  Call c(env, info, 5 + kGeomArgs, name);
  co::ConvGeom g = c.geom(5, name);
  const int64_t m = c.i64(4);
  if (!c.failed && (m <= 0 || g.outC != g.inC * m)) c.fail(name, "output channels must be input channels × multiplier");
  const int64_t fsize = g.fH * g.fW * g.inC * m;
  if (Which == 0) {
    const float* x = c.tensor(1, inSize(g), name);
    const float* w = c.tensor(2, fsize, name);
    float* y = c.tensor(3, outSize(g), name);
    if (c.failed) return nullptr;
    co::depthwiseConv2d(g, m, x, w, y);
  } else if (Which == 1) {
    const float* dy = c.tensor(1, outSize(g), name);
    const float* w = c.tensor(2, fsize, name);
    float* dx = c.tensor(3, inSize(g), name);
    if (c.failed) return nullptr;
    co::depthwiseBackpropInput(g, m, dy, w, dx);
  } else {
    const float* x = c.tensor(1, inSize(g), name);
    const float* dy = c.tensor(2, outSize(g), name);
    float* dw = c.tensor(3, fsize, name);
    if (c.failed) return nullptr;
    co::depthwiseBackpropFilter(g, m, x, dy, dw);
  }
  return c.undefined();
}

// fakeQuantAffine(heap, x, scale, lowLevel, highLevel, y, n): the range parameters are 1-element
// tensors in the heap (they come from the observer's variables; nothing is read back to JS).
napi_value FakeQuantAffine(napi_env env, napi_callback_info info) {
  Call c(env, info, 7, "fakeQuantAffine");
  const int64_t n = c.i64(6);
  if (!c.failed && n < 0) c.fail("fakeQuantAffine", "invalid size");
  const float* x = c.tensor(1, n, "fakeQuantAffine");
  const float* scale = c.tensor(2, 1, "fakeQuantAffine");
  const float* low = c.tensor(3, 1, "fakeQuantAffine");
  const float* high = c.tensor(4, 1, "fakeQuantAffine");
  float* y = c.tensor(5, n, "fakeQuantAffine");
  if (c.failed) return nullptr;
  co::fakeQuantAffine(n, x, *scale, *low, *high, y);
  return c.undefined();
}

// rangeObserve(heap, x, min, max, outMin, outMax, n, mode, rate): min/max and the outputs are
// 1-element tensors in the heap.
napi_value RangeObserve(napi_env env, napi_callback_info info) {
  Call c(env, info, 9, "rangeObserve");
  const int64_t n = c.i64(6), mode = c.i64(7);
  const float rate = static_cast<float>(c.f64(8));
  if (!c.failed && (n <= 0 || mode < 0 || mode > 2)) c.fail("rangeObserve", "invalid size or mode");
  const float* x = c.tensor(1, n, "rangeObserve");
  const float* lo = c.tensor(2, 1, "rangeObserve");
  const float* hi = c.tensor(3, 1, "rangeObserve");
  float* outLo = c.tensor(4, 1, "rangeObserve");
  float* outHi = c.tensor(5, 1, "rangeObserve");
  if (c.failed) return nullptr;
  const co::ObservedRange r = co::rangeObserve(n, x, *lo, *hi, static_cast<int>(mode), rate);
  *outLo = r.min;
  *outHi = r.max;
  return c.undefined();
}

// fakeQuantNudge(heap, min, max, scale, lowLevel, highLevel, bandMin, bandMax, quantMin, quantMax):
// min/max and the five outputs are 1-element tensors in the heap.
napi_value FakeQuantNudge(napi_env env, napi_callback_info info) {
  Call c(env, info, 10, "fakeQuantNudge");
  const float quantMin = static_cast<float>(c.f64(8)), quantMax = static_cast<float>(c.f64(9));
  if (!c.failed && !(quantMin < quantMax)) c.fail("fakeQuantNudge", "invalid level range");
  const float* lo = c.tensor(1, 1, "fakeQuantNudge");
  const float* hi = c.tensor(2, 1, "fakeQuantNudge");
  float* out[5];
  for (size_t i = 0; i < 5; i++) out[i] = c.tensor(3 + i, 1, "fakeQuantNudge");
  if (c.failed) return nullptr;
  const co::FakeQuantGrid g = co::fakeQuantNudge(*lo, *hi, quantMin, quantMax);
  *out[0] = g.scale;
  *out[1] = g.lowLevel;
  *out[2] = g.highLevel;
  *out[3] = g.bandMin;
  *out[4] = g.bandMax;
  return c.undefined();
}

// fakeQuantAffineGrad(heap, dy, x, bandMin, bandMax, dx, n)
napi_value FakeQuantAffineGrad(napi_env env, napi_callback_info info) {
  Call c(env, info, 7, "fakeQuantAffineGrad");
  const int64_t n = c.i64(6);
  if (!c.failed && n < 0) c.fail("fakeQuantAffineGrad", "invalid size");
  const float* dy = c.tensor(1, n, "fakeQuantAffineGrad");
  const float* x = c.tensor(2, n, "fakeQuantAffineGrad");
  const float* bandMin = c.tensor(3, 1, "fakeQuantAffineGrad");
  const float* bandMax = c.tensor(4, 1, "fakeQuantAffineGrad");
  float* dx = c.tensor(5, n, "fakeQuantAffineGrad");
  if (c.failed) return nullptr;
  co::fakeQuantAffineGrad(n, dy, x, *bandMin, *bandMax, dx);
  return c.undefined();
}

// fakeQuantSymmetric(heap, x, y, scales, size, channels, inner, quantMax, tiesToEven, clip)
napi_value FakeQuantSymmetric(napi_env env, napi_callback_info info) {
  Call c(env, info, 10, "fakeQuantSymmetric");
  const co::SymmetricGeom g{c.i64(4), c.i64(5), c.i64(6), static_cast<float>(c.f64(7)), c.i64(8) != 0, c.i64(9) != 0};
  if (!c.failed && (g.size <= 0 || g.channels <= 0 || g.inner <= 0 || g.size % (g.channels * g.inner) != 0 || !(g.quantMax >= 1)))
    c.fail("fakeQuantSymmetric", "invalid sizes or level range");
  const float* x = c.tensor(1, g.size, "fakeQuantSymmetric");
  float* y = c.tensor(2, g.size, "fakeQuantSymmetric");
  float* scales = c.tensor(3, g.channels, "fakeQuantSymmetric");
  if (c.failed) return nullptr;
  co::fakeQuantSymmetric(g, x, y, scales);
  return c.undefined();
}

// batchMatMul(heap, a, b, c, batchA, batchB, m, n, k, transA, transB)
napi_value BatchMatMul(napi_env env, napi_callback_info info) {
  Call c(env, info, 11, "batchMatMul");
  const int64_t ba = c.i64(4), bb = c.i64(5), m = c.i64(6), n = c.i64(7), k = c.i64(8);
  const bool ta = c.i64(9) != 0, tb = c.i64(10) != 0;
  if (!c.failed && (ba <= 0 || bb <= 0 || (ba != bb && ba != 1 && bb != 1) || m < 0 || n < 0 || k < 0))
    c.fail("batchMatMul", "invalid batch or matrix sizes");
  const float* a = c.tensor(1, ba * m * k, "batchMatMul");
  const float* b = c.tensor(2, bb * k * n, "batchMatMul");
  float* out = c.tensor(3, (ba > bb ? ba : bb) * m * n, "batchMatMul");
  if (c.failed) return nullptr;
  co::batchMatMul(ba, bb, m, n, k, ta, tb, a, b, out);
  return c.undefined();
}

// reduceRows(heap, x, out, outer, inner, scale)
napi_value ReduceRows(napi_env env, napi_callback_info info) {
  Call c(env, info, 6, "reduceRows");
  const int64_t outer = c.i64(3), inner = c.i64(4);
  const double scale = c.f64(5);
  if (!c.failed && (outer < 0 || inner <= 0)) c.fail("reduceRows", "invalid sizes");
  const float* x = c.tensor(1, outer * inner, "reduceRows");
  float* out = c.tensor(2, inner, "reduceRows");
  if (c.failed) return nullptr;
  co::reduceRows(outer, inner, static_cast<float>(scale), x, out);
  return c.undefined();
}

// maxPool(heap, x, y, ...geom); geom.outC == inC.
napi_value MaxPool(napi_env env, napi_callback_info info) {
  Call c(env, info, 3 + kGeomArgs, "maxPool");
  co::ConvGeom g = c.geom(3, "maxPool");
  if (!c.failed && g.outC != g.inC) c.fail("maxPool", "output channels must equal input channels");
  const float* x = c.tensor(1, inSize(g), "maxPool");
  float* y = c.tensor(2, outSize(g), "maxPool");
  if (c.failed) return nullptr;
  co::maxPool(g, x, y);
  return c.undefined();
}

// maxPoolGrad(heap, dy, x, dx, ...geom)
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Call c(env, info, 4 + kGeomArgs, "maxPoolGrad");
  co::ConvGeom g = c.geom(4, "maxPoolGrad");
  if (!c.failed && g.outC != g.inC) c.fail("maxPoolGrad", "output channels must equal input channels");
  const float* dy = c.tensor(1, outSize(g), "maxPoolGrad");
  const float* x = c.tensor(2, inSize(g), "maxPoolGrad");
  float* dx = c.tensor(3, inSize(g), "maxPoolGrad");
  if (c.failed) return nullptr;
  co::maxPoolGrad(g, dy, x, dx);
  return c.undefined();
}

// batchNorm(heap, x, mean, variance, offset | -1, scale | -1, y, rows, channels, epsilon,
//           meanSize, varianceSize, offsetSize, scaleSize); each statistic has 1 or `channels` values.
napi_value BatchNorm(napi_env env, napi_callback_info info) {
  Call c(env, info, 14, "batchNorm");
  const int64_t rows = c.i64(7), ch = c.i64(8);
  const double eps = c.f64(9);
  if (!c.failed && (rows < 0 || ch <= 0)) c.fail("batchNorm", "invalid sizes");
  co::Stat stats[4];
  for (int s = 0; s < 4; s++) {
    const int64_t size = c.i64(10 + s);
    if (!c.failed && size != 1 && size != ch) c.fail("batchNorm", "statistics need 1 or `channels` values");
    const bool absent = s >= 2 && !c.failed && c.i64(2 + s) < 0;
    stats[s] = co::Stat{absent || c.failed ? nullptr : c.tensor(1 + s + 1, size, "batchNorm"), size};
  }
  const float* x = c.tensor(1, rows * ch, "batchNorm");
  float* y = c.tensor(6, rows * ch, "batchNorm");
  if (c.failed) return nullptr;
  co::batchNorm(rows, ch, stats[0], stats[1], stats[2], stats[3], static_cast<float>(eps), x, y);
  return c.undefined();
}

// reluGrad / relu6Grad(heap, dy, x, dx, n)
template <int Which>
napi_value ActivationGrad(napi_env env, napi_callback_info info) {
  const char* name = Which == 0 ? "reluGrad" : "relu6Grad";
  Call c(env, info, 5, name);
  const int64_t n = c.i64(4);
  if (!c.failed && n < 0) c.fail(name, "invalid size");
  const float* dy = c.tensor(1, n, name);
  const float* x = c.tensor(2, n, name);
  float* dx = c.tensor(3, n, name);
  if (c.failed) return nullptr;
  (Which == 0 ? co::reluGrad : co::relu6Grad)(n, dy, x, dx);
  return c.undefined();
}

// clipByValueGrad(heap, dy, x, dx, n, lo, hi)
napi_value ClipByValueGrad(napi_env env, napi_callback_info info) {
  Call c(env, info, 7, "clipByValueGrad");
  const int64_t n = c.i64(4);
  if (!c.failed && n < 0) c.fail("clipByValueGrad", "invalid size");
  const float* dy = c.tensor(1, n, "clipByValueGrad");
  const float* x = c.tensor(2, n, "clipByValueGrad");
  float* dx = c.tensor(3, n, "clipByValueGrad");
  const double lo = c.f64(5), hi = c.f64(6);
  if (c.failed) return nullptr;
  co::clipByValueGrad(n, dy, x, static_cast<float>(lo), static_cast<float>(hi), dx);
  return c.undefined();
}

// rmsPropUpdate(heap, g, value, ms, mom, mg | -1, outValue, outMs, outMom, outMg | -1, n,
//               decay, oneMinusDecay, learningRate, epsilon, momentum)
napi_value RmsPropUpdate(napi_env env, napi_callback_info info) {
  const char* name = "rmsPropUpdate";
  Call c(env, info, 16, name);
  const int64_t n = c.i64(10);
  if (!c.failed && n < 0) c.fail(name, "invalid size");
  const bool centered = !c.failed && c.i64(5) >= 0;
  if (!c.failed && centered != (c.i64(9) >= 0)) c.fail(name, "mg and outMg must both be given or both be -1");
  const float* g = c.tensor(1, n, name);
  const float* value = c.tensor(2, n, name);
  const float* ms = c.tensor(3, n, name);
  const float* mom = c.tensor(4, n, name);
  const float* mg = centered ? c.tensor(5, n, name) : nullptr;
  float* outValue = c.tensor(6, n, name);
  float* outMs = c.tensor(7, n, name);
  float* outMom = c.tensor(8, n, name);
  float* outMg = centered ? c.tensor(9, n, name) : nullptr;
  co::RmsPropConsts k{static_cast<float>(c.f64(11)), static_cast<float>(c.f64(12)), static_cast<float>(c.f64(13)),
                      static_cast<float>(c.f64(14)), static_cast<float>(c.f64(15))};
  if (c.failed) return nullptr;
  co::rmsPropUpdate(n, k, g, value, ms, mom, mg, outValue, outMs, outMom, outMg);
  return c.undefined();
}

// adamUpdate(heap, g, value, m, v, accBeta1, accBeta2, outValue, outM, outV, n,
//            beta1, oneMinusBeta1, beta2, oneMinusBeta2, negLearningRate, epsilon); accBeta* are
// offsets of 1-element tensors (β^t, kept by the optimizer).
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  const char* name = "adamUpdate";
  Call c(env, info, 17, name);
  const int64_t n = c.i64(10);
  if (!c.failed && n < 0) c.fail(name, "invalid size");
  const float* g = c.tensor(1, n, name);
  const float* value = c.tensor(2, n, name);
  const float* m = c.tensor(3, n, name);
  const float* v = c.tensor(4, n, name);
  const float* accBeta1 = c.tensor(5, 1, name);
  const float* accBeta2 = c.tensor(6, 1, name);
  float* outValue = c.tensor(7, n, name);
  float* outM = c.tensor(8, n, name);
  float* outV = c.tensor(9, n, name);
  double d[6];
  for (int j = 0; j < 6; j++) d[j] = c.f64(11 + j);
  if (c.failed) return nullptr;
  // sub(1, accBeta): a float32 subtraction, as tfjs computes it.
  co::AdamConsts k{static_cast<float>(d[0]), static_cast<float>(d[1]), static_cast<float>(d[2]),
                   static_cast<float>(d[3]), static_cast<float>(d[4]), static_cast<float>(d[5]),
                   1.f - *accBeta1, 1.f - *accBeta2};
  co::adamUpdate(n, k, g, value, m, v, outValue, outM, outV);
  return c.undefined();
}

// momentumUpdate(heap, g, value, accum, momentum, c, outValue, outAccum, n, nesterov); momentum
// and c (−learningRate) are offsets of the optimizer's 1-element tensors.
napi_value MomentumUpdate(napi_env env, napi_callback_info info) {
  const char* name = "momentumUpdate";
  Call c(env, info, 10, name);
  const int64_t n = c.i64(8);
  if (!c.failed && n < 0) c.fail(name, "invalid size");
  const float* g = c.tensor(1, n, name);
  const float* value = c.tensor(2, n, name);
  const float* accum = c.tensor(3, n, name);
  const float* momentum = c.tensor(4, 1, name);
  const float* lr = c.tensor(5, 1, name);
  float* outValue = c.tensor(6, n, name);
  float* outAccum = c.tensor(7, n, name);
  const int64_t nesterov = c.i64(9);
  if (c.failed) return nullptr;
  co::momentumUpdate(n, *momentum, *lr, nesterov != 0, g, value, accum, outValue, outAccum);
  return c.undefined();
}

// batchNormTraining(heap, x, scale, offset, y, mean, variance, rows, channels, epsilon)
napi_value BatchNormTraining(napi_env env, napi_callback_info info) {
  Call c(env, info, 10, "batchNormTraining");
  const int64_t rows = c.i64(7), ch = c.i64(8);
  const double eps = c.f64(9);
  if (!c.failed && (rows <= 0 || ch <= 0)) c.fail("batchNormTraining", "invalid sizes");
  const float* x = c.tensor(1, rows * ch, "batchNormTraining");
  const float* scale = c.tensor(2, ch, "batchNormTraining");
  const float* offset = c.tensor(3, ch, "batchNormTraining");
  float* y = c.tensor(4, rows * ch, "batchNormTraining");
  float* mean = c.tensor(5, ch, "batchNormTraining");
  float* variance = c.tensor(6, ch, "batchNormTraining");
  if (c.failed) return nullptr;
  co::batchNormTraining(rows, ch, x, scale, offset, static_cast<float>(eps), y, mean, variance);
  return c.undefined();
}

// batchNormTrainingGrad(heap, dy, x, mean, variance, scale, dmean, dvariance, dx, dscale,
//                       doffset, rows, channels, epsilon)
napi_value BatchNormTrainingGrad(napi_env env, napi_callback_info info) {
  Call c(env, info, 14, "batchNormTrainingGrad");
  const int64_t rows = c.i64(11), ch = c.i64(12);
  const double eps = c.f64(13);
  if (!c.failed && (rows <= 0 || ch <= 0)) c.fail("batchNormTrainingGrad", "invalid sizes");
  const float* dy = c.tensor(1, rows * ch, "batchNormTrainingGrad");
  const float* x = c.tensor(2, rows * ch, "batchNormTrainingGrad");
  const float* mean = c.tensor(3, ch, "batchNormTrainingGrad");
  const float* variance = c.tensor(4, ch, "batchNormTrainingGrad");
  const float* scale = c.tensor(5, ch, "batchNormTrainingGrad");
  const float* dmean = c.tensor(6, ch, "batchNormTrainingGrad");
  const float* dvariance = c.tensor(7, ch, "batchNormTrainingGrad");
  float* dx = c.tensor(8, rows * ch, "batchNormTrainingGrad");
  float* dscale = c.tensor(9, ch, "batchNormTrainingGrad");
  float* doffset = c.tensor(10, ch, "batchNormTrainingGrad");
  if (c.failed) return nullptr;
  co::batchNormTrainingGrad(rows, ch, dy, x, mean, variance, scale, dmean, dvariance, static_cast<float>(eps), dx,
                            dscale, doffset);
  return c.undefined();
}

// clusterProject(heap, x, prevX | -1, prevAssignment | -1, centroids, y, assignment, centroidsOut,
//                size, channels, inner, k, update, pinZero) → undefined, or [kind, channel, index,
// value] for the first problem (a non-finite centroid or weight, a bad previous assignment).
napi_value ClusterProject(napi_env env, napi_callback_info info) {
  Call c(env, info, 14, "clusterProject");
  const co::ClusterGeom g{c.i64(8), c.i64(9), c.i64(10), c.i64(11), static_cast<int>(c.i64(12)), c.i64(13) != 0};
  if (!c.failed && (g.size <= 0 || g.channels <= 0 || g.inner <= 0 || g.k <= 0 || g.size % (g.channels * g.inner) != 0 ||
                    g.update < 0 || g.update > 2))
    c.fail("clusterProject", "invalid sizes or update rule");
  const bool update = !c.failed && g.update != co::ClusterGeom::kNoUpdate;
  const float* x = c.tensor(1, g.size, "clusterProject");
  const float* prevX = update ? c.tensor(2, g.size, "clusterProject") : nullptr;
  const float* prevAssignment = update ? c.tensor(3, g.size, "clusterProject") : nullptr;
  const float* centroids = c.tensor(4, g.channels * g.k, "clusterProject");
  float* y = c.tensor(5, g.size, "clusterProject");
  float* assignment = c.tensor(6, g.size, "clusterProject");
  float* centroidsOut = c.tensor(7, g.channels * g.k, "clusterProject");
  if (c.failed) return nullptr;
  const co::ClusterProblem p = co::clusterProject(g, x, prevX, prevAssignment, centroids, y, assignment, centroidsOut);
  if (p.kind == co::ClusterProblem::kNone) return c.undefined();
  napi_value out, v;
  napi_create_array_with_length(env, 4, &out);
  const double parts[4] = {static_cast<double>(p.kind), static_cast<double>(p.channel), static_cast<double>(p.index), p.value};
  for (uint32_t i = 0; i < 4; i++) {
    napi_create_double(env, parts[i], &v);
    napi_set_element(env, out, i, v);
  }
  return out;
}

// info() → { threads, isa }
napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, threads, isa;
  napi_create_object(env, &obj);
  napi_create_int32(env, co::threadCount(), &threads);
  const char* name = co::hasAvx2() ? "avx2" : "scalar";
  napi_create_string_utf8(env, name, std::strlen(name), &isa);
  napi_set_named_property(env, obj, "threads", threads);
  napi_set_named_property(env, obj, "isa", isa);
  return obj;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2dBackpropInput, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2dBackpropFilter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"depthwiseConv2d", nullptr, Depthwise<0>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"depthwiseBackpropInput", nullptr, Depthwise<1>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"depthwiseBackpropFilter", nullptr, Depthwise<2>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchMatMul", nullptr, BatchMatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduceRows", nullptr, ReduceRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNorm", nullptr, BatchNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormTraining", nullptr, BatchNormTraining, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormTrainingGrad", nullptr, BatchNormTrainingGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool", nullptr, MaxPool, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fakeQuantAffine", nullptr, FakeQuantAffine, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fakeQuantAffineGrad", nullptr, FakeQuantAffineGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rangeObserve", nullptr, RangeObserve, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fakeQuantNudge", nullptr, FakeQuantNudge, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fakeQuantSymmetric", nullptr, FakeQuantSymmetric, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluGrad", nullptr, ActivationGrad<0>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"relu6Grad", nullptr, ActivationGrad<1>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"clipByValueGrad", nullptr, ClipByValueGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rmsPropUpdate", nullptr, RmsPropUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamUpdate", nullptr, AdamUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"momentumUpdate", nullptr, MomentumUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"clusterProject", nullptr, ClusterProject, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
