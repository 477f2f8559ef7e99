// MaxPool and MaxPoolGrad (NHWC), channel-vectorised.
//
// MaxPoolGrad follows tfjs's definition: each output's gradient goes to the first maximum of its
// window in row-major window order (strictly greater replaces), accumulated where windows overlap.
#include <cmath>
#include <cstring>
#include <limits>

#include "common.h"

namespace co {
namespace {

CO_INLINE void maxRowBody(const ConvGeom& g, const float* x, float* y, int64_t row) {
  const int64_t n = row / g.outH, oy = row % g.outH, C = g.inC;
  const float* xn = x + n * g.inH * g.inW * C;
  float* yr = y + row * g.outW * C;
  for (int64_t ox = 0; ox < g.outW; ox++) {
    float* __restrict acc = yr + ox * C;
    for (int64_t c = 0; c < C; c++) acc[c] = -std::numeric_limits<float>::infinity();
    for (int64_t kh = 0; kh < g.fH; kh++) {
      const int64_t iy = oy * g.strideH - g.padTop + kh * g.dilH;
      if (iy < 0 || iy >= g.inH) continue;
      for (int64_t kw = 0; kw < g.fW; kw++) {
        const int64_t ix = ox * g.strideW - g.padLeft + kw * g.dilW;
        if (ix < 0 || ix >= g.inW) continue;
        const float* __restrict src = xn + (iy * g.inW + ix) * C;
        for (int64_t c = 0; c < C; c++) acc[c] = src[c] > acc[c] ? src[c] : acc[c];
      }
    }
  }
}
CO_MULTIVERSION(void, maxRow, (const ConvGeom& g, const float* x, float* y, int64_t row), (g, x, y, row))

// One image: dx zeroed, then every output's dy added at its window's first maximum.
void maxGradImage(const ConvGeom& g, const float* dy, const float* x, float* dx, int64_t n) {
  const int64_t C = g.inC;
  const float* xn = x + n * g.inH * g.inW * C;
  const float* dyn = dy + n * g.outH * g.outW * C;
  float* dxn = dx + n * g.inH * g.inW * C;
  std::memset(dxn, 0, g.inH * g.inW * C * sizeof(float));
  for (int64_t oy = 0; oy < g.outH; oy++) {
    for (int64_t ox = 0; ox < g.outW; ox++) {
      for (int64_t c = 0; c < C; c++) {
        float best = -std::numeric_limits<float>::infinity();
        int64_t at = -1;
        for (int64_t kh = 0; kh < g.fH; kh++) {
          const int64_t iy = oy * g.strideH - g.padTop + kh * g.dilH;
          if (iy < 0 || iy >= g.inH) continue;
          for (int64_t kw = 0; kw < g.fW; kw++) {
            const int64_t ix = ox * g.strideW - g.padLeft + kw * g.dilW;
            if (ix < 0 || ix >= g.inW) continue;
            const float v = xn[(iy * g.inW + ix) * C + c];
            if (v > best || at < 0) {
              best = v;
              at = (iy * g.inW + ix) * C + c;
            }
          }
        }
        if (at >= 0) dxn[at] += dyn[(oy * g.outW + ox) * C + c];
      }
    }
  }
}

}  // namespace

void maxPool(const ConvGeom& g, const float* x, float* y) {
  const auto f = maxRow();
  parallelFor(g.batch * g.outH, [&](int64_t row, int) { f(g, x, y, row); });
}

void maxPoolGrad(const ConvGeom& g, const float* dy, const float* x, float* dx) {
  parallelFor(g.batch, [&](int64_t n, int) { maxGradImage(g, dy, x, dx, n); });
}

}  // namespace co
