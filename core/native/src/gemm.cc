// Packed single-precision GEMM: C (+)= A·B with arbitrary strides (so every transpose is free).
//
// Why our own: the products of conv and dense training (im2col·W, dyᵀ·cols, dy·Wᵀ, …) need all
// transpose combinations on two cores; XNNPACK in tfjs-backend-wasm runs one thread and only the
// plain product. How: the Goto/BLIS scheme — B is packed in KC×NR strips, A in MR×KC strips, and a
// register-blocked MR×NR microkernel (6×16 on AVX2+FMA: 12 accumulators, 2 loads and 6 broadcasts
// per k) runs over them. Threads split the rows of C (after swapping A and B when C has fewer rows
// than columns, which is the same product transposed); each packs its own A blocks.
#include <algorithm>
#include <cstring>

#include "common.h"
#if CO_X86
#include <immintrin.h>
#endif

namespace co {
namespace {

constexpr int64_t MR = 6, NR = 16;
constexpr int64_t KC = 256, MC = 120, NC = 2048;

// Portable microkernel: the same 6×16 tile, written for the auto-vectoriser (SSE on x86-64).
void microBase(int64_t kc, const float* a, const float* b, float* tile) {
  float acc[MR][NR] = {};
  for (int64_t p = 0; p < kc; p++) {
    for (int64_t r = 0; r < MR; r++) {
      const float ar = a[r];
      for (int64_t c = 0; c < NR; c++) acc[r][c] += ar * b[c];
    }
    a += MR;
    b += NR;
  }
  std::memcpy(tile, acc, sizeof(acc));
}

#if CO_X86
CO_AVX2 void microAvx2(int64_t kc, const float* a, const float* b, float* tile) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int64_t p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    __m256 ar;
    ar = _mm256_broadcast_ss(a + 0); c00 = _mm256_fmadd_ps(ar, b0, c00); c01 = _mm256_fmadd_ps(ar, b1, c01);
    ar = _mm256_broadcast_ss(a + 1); c10 = _mm256_fmadd_ps(ar, b0, c10); c11 = _mm256_fmadd_ps(ar, b1, c11);
    ar = _mm256_broadcast_ss(a + 2); c20 = _mm256_fmadd_ps(ar, b0, c20); c21 = _mm256_fmadd_ps(ar, b1, c21);
    ar = _mm256_broadcast_ss(a + 3); c30 = _mm256_fmadd_ps(ar, b0, c30); c31 = _mm256_fmadd_ps(ar, b1, c31);
    ar = _mm256_broadcast_ss(a + 4); c40 = _mm256_fmadd_ps(ar, b0, c40); c41 = _mm256_fmadd_ps(ar, b1, c41);
    ar = _mm256_broadcast_ss(a + 5); c50 = _mm256_fmadd_ps(ar, b0, c50); c51 = _mm256_fmadd_ps(ar, b1, c51);
    a += MR;
    b += NR;
  }
  _mm256_storeu_ps(tile + 0, c00); _mm256_storeu_ps(tile + 8, c01);
  _mm256_storeu_ps(tile + 16, c10); _mm256_storeu_ps(tile + 24, c11);
  _mm256_storeu_ps(tile + 32, c20); _mm256_storeu_ps(tile + 40, c21);
  _mm256_storeu_ps(tile + 48, c30); _mm256_storeu_ps(tile + 56, c31);
  _mm256_storeu_ps(tile + 64, c40); _mm256_storeu_ps(tile + 72, c41);
  _mm256_storeu_ps(tile + 80, c50); _mm256_storeu_ps(tile + 88, c51);
}
#endif

using Micro = void (*)(int64_t, const float*, const float*, float*);
Micro micro() {
#if CO_X86
  if (hasAvx2()) return microAvx2;
#endif
  return microBase;
}

// B[p0 .. p0+kc) × [j0 .. j0+nc) into NR-wide strips, zero-padded to a multiple of NR columns.
void packB(Mat b, int64_t p0, int64_t kc, int64_t j0, int64_t nc, float* out, int64_t strip0, int64_t strip1) {
  for (int64_t s = strip0; s < strip1; s++) {
    float* dst = out + s * kc * NR;
    const int64_t j = j0 + s * NR;
    const int64_t w = std::min(NR, j0 + nc - j);
    for (int64_t p = 0; p < kc; p++) {
      const float* src = b.p + (p0 + p) * b.rs + j * b.cs;
      float* d = dst + p * NR;
      if (b.cs == 1 && w == NR) {
        std::memcpy(d, src, NR * sizeof(float));
      } else {
        int64_t c = 0;
        for (; c < w; c++) d[c] = src[c * b.cs];
        for (; c < NR; c++) d[c] = 0.f;
      }
    }
  }
}

// A[i0 .. i0+mc) × [p0 .. p0+kc) into MR-tall strips, zero-padded to a multiple of MR rows.
void packA(Mat a, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float* out) {
  for (int64_t s = 0; s * MR < mc; s++) {
    float* dst = out + s * kc * MR;
    const int64_t i = i0 + s * MR;
    const int64_t h = std::min(MR, i0 + mc - i);
    if (a.rs == 1) {
      // Column-contiguous A (a transposed operand): each k gives MR consecutive floats.
      for (int64_t p = 0; p < kc; p++) {
        const float* src = a.p + i + (p0 + p) * a.cs;
        float* d = dst + p * MR;
        int64_t r = 0;
        for (; r < h; r++) d[r] = src[r];
        for (; r < MR; r++) d[r] = 0.f;
      }
    } else {
      for (int64_t r = 0; r < MR; r++) {
        if (r < h) {
          const float* src = a.p + (i + r) * a.rs + p0 * a.cs;
          for (int64_t p = 0; p < kc; p++) dst[p * MR + r] = src[p * a.cs];
        } else {
          for (int64_t p = 0; p < kc; p++) dst[p * MR + r] = 0.f;
        }
      }
    }
  }
}

