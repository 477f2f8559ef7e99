// Shared declarations of collabopt's native training kernels.
//
// Every kernel computes in place on float32 tensors that live in the tfjs wasm heap: the caller
// passes the heap's base pointer plus byte offsets, so no tensor is copied in or out. Kernels that
// vectorise are compiled twice (portable, and AVX2+FMA through a target attribute) and the AVX2
// version is picked at run time when the CPU has it; the build itself never assumes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define CO_X86 1
#define CO_AVX2 __attribute__((target("avx2,fma")))
#else
#define CO_X86 0
#define CO_AVX2
#endif
#if defined(__GNUC__)
#define CO_INLINE inline __attribute__((always_inline))
#else
#define CO_INLINE inline
#endif

// Defines `name##Avx2` and `name##Base` from the always-inline body `name##Body` (same signature)
// and `name()` returning the one this CPU runs. The body is inlined into each, so the compiler
// vectorises it for that target.
#define CO_MULTIVERSION(ret, name, params, args)                          \
  CO_AVX2 static ret name##Avx2 params { return name##Body args; }        \
  static ret name##Base params { return name##Body args; }                \
  static auto name() -> ret(*) params { return co::hasAvx2() ? name##Avx2 : name##Base; }

namespace co {

// tfjs-backend-wasm's Step (alpha 0): NaN stays NaN, 1 above 0, else 0. Kernels that must equal a
// composite of wasm ops bit for bit write that op out with this. Written as two selects (not a
// nested conditional) so that GCC if-converts and vectorises the loops using it.
CO_INLINE float wasmStep(float v) {
  const float positive = v > 0.f ? 1.f : 0.f;
  return v != v ? v : positive;
}

/** True when the CPU has AVX2 and FMA (checked once). */
bool hasAvx2();

/** Worker count of the pool, including the calling thread. */
int threadCount();

/**
 * Runs task(i, worker) for i in [0, tasks) on the pool; the calling thread takes part. worker is
 * in [0, threadCount()) and unique among concurrently running tasks (for per-worker scratch).
 * Returns when every task is done.
 */
void parallelFor(int64_t tasks, const std::function<void(int64_t, int)>& task);

/**
 * Runs run(begin, end) over [0, n) for an elementwise, memory-bound kernel: on the calling thread
 * below ~64K elements (the hand-off costs more than it saves), else split over two workers (two
 * saturate the memory bandwidth a training step leaves).
 */
template <typename F>
void elementwiseSplit(int64_t n, const F& run) {
  const int64_t T = n < (int64_t{1} << 16) ? 1 : (threadCount() < 2 ? threadCount() : 2);
  if (T <= 1) {
    run(0, n);
    return;
  }
  parallelFor(T, [&](int64_t t, int) { run(n * t / T, n * (t + 1) / T); });
}

/** Per-worker scratch buffer of at least `floats` floats (kept and reused; grows only). */
float* scratch(int worker, int slot, size_t floats);

/** A strided matrix view: element (i, j) is p[i * rs + j * cs]. */
struct Mat {
  const float* p;
  int64_t rs, cs;
};

/**
 * C = A·B (accumulate=false) or C += A·B, A is m×k, B is k×n, C(i, j) = c[i * rsC + j * csC].
 * With `threaded`, the work is split over the pool; otherwise it runs on the calling thread with
 * `worker`'s scratch.
 */
void sgemm(int64_t m, int64_t n, int64_t k, Mat a, Mat b, float* c, int64_t rsC, int64_t csC, bool accumulate,
           bool threaded, int worker = 0);

/** Convolution geometry, NHWC, as tfjs's computeConv2DInfo gives it. */
struct ConvGeom {
  int64_t batch, inH, inW, inC;
  int64_t outH, outW, outC;
  int64_t fH, fW;
  int64_t strideH, strideW, dilH, dilW;
  int64_t padTop, padLeft;
};

// Kernels (float32, NHWC). Pointers are into the wasm heap.
void conv2d(const ConvGeom& g, const float* x, const float* w, const float* bias, int activation, float* y);
void conv2dBackpropInput(const ConvGeom& g, const float* dy, const float* w, float* dx);
void conv2dBackpropFilter(const ConvGeom& g, const float* x, const float* dy, float* dw);
void depthwiseConv2d(const ConvGeom& g, int64_t multiplier, const float* x, const float* w, float* y);
void depthwiseBackpropInput(const ConvGeom& g, int64_t multiplier, const float* dy, const float* w, float* dx);
void depthwiseBackpropFilter(const ConvGeom& g, int64_t multiplier, const float* x, const float* dy, float* dw);
void batchMatMul(int64_t batchA, int64_t batchB, int64_t m, int64_t n, int64_t k, bool transA, bool transB,
                 const float* a, const float* b, float* c);
/** out[j] = Σ_i x[i * inner + j] (scaled by `scale`), i over `outer` rows. */
void reduceRows(int64_t outer, int64_t inner, float scale, const float* x, float* out);
/** A per-channel statistic: absent (nullptr, a default), one value, or one per channel. */
struct Stat {
  const float* p;
  int64_t size;
  float at(int64_t channel, float absent) const { return p == nullptr ? absent : p[size == 1 ? 0 : channel]; }
};
/** y = (x − mean)·rsqrt(variance + ε)·scale + offset over `channels`, the innermost axis. */
void batchNorm(int64_t rows, int64_t channels, const Stat& mean, const Stat& variance, const Stat& offset,
               const Stat& scale, float epsilon, const float* x, float* y);
void maxPool(const ConvGeom& g, const float* x, float* y);
void maxPoolGrad(const ConvGeom& g, const float* dy, const float* x, float* dx);
/**
 * The quantize plugin's activation fake-quant over n elements, bit for bit as its wasm composite:
 * level = floor(x / scale + 0.5) clamped to [lowLevel, highLevel], y = level · scale (NaN stays NaN).
 */
void fakeQuantAffine(int64_t n, const float* x, float scale, float lowLevel, float highLevel, float* y);
/** A range observer's new [min, max] (see rangeObserve). */
struct ObservedRange { float min, max; };
enum ObserveMode { kObserveMovingAverage = 0, kObserveReplace = 1, kObserveWiden = 2 };
/**
 * One batch folded into a range observer's [curMin, curMax], bit for bit as the quantize plugin's
 * observers on wasm: b = [minimum(min(x), 0), maximum(max(x), 0)], then the moving average
 * v − (v − b)·rate, the batch range itself, or the widened range min(v, b) / max(v, b). n ≥ 1.
 */
ObservedRange rangeObserve(int64_t n, const float* x, float curMin, float curMax, int mode, float rate);
/** The nudged grid of a range for fakeQuantAffine and its gradient (a degenerate range: levels 0, band ±∞). */
struct FakeQuantGrid { float scale, lowLevel, highLevel, bandMin, bandMax; };
/** TF's nudge of [lo, hi] to levels [quantMin, quantMax], bit for bit as the plugin's wasm composite. */
FakeQuantGrid fakeQuantNudge(float lo, float hi, float quantMin, float quantMax);
/** Its clipped straight-through gradient: dx = dy where bandMin ≤ x ≤ bandMax, else +0. */
void fakeQuantAffineGrad(int64_t n, const float* dy, const float* x, float bandMin, float bandMax, float* dx);
/** Layout and options of the quantize plugin's weight fake-quant (see fakeQuantSymmetric.cc). */
struct SymmetricGeom {
  int64_t size;      // elements
  int64_t channels;  // element i belongs to channel (i / inner) % channels; 1 per tensor
  int64_t inner;
  float quantMax;    // 2^(bits − 1) − 1
  bool tiesToEven;   // tf.round's ties (the per-step projection), else ties away from zero
  bool clip;         // clamp the levels to ±quantMax (NaN to −quantMax, as wasm's ClipByValue)
};
/**
 * Symmetric narrow-range fake-quant of a weight, bit for bit as the quantize plugin's wasm
 * composite: scales[c] = max|w| / quantMax over channel c (1 / quantMax where that is 0; NaN
 * propagates), y = level(w / scale) · scale.
 */
void fakeQuantSymmetric(const SymmetricGeom& g, const float* x, float* y, float* scales);
/** Relu's gradient as tfjs-core's: dx = dy · step(x) (NaN x gives NaN). */
void reluGrad(int64_t n, const float* dy, const float* x, float* dx);
/** Relu6's gradient as tfjs-core's: dx = dy · ((x ≤ 6) · step(x)). */
void relu6Grad(int64_t n, const float* dy, const float* x, float* dx);
/** ClipByValue's gradient as tfjs-core's: dx = dy where lo ≤ x ≤ hi, else +0. */
void clipByValueGrad(int64_t n, const float* dy, const float* x, float lo, float hi, float* dx);
/** The constants of one RMSprop update (each rounded to float32 as tfjs makes them scalars). */
struct RmsPropConsts { float decay, oneMinusDecay, learningRate, epsilon, momentum; };
/**
 * tfjs's RMSprop update of one variable; `mg`/`outMg` null unless centered. Outputs are distinct
 * from the inputs.
 */
void rmsPropUpdate(int64_t n, const RmsPropConsts& k, const float* g, const float* value, const float* ms,
                   const float* mom, const float* mg, float* outValue, float* outMs, float* outMom, float* outMg);
/** The constants of one Adam update; `oneMinusAccBeta*` are 1 − β^t as tfjs computes them in float32. */
struct AdamConsts { float beta1, oneMinusBeta1, beta2, oneMinusBeta2, negLearningRate, epsilon, oneMinusAccBeta1, oneMinusAccBeta2; };
/** tfjs's Adam update of one variable. */
void adamUpdate(int64_t n, const AdamConsts& k, const float* g, const float* value, const float* m, const float* v,
                float* outValue, float* outM, float* outV);
/** tfjs's momentum (optionally Nesterov) update of one variable; c is −learningRate. */
void momentumUpdate(int64_t n, float momentum, float c, bool nesterov, const float* g, const float* value,
                    const float* accum, float* outValue, float* outAccum);

/** Layout and options of the cluster plugin's projection (see cluster.cc). */
struct ClusterGeom {
  enum Update { kNoUpdate = 0, kMean = 1, kSum = 2 };
  int64_t size;      // elements
  int64_t channels;  // element i belongs to channel (i / inner) % channels; 1 per tensor
  int64_t inner;
  int64_t k;         // centroids per channel
  int update;        // how centroids follow the members' steps (kNoUpdate: no previous step)
  bool pinZero;      // a zero centroid never moves (sparsity-aware clustering)
};
/** What stopped a projection, in the order the JavaScript would report it (kNone: nothing). */
struct ClusterProblem {
  enum Kind { kNone = 0, kCentroid = 1, kWeight = 2, kBadAssignment = 3 };
  int kind;
  int64_t channel;
  int64_t index;  // within the channel's centroid row, or within the channel's weights
  double value;
};
/**
 * How many parts the centroid update sums separately (then adds in part order): 2 from 64K
 * elements and 2 blocks of channels · inner elements, else 1. The plugin's JavaScript
 * (clusterProjection.ts, clusterFollowParts) splits the same way.
 */
int64_t clusterFollowParts(int64_t size, int64_t blocks);
/**
 * The cluster plugin's projection: with an update, each centroid moves by the mean (or sum) of
 * its members' steps x − prevX (members by prevAssignment); then every weight is assigned to its
 * nearest centroid (ties to the smaller index) and y takes that centroid's value. Assignments are
 * written as float32 integers.
 */
ClusterProblem clusterProject(const ClusterGeom& g, const float* x, const float* prevX, const float* prevAssignment,
                              const float* centroidsIn, float* y, float* assignmentOut, float* centroidsOut);

}  // namespace co
