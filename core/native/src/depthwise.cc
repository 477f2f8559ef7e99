// DepthwiseConv2dNative and both of its gradients (NHWC), vectorised over channels.
//
// Shapes: x [N, H, W, C], w [fH, fW, C, M], y/dy [N, oH, oW, C·M] with y[.., c·M + m] =
// Σ x[.., c]·w[kh, kw, c, m]. Each kernel walks output (or input) rows, and for every window tap
// runs a contiguous loop over the channels, which the compiler turns into 8-wide FMAs (AVX2) or
// 4-wide SSE. The forward pass and the input gradient write disjoint rows per task; the filter
// gradient sums per-part partials in a fixed order, so results do not depend on scheduling.
#include <algorithm>
#include <cstring>

#include "common.h"

namespace co {
namespace {

// acc[c·M + m] += src[c] · wt[c·M + m] over C channels.
CO_INLINE void tapForward(int64_t C, int64_t M, const float* __restrict src, const float* __restrict wt,
                          float* __restrict acc) {
  if (M == 1) {
    for (int64_t c = 0; c < C; c++) acc[c] += src[c] * wt[c];
  } else {
    for (int64_t c = 0; c < C; c++)
      for (int64_t m = 0; m < M; m++) acc[c * M + m] += src[c] * wt[c * M + m];
  }
}

CO_INLINE void forwardRowBody(const ConvGeom& g, int64_t M, const float* x, const float* w, float* y, int64_t row) {
  const int64_t n = row / g.outH, oy = row % g.outH, C = g.inC, CM = C * M;
  const float* xn = x + n * g.inH * g.inW * C;
  float* yr = y + row * g.outW * CM;
  for (int64_t ox = 0; ox < g.outW; ox++) {
    float* __restrict acc = yr + ox * CM;
    std::memset(acc, 0, CM * sizeof(float));
    for (int64_t kh = 0; kh < g.fH; kh++) {
      const int64_t iy = oy * g.strideH - g.padTop + kh * g.dilH;
      if (iy < 0 || iy >= g.inH) continue;
      for (int64_t kw = 0; kw < g.fW; kw++) {
        const int64_t ix = ox * g.strideW - g.padLeft + kw * g.dilW;
        if (ix < 0 || ix >= g.inW) continue;
        tapForward(C, M, xn + (iy * g.inW + ix) * C, w + (kh * g.fW + kw) * CM, acc);
      }
    }
  }
}
CO_MULTIVERSION(void, forwardRow, (const ConvGeom& g, int64_t M, const float* x, const float* w, float* y, int64_t row),
                (g, M, x, w, y, row))

// dx row (n, iy): gathers, for each input pixel, the output pixels whose window tap lands on it.
CO_INLINE void inputRowBody(const ConvGeom& g, int64_t M, const float* dy, const float* w, float* dx, int64_t row) {
  const int64_t n = row / g.inH, iy = row % g.inH, C = g.inC, CM = C * M;
  const float* dyn = dy + n * g.outH * g.outW * CM;
  float* dxr = dx + row * g.inW * C;
  for (int64_t ix = 0; ix < g.inW; ix++) {
    float* __restrict acc = dxr + ix * C;
    std::memset(acc, 0, C * sizeof(float));
    for (int64_t kh = 0; kh < g.fH; kh++) {
      const int64_t ty = iy + g.padTop - kh * g.dilH;
      if (ty < 0 || ty % g.strideH != 0) continue;
      const int64_t oy = ty / g.strideH;
      if (oy >= g.outH) continue;
      for (int64_t kw = 0; kw < g.fW; kw++) {
        const int64_t tx = ix + g.padLeft - kw * g.dilW;
        if (tx < 0 || tx % g.strideW != 0) continue;
        const int64_t ox = tx / g.strideW;
        if (ox >= g.outW) continue;
        const float* __restrict d = dyn + (oy * g.outW + ox) * CM;
        const float* __restrict wt = w + (kh * g.fW + kw) * CM;
        if (M == 1) {
          for (int64_t c = 0; c < C; c++) acc[c] += d[c] * wt[c];
        } else {
          for (int64_t c = 0; c < C; c++) {
            float s = 0.f;
            for (int64_t m = 0; m < M; m++) s += d[c * M + m] * wt[c * M + m];
            acc[c] += s;
          }
        }
      }
    }
  }
}
CO_MULTIVERSION(void, inputRow, (const ConvGeom& g, int64_t M, const float* dy, const float* w, float* dx, int64_t row),
                (g, M, dy, w, dx, row))

// dw partial += the taps of output rows [row0, row1).
CO_INLINE void filterRowsBody(const ConvGeom& g, int64_t M, const float* x, const float* dy, float* dw, int64_t row0,
                              int64_t row1) {
  const int64_t C = g.inC, CM = C * M;
  for (int64_t row = row0; row < row1; row++) {
    const int64_t n = row / g.outH, oy = row % g.outH;
    const float* xn = x + n * g.inH * g.inW * C;
    const float* dyr = dy + row * g.outW * CM;
    for (int64_t kh = 0; kh < g.fH; kh++) {
      const int64_t iy = oy * g.strideH - g.padTop + kh * g.dilH;
      if (iy < 0 || iy >= g.inH) continue;
      for (int64_t kw = 0; kw < g.fW; kw++) {
        float* __restrict acc = dw + (kh * g.fW + kw) * CM;
        for (int64_t ox = 0; ox < g.outW; ox++) {
          const int64_t ix = ox * g.strideW - g.padLeft + kw * g.dilW;
          if (ix < 0 || ix >= g.inW) continue;
          tapForward(C, M, xn + (iy * g.inW + ix) * C, dyr + ox * CM, acc);
        }
      }
    }
  }
}
CO_MULTIVERSION(void, filterRows,
                (const ConvGeom& g, int64_t M, const float* x, const float* dy, float* dw, int64_t row0, int64_t row1),
                (g, M, x, dy, dw, row0, row1))

}  // namespace

void depthwiseConv2d(const ConvGeom& g, int64_t M, const float* x, const float* w, float* y) {
  const auto f = forwardRow();
  parallelFor(g.batch * g.outH, [&](int64_t row, int) { f(g, M, x, w, y, row); });
}

void depthwiseBackpropInput(const ConvGeom& g, int64_t M, const float* dy, const float* w, float* dx) {
  const auto f = inputRow();
  parallelFor(g.batch * g.inH, [&](int64_t row, int) { f(g, M, dy, w, dx, row); });
}

void depthwiseBackpropFilter(const ConvGeom& g, int64_t M, const float* x, const float* dy, float* dw) {
  const auto f = filterRows();
  const int64_t size = g.fH * g.fW * g.inC * M, rows = g.batch * g.outH;
  const int64_t T = std::min<int64_t>(threadCount(), rows);
  std::memset(dw, 0, size * sizeof(float));
  if (T <= 1) {
    f(g, M, x, dy, dw, 0, rows);
    return;
  }
  float* parts = scratch(0, 3, static_cast<size_t>((T - 1) * size));
  parallelFor(T, [&](int64_t t, int) {
    float* acc = t == 0 ? dw : parts + (t - 1) * size;
    if (t != 0) std::memset(acc, 0, size * sizeof(float));
    f(g, M, x, dy, acc, rows * t / T, rows * (t + 1) / T);
  });
  for (int64_t t = 1; t < T; t++) {
    const float* part = parts + (t - 1) * size;
    for (int64_t i = 0; i < size; i++) dw[i] += part[i];
  }
}

}  // namespace co