// One MC×NC block of C from packed A (mc×kc) and packed B (kc×nc).
void macro(Micro mk, int64_t mc, int64_t nc, int64_t kc, const float* pa, const float* pb, float* c, int64_t rsC,
           int64_t csC, bool add) {
  alignas(64) float tile[MR * NR];
  for (int64_t jr = 0; jr < nc; jr += NR) {
    const int64_t w = std::min(NR, nc - jr);
    const float* bs = pb + (jr / NR) * kc * NR;
    for (int64_t ir = 0; ir < mc; ir += MR) {
      const int64_t h = std::min(MR, mc - ir);
      mk(kc, pa + (ir / MR) * kc * MR, bs, tile);
      float* cc = c + ir * rsC + jr * csC;
      if (csC == 1) {
        for (int64_t r = 0; r < h; r++) {
          float* row = cc + r * rsC;
          const float* t = tile + r * NR;
          if (add) {
            for (int64_t q = 0; q < w; q++) row[q] += t[q];
          } else {
            for (int64_t q = 0; q < w; q++) row[q] = t[q];
          }
        }
      } else {
        for (int64_t r = 0; r < h; r++) {
          for (int64_t q = 0; q < w; q++) {
            float& dst = cc[r * rsC + q * csC];
            dst = add ? dst + tile[r * NR + q] : tile[r * NR + q];
          }
        }
      }
    }
  }
}

}  // namespace

void sgemm(int64_t m, int64_t n, int64_t k, Mat a, Mat b, float* c, int64_t rsC, int64_t csC, bool accumulate,
           bool threaded, int worker) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) c[i * rsC + j * csC] = 0.f;
    return;
  }
  // Rows of C are what threads split and what A blocks cover: make them the long side. Cᵀ = Bᵀ·Aᵀ.
  if (threaded && n > m) {
    std::swap(m, n);
    Mat at{b.p, b.cs, b.rs}, bt{a.p, a.cs, a.rs};
    a = at;
    b = bt;
    std::swap(rsC, csC);
  }
  const Micro mk = micro();
  const int threads = threaded ? threadCount() : 1;
  for (int64_t jc = 0; jc < n; jc += NC) {
    const int64_t nc = std::min(NC, n - jc);
    const int64_t strips = (nc + NR - 1) / NR;
    for (int64_t pc = 0; pc < k; pc += KC) {
      const int64_t kc = std::min(KC, k - pc);
      const bool add = accumulate || pc > 0;
      // B's packed panel lives in the calling worker's slot 0; A blocks in each worker's slot 1.
      float* pb = scratch(worker, 0, static_cast<size_t>(strips * NR * kc));
      if (threads > 1) {
        const int64_t per = (strips + threads - 1) / threads;
        parallelFor(threads, [&](int64_t t, int) {
          packB(b, pc, kc, jc, nc, pb, std::min(strips, t * per), std::min(strips, (t + 1) * per));
        });
        // Enough row blocks for every thread, each at most MC rows.
        int64_t mc = std::min(MC, ((m + threads - 1) / threads + MR - 1) / MR * MR);
        const int64_t blocks = (m + mc - 1) / mc;
        parallelFor(blocks, [&](int64_t ib, int w) {
          const int64_t ic = ib * mc;
          const int64_t h = std::min(mc, m - ic);
          float* pa = scratch(w, 1, static_cast<size_t>(((h + MR - 1) / MR) * MR * kc));
          packA(a, ic, h, pc, kc, pa);
          macro(mk, h, nc, kc, pa, pb, c + ic * rsC + jc * csC, rsC, csC, add);
        });
      } else {
        packB(b, pc, kc, jc, nc, pb, 0, strips);
        float* pa = scratch(worker, 1, static_cast<size_t>(((std::min(MC, m) + MR - 1) / MR) * MR * kc));
        for (int64_t ic = 0; ic < m; ic += MC) {
          const int64_t h = std::min(MC, m - ic);
          packA(a, ic, h, pc, kc, pa);
          macro(mk, h, nc, kc, pa, pb, c + ic * rsC + jc * csC, rsC, csC, add);
        }
      }
    }
  }
}

void batchMatMul(int64_t batchA, int64_t batchB, int64_t m, int64_t n, int64_t k, bool transA, bool transB,
                 const float* a, const float* b, float* c) {
  const int64_t batch = std::max(batchA, batchB);
  const Mat a0 = transA ? Mat{a, 1, m} : Mat{a, k, 1};
  const Mat b0 = transB ? Mat{b, 1, k} : Mat{b, n, 1};
  auto one = [&](int64_t i, bool threaded, int worker) {
    Mat ai = a0, bi = b0;
    ai.p = a + (batchA == 1 ? 0 : i) * m * k;
    bi.p = b + (batchB == 1 ? 0 : i) * k * n;
    sgemm(m, n, k, ai, bi, c + i * m * n, n, 1, false, threaded, worker);
  };
  // Many small products: one per task. Few large ones: each split over the pool.
  if (batch >= threadCount() && m * n * k < (int64_t{1} << 22)) {
    parallelFor(batch, [&](int64_t i, int w) { one(i, false, w); });
  } else {
    for (int64_t i = 0; i < batch; i++) one(i, true, 0);
  }
}

}  // namespace co
