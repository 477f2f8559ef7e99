// Conv2D, its input gradient and its filter gradient as GEMMs over im2col patches (NHWC).
//
// Shapes: x [N, H, W, Ci], w [fH, fW, Ci, Co], y/dy [N, oH, oW, Co]. Per image, the patch
// matrix P [oH·oW, fH·fW·Ci] (zero where the window leaves the padded input) gives
//   y = P·w,  dP = dy·wᵀ (scattered back into dx, "col2im"),  dw = Σₙ Pᵀ·dy.
// 1×1 stride-1 convolutions (SAME and VALID are the same there) need no patches: x is P for the
// whole batch at once, so each of the three is one GEMM over N·H·W rows, split over the pool —
// per image, MobileNet's late layers (2×2 or 1×1 pixels) were products of 1–4 rows. Other
// convolutions split their images over the pool, each worker with its own patch buffer; the
// filter gradient sums per-worker partials. When there are fewer images than workers, each
// image's GEMM is split instead.
#include <algorithm>
#include <cstring>
#include <vector>

#include "common.h"

namespace co {
namespace {

int64_t patchCols(const ConvGeom& g) { return g.fH * g.fW * g.inC; }

// 1×1, stride 1, no padding (SAME and VALID both give none): the patch matrix is x itself.
bool isPointwise(const ConvGeom& g) {
  return g.fH == 1 && g.fW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 &&
         g.outH == g.inH && g.outW == g.inW;
}

// The kernel columns [kw0, kw1) whose taps land inside the input for output column ox (all of
// them in the interior); with dilation 1 their pixels are one contiguous run of (kw1 − kw0)·C
// floats in x, and their patch entries one contiguous run in the patch row.
struct TapRange {
  int64_t kw0, kw1;
};
TapRange validTaps(const ConvGeom& g, int64_t ox) {
  const int64_t ix0 = ox * g.strideW - g.padLeft;
  int64_t kw0 = 0, kw1 = g.fW;
  while (kw0 < kw1 && ix0 + kw0 * g.dilW < 0) kw0++;
  while (kw1 > kw0 && ix0 + (kw1 - 1) * g.dilW >= g.inW) kw1--;
  return {kw0, kw1};
}

// Short runs (a few channels: a first layer's Ci = 1–3) copied inline; a libc call per run of
// 5 floats cost more than the copy.
CO_INLINE void copyRun(float* __restrict dst, const float* __restrict src, int64_t n) {
  if (n >= 32) {
    std::memcpy(dst, src, n * sizeof(float));
  } else {
    for (int64_t i = 0; i < n; i++) dst[i] = src[i];
  }
}
CO_INLINE void zeroRun(float* dst, int64_t n) {
  if (n >= 32) {
    std::memset(dst, 0, n * sizeof(float));
  } else {
    for (int64_t i = 0; i < n; i++) dst[i] = 0.f;
  }
}

// Patch matrix of one image: row (oy, ox), columns (kh, kw, ci). With dilation 1 each kernel row
// of a patch is copied as one run (fW·C floats in the interior, so for Ci = 1 one copy of fW
// instead of fW copies of one float); taps outside the input are zeroed as one run per side, and
// kernel rows above or below the input as one run of fW·C.
void im2col(const ConvGeom& g, const float* x, float* cols) {
  const int64_t K = patchCols(g), C = g.inC, rowLen = g.fW * C;
  for (int64_t oy = 0; oy < g.outH; oy++) {
    for (int64_t ox = 0; ox < g.outW; ox++) {
      float* row = cols + (oy * g.outW + ox) * K;
      const TapRange t = validTaps(g, ox);
      const int64_t ix0 = ox * g.strideW - g.padLeft;
      for (int64_t kh = 0; kh < g.fH; kh++) {
        const int64_t iy = oy * g.strideH - g.padTop + kh * g.dilH;
        float* dst = row + kh * rowLen;
        if (iy < 0 || iy >= g.inH || t.kw0 >= t.kw1) {
          zeroRun(dst, rowLen);
          continue;
        }
        const float* src = x + iy * g.inW * C;
        if (t.kw0 > 0) zeroRun(dst, t.kw0 * C);
        if (g.dilW == 1) {
          copyRun(dst + t.kw0 * C, src + (ix0 + t.kw0) * C, (t.kw1 - t.kw0) * C);
        } else {
          for (int64_t kw = t.kw0; kw < t.kw1; kw++)
            copyRun(dst + kw * C, src + (ix0 + kw * g.dilW) * C, C);
        }
        if (t.kw1 < g.fW) zeroRun(dst + t.kw1 * C, (g.fW - t.kw1) * C);
      }
    }
  }
}

// dx (one image, already zeroed) += the patch gradients scattered back to their pixels; with
// dilation 1 one contiguous run per kernel row, as im2col copies them.
CO_INLINE void col2imBody(const ConvGeom& g, const float* cols, float* dx) {
  const int64_t K = patchCols(g), C = g.inC, rowLen = g.fW * C;
  for (int64_t oy = 0; oy < g.outH; oy++) {
    for (int64_t ox = 0; ox < g.outW; ox++) {
      const float* row = cols + (oy * g.outW + ox) * K;
      const TapRange t = validTaps(g, ox);
      const int64_t ix0 = ox * g.strideW - g.padLeft;
      for (int64_t kh = 0; kh < g.fH; kh++) {
        const int64_t iy = oy * g.strideH - g.padTop + kh * g.dilH;
        if (iy < 0 || iy >= g.inH) continue;
        if (g.dilW == 1) {
          const float* __restrict src = row + kh * rowLen + t.kw0 * C;
          float* __restrict dst = dx + (iy * g.inW + ix0 + t.kw0) * C;
          for (int64_t c = 0, e = (t.kw1 - t.kw0) * C; c < e; c++) dst[c] += src[c];
        } else {
          for (int64_t kw = t.kw0; kw < t.kw1; kw++) {
            const float* __restrict src = row + kh * rowLen + kw * C;
            float* __restrict dst = dx + (iy * g.inW + ix0 + kw * g.dilW) * C;
            for (int64_t c = 0; c < C; c++) dst[c] += src[c];
          }
        }
      }
    }
  }
}
CO_MULTIVERSION(void, col2im, (const ConvGeom& g, const float* cols, float* dx), (g, cols, dx))

// y (rows × Co) += bias, then the activation (0 linear, 1 relu, 2 relu6).
CO_INLINE void epilogueBody(int64_t rows, int64_t co, const float* bias, int activation, float* y) {
  for (int64_t r = 0; r < rows; r++) {
    float* __restrict row = y + r * co;
    if (bias != nullptr)
      for (int64_t c = 0; c < co; c++) row[c] += bias[c];
    if (activation == 1)
      for (int64_t c = 0; c < co; c++) row[c] = row[c] > 0.f ? row[c] : 0.f;
    else if (activation == 2)
      for (int64_t c = 0; c < co; c++) row[c] = std::min(std::max(row[c], 0.f), 6.f);
  }
}
CO_MULTIVERSION(void, epilogue, (int64_t rows, int64_t co, const float* bias, int activation, float* y),
                (rows, co, bias, activation, y))

// Runs perImage(n, threadedGemm, worker) for every image: images over the pool when there are at
// least as many as workers, otherwise one image at a time with the GEMM split.
template <typename F>
void forEachImage(int64_t batch, F perImage) {
  if (batch >= threadCount()) {
    parallelFor(batch, [&](int64_t n, int w) { perImage(n, false, w); });
  } else {
    for (int64_t n = 0; n < batch; n++) perImage(n, true, 0);
  }
}

}  // namespace

void conv2d(const ConvGeom& g, const float* x, const float* w, const float* bias, int activation, float* y) {
  const int64_t P = g.outH * g.outW, K = patchCols(g);
  const auto ep = epilogue();
  if (isPointwise(g)) {
    const int64_t rows = g.batch * P;
    sgemm(rows, g.outC, K, Mat{x, K, 1}, Mat{w, g.outC, 1}, y, g.outC, 1, false, true, 0);
    if (bias != nullptr || activation != 0)
      elementwiseSplit(rows * g.outC, [&](int64_t begin, int64_t end) {
        // Whole rows: the split points rounded to rows.
        const int64_t r0 = begin / g.outC, r1 = end == rows * g.outC ? rows : end / g.outC;
        ep(r1 - r0, g.outC, bias, activation, y + r0 * g.outC);
      });
    return;
  }
  forEachImage(g.batch, [&](int64_t n, bool threaded, int worker) {
    const float* xn = x + n * g.inH * g.inW * g.inC;
    float* yn = y + n * P * g.outC;
    float* cols = scratch(worker, 2, static_cast<size_t>(P * K));
    im2col(g, xn, cols);
    sgemm(P, g.outC, K, Mat{cols, K, 1}, Mat{w, g.outC, 1}, yn, g.outC, 1, false, threaded, worker);
    if (bias != nullptr || activation != 0) ep(P, g.outC, bias, activation, yn);
  });
}

void conv2dBackpropInput(const ConvGeom& g, const float* dy, const float* w, float* dx) {
  const int64_t P = g.outH * g.outW, K = patchCols(g);
  const auto c2i = col2im();
  // wᵀ as a view: element (co, k) of wᵀ is w[k·Co + co].
  const Mat wt{w, 1, g.outC};
  if (isPointwise(g)) {
    sgemm(g.batch * P, K, g.outC, Mat{dy, g.outC, 1}, wt, dx, K, 1, false, true, 0);
    return;
  }
  forEachImage(g.batch, [&](int64_t n, bool threaded, int worker) {
    const float* dyn = dy + n * P * g.outC;
    float* dxn = dx + n * g.inH * g.inW * g.inC;
    float* cols = scratch(worker, 2, static_cast<size_t>(P * K));
    sgemm(P, K, g.outC, Mat{dyn, g.outC, 1}, wt, cols, K, 1, false, threaded, worker);
    std::memset(dxn, 0, g.inH * g.inW * g.inC * sizeof(float));
    c2i(g, cols, dxn);
  });
}

void conv2dBackpropFilter(const ConvGeom& g, const float* x, const float* dy, float* dw) {
  const int64_t P = g.outH * g.outW, K = patchCols(g), Co = g.outC;
  // dw (K×Co) += Pᵀ (K×P) · dy (P×Co); Pᵀ as a view of the row-major patch matrix.
  if (isPointwise(g)) {
    // One product over the whole batch: k = N·H·W (the pool splits rows of dw, or k when dw is small).
    sgemm(K, Co, g.batch * P, Mat{x, 1, K}, Mat{dy, Co, 1}, dw, Co, 1, false, true, 0);
    return;
  }
  auto image = [&](int64_t n, float* acc, bool threaded, int worker) {
    float* cols = scratch(worker, 2, static_cast<size_t>(P * K));
    im2col(g, x + n * g.inH * g.inW * g.inC, cols);
    sgemm(K, Co, P, Mat{cols, 1, K}, Mat{dy + n * P * Co, Co, 1}, acc, Co, 1, true, threaded, worker);
  };
  std::memset(dw, 0, K * Co * sizeof(float));
  const int64_t T = threadCount();
  if (g.batch < T) {
    for (int64_t n = 0; n < g.batch; n++) image(n, dw, true, 0);
    return;
  }
  // A fixed split of the images into T parts, summed in order: the result does not depend on
  // which worker ran what. Part 0 accumulates into dw itself.
  float* parts = scratch(0, 3, static_cast<size_t>((T - 1) * K * Co));
  parallelFor(T, [&](int64_t t, int worker) {
    float* acc = t == 0 ? dw : parts + (t - 1) * K * Co;
    if (t != 0) std::memset(acc, 0, K * Co * sizeof(float));
    for (int64_t n = g.batch * t / T; n < g.batch * (t + 1) / T; n++) image(n, acc, false, worker);
  });
  for (int64_t t = 1; t < T; t++) {
    const float* part = parts + (t - 1) * K * Co;
    for (int64_t i = 0; i < K * Co; i++) dw[i] += part[i];
  }
}

}  // namespace co
