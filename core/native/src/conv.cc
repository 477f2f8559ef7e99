// Conv2D, its input gradient and its filter gradient as GEMMs over im2col patches (NHWC).
//
// Shapes: x [N, H, W, Ci], w [fH, fW, Ci, Co], y/dy [N, oH, oW, Co]. Per image, the patch
// matrix P [oH·oW, fH·fW·Ci] (zero where the window leaves the padded input) gives
//   y = P·w,  dP = dy·wᵀ (scattered back into dx, "col2im"),  dw = Σₙ Pᵀ·dy.
// 1×1 stride-1 unpadded convolutions skip the patch matrix (P is x). Images are split over the
// pool, each worker with its own patch buffer; the filter gradient sums per-worker partials.
// When there are fewer images than workers, each image's GEMM is split instead.
#include <algorithm>
#include <cstring>
#include <vector>

#include "common.h"

namespace co {
namespace {

int64_t patchCols(const ConvGeom& g) { return g.fH * g.fW * g.inC; }

bool isPointwise(const ConvGeom& g) {
  return g.fH == 1 && g.fW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 &&
         g.outH == g.inH && g.outW == g.inW;
}

// Patch matrix of one image: row (oy, ox), columns (kh, kw, ci).
void im2col(const ConvGeom& g, const float* x, float* cols) {
  const int64_t K = patchCols(g), C = g.inC;
  for (int64_t oy = 0; oy < g.outH; oy++) {
    for (int64_t ox = 0; ox < g.outW; ox++) {
      float* row = cols + (oy * g.outW + ox) * K;
      for (int64_t kh = 0; kh < g.fH; kh++) {
        const int64_t iy = oy * g.strideH - g.padTop + kh * g.dilH;
        for (int64_t kw = 0; kw < g.fW; kw++) {
          const int64_t ix = ox * g.strideW - g.padLeft + kw * g.dilW;
          float* dst = row + (kh * g.fW + kw) * C;
          if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) {
            std::memset(dst, 0, C * sizeof(float));
          } else {
            std::memcpy(dst, x + (iy * g.inW + ix) * C, C * sizeof(float));
          }
        }
      }
    }
  }
}

// dx (one image, already zeroed) += the patch gradients scattered back to their pixels.
CO_INLINE void col2imBody(const ConvGeom& g, const float* cols, float* dx) {
  const int64_t K = patchCols(g), C = g.inC;
  for (int64_t oy = 0; oy < g.outH; oy++) {
    for (int64_t ox = 0; ox < g.outW; ox++) {
      const float* row = cols + (oy * g.outW + ox) * K;
      for (int64_t kh = 0; kh < g.fH; kh++) {
        const int64_t iy = oy * g.strideH - g.padTop + kh * g.dilH;
        if (iy < 0 || iy >= g.inH) continue;
        for (int64_t kw = 0; kw < g.fW; kw++) {
          const int64_t ix = ox * g.strideW - g.padLeft + kw * g.dilW;
          if (ix < 0 || ix >= g.inW) continue;
          const float* __restrict src = row + (kh * g.fW + kw) * C;
          float* __restrict dst = dx + (iy * g.inW + ix) * C;
          for (int64_t c = 0; c < C; c++) dst[c] += src[c];
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
  const bool pointwise = isPointwise(g);
  const auto ep = epilogue();
  forEachImage(g.batch, [&](int64_t n, bool threaded, int worker) {
    const float* xn = x + n * g.inH * g.inW * g.inC;
    float* yn = y + n * P * g.outC;
    const float* a = xn;
    if (!pointwise) {
      float* cols = scratch(worker, 2, static_cast<size_t>(P * K));
      im2col(g, xn, cols);
      a = cols;
    }
    sgemm(P, g.outC, K, Mat{a, K, 1}, Mat{w, g.outC, 1}, yn, g.outC, 1, false, threaded, worker);
    if (bias != nullptr || activation != 0) ep(P, g.outC, bias, activation, yn);
  });
}

void conv2dBackpropInput(const ConvGeom& g, const float* dy, const float* w, float* dx) {
  const int64_t P = g.outH * g.outW, K = patchCols(g);
  const bool pointwise = isPointwise(g);
  const auto c2i = col2im();
  forEachImage(g.batch, [&](int64_t n, bool threaded, int worker) {
    const float* dyn = dy + n * P * g.outC;
    float* dxn = dx + n * g.inH * g.inW * g.inC;
    // wᵀ as a view: element (co, k) of wᵀ is w[k·Co + co].
    const Mat wt{w, 1, g.outC};
    if (pointwise) {
      sgemm(P, K, g.outC, Mat{dyn, g.outC, 1}, wt, dxn, K, 1, false, threaded, worker);
      return;
    }
    float* cols = scratch(worker, 2, static_cast<size_t>(P * K));
    sgemm(P, K, g.outC, Mat{dyn, g.outC, 1}, wt, cols, K, 1, false, threaded, worker);
    std::memset(dxn, 0, g.inH * g.inW * g.inC * sizeof(float));
    c2i(g, cols, dxn);
  });
}

void conv2dBackpropFilter(const ConvGeom& g, const float* x, const float* dy, float* dw) {
  const int64_t P = g.outH * g.outW, K = patchCols(g), Co = g.outC;
  const bool pointwise = isPointwise(g);
  // dw (K×Co) += Pᵀ (K×P) · dy (P×Co); Pᵀ as a view of the row-major patch matrix.
  auto image = [&](int64_t n, float* acc, bool threaded, int worker) {
    const float* xn = x + n * g.inH * g.inW * g.inC;
    const float* a = xn;
    if (!pointwise) {
      float* cols = scratch(worker, 2, static_cast<size_t>(P * K));
      im2col(g, xn, cols);
      a = cols;
    }
    sgemm(K, Co, P, Mat{a, 1, K}, Mat{dy + n * P * Co, Co, 1}, acc, Co, 1, true, threaded, worker);
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
