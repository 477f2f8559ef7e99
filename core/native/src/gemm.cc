// Packed single-precision GEMM: C (+)= A·B with arbitrary strides (so every transpose is free).
//
// Why our own: the products of conv and dense training (im2col·W, dyᵀ·cols, dy·Wᵀ, …) need all
// transpose combinations on two cores; XNNPACK in tfjs-backend-wasm runs one thread and only the
// plain product. How: the Goto/BLIS scheme — B is packed in KC×NR strips, A in MR×KC strips, and a
// register-blocked MR×NR microkernel (6×16 on AVX2+FMA: 12 accumulators, 2 loads and 6 broadcasts
// per k) runs over them and stores its tile straight into C (a full tile with unit column stride;
// edge tiles go through a small buffer). Details that matter at the small shapes of training:
// - K is cut into equal blocks of at most KC_MAX (k = 276 is one block, k = 300 two of 150, not
//   256 + 44), so no block is a short, overhead-dominated tail.
// - A with at most 128 columns (k) whose rows or columns are contiguous, and a transposed A of any
//   k (see unpackedA), is not packed: the microkernel reads it in place (one pointer, six row
//   offsets), which saves a copy that costs about as much as the product itself when B is narrow.
// - Threads split the rows of C into a multiple of the thread count of equal blocks; each packs
//   its own A blocks. When C's rows give fewer than two 6-row strips per thread and C has more
//   columns, A and B are swapped first (the same product transposed). When C is small (at most
//   4096 elements) and K long (≥ 256), the threads split K instead and their partial products
//   are added in a fixed order (deterministic): a pointwise layer's filter gradient, 8×16 over
//   k = N·H·W, is one round of work per thread instead of a round per K block.
// - Small problems run on the calling thread: waking a worker costs more than it saves.
#include <algorithm>
#include <cstring>
#include <vector>

#include "common.h"
#if CO_X86
#include <immintrin.h>
#endif

namespace co {
namespace {

constexpr int64_t MR = 6, NR = 16;
constexpr int64_t KC_MAX = 320, MC = 120, NC = 2048;
// A is used in place up to this many columns (k).
constexpr int64_t UNPACKED_A_MAX_K = 128;
// Below this many multiply-adds a "threaded" product runs on the calling thread.
constexpr int64_t MIN_THREADED_MACS = int64_t{1} << 16;

// How the microkernel reads A: element (r, p) of the MR×kc strip is a[r * ars + p * aks]. Packed
// strips have ars = 1, aks = MR; an unpacked row-major A has ars = its row stride, aks = 1.
struct AView {
  const float* a;
  int64_t ars, aks;
};

// Portable microkernel: the same 6×16 tile, written for the auto-vectoriser (SSE on x86-64).
// c (row stride rsC, unit column stride) receives the tile, added to it when `add`.
template <bool kPacked>
void microBase(int64_t kc, AView av, const float* b, float* c, int64_t rsC, bool add) {
  const int64_t ars = kPacked ? 1 : av.ars, aks = kPacked ? MR : av.aks;
  float acc[MR][NR] = {};
  const float* a = av.a;
  for (int64_t p = 0; p < kc; p++) {
    for (int64_t r = 0; r < MR; r++) {
      const float ar = a[r * ars];
      for (int64_t q = 0; q < NR; q++) acc[r][q] += ar * b[q];
    }
    a += aks;
    b += NR;
  }
  for (int64_t r = 0; r < MR; r++) {
    float* row = c + r * rsC;
    if (add) {
      for (int64_t q = 0; q < NR; q++) row[q] += acc[r][q];
    } else {
      for (int64_t q = 0; q < NR; q++) row[q] = acc[r][q];
    }
  }
}

#if CO_X86
template <bool kPacked>
CO_AVX2 void microAvx2(int64_t kc, AView av, const float* b, float* c, int64_t rsC, bool add) {
  const int64_t ars = kPacked ? 1 : av.ars, aks = kPacked ? MR : av.aks;
  // One pointer advanced per k, rows at fixed offsets (immediates when packed): six separately
  // advanced row pointers cost five more instructions per k, which the 12-FMA loop cannot hide.
  const float* ap = av.a;
  const int64_t o1 = ars, o2 = 2 * ars, o3 = 3 * ars, o4 = 4 * ars, o5 = 5 * ars;
  // The tile's rows of C (each 64 bytes, so up to two lines when unaligned) are fetched while the
  // k loop runs: with a short k and C not in cache, the stores at the end otherwise wait for
  // every line (measured: 30 vs 44 GFLOP/s at 196×276×25 into a fresh C).
  for (int64_t r = 0; r < MR; r++) {
    _mm_prefetch(reinterpret_cast<const char*>(c + r * rsC), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + r * rsC + NR - 1), _MM_HINT_T0);
  }
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int64_t p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    __m256 ar;
    ar = _mm256_broadcast_ss(ap); c00 = _mm256_fmadd_ps(ar, b0, c00); c01 = _mm256_fmadd_ps(ar, b1, c01);
    ar = _mm256_broadcast_ss(ap + o1); c10 = _mm256_fmadd_ps(ar, b0, c10); c11 = _mm256_fmadd_ps(ar, b1, c11);
    ar = _mm256_broadcast_ss(ap + o2); c20 = _mm256_fmadd_ps(ar, b0, c20); c21 = _mm256_fmadd_ps(ar, b1, c21);
    ar = _mm256_broadcast_ss(ap + o3); c30 = _mm256_fmadd_ps(ar, b0, c30); c31 = _mm256_fmadd_ps(ar, b1, c31);
    ar = _mm256_broadcast_ss(ap + o4); c40 = _mm256_fmadd_ps(ar, b0, c40); c41 = _mm256_fmadd_ps(ar, b1, c41);
    ar = _mm256_broadcast_ss(ap + o5); c50 = _mm256_fmadd_ps(ar, b0, c50); c51 = _mm256_fmadd_ps(ar, b1, c51);
    ap += aks;
    b += NR;
  }
  float* r0 = c;
  float* r1 = c + rsC;
  float* r2 = c + 2 * rsC;
  float* r3 = c + 3 * rsC;
  float* r4 = c + 4 * rsC;
  float* r5 = c + 5 * rsC;
  if (add) {
    c00 = _mm256_add_ps(_mm256_loadu_ps(r0), c00); c01 = _mm256_add_ps(_mm256_loadu_ps(r0 + 8), c01);
    c10 = _mm256_add_ps(_mm256_loadu_ps(r1), c10); c11 = _mm256_add_ps(_mm256_loadu_ps(r1 + 8), c11);
    c20 = _mm256_add_ps(_mm256_loadu_ps(r2), c20); c21 = _mm256_add_ps(_mm256_loadu_ps(r2 + 8), c21);
    c30 = _mm256_add_ps(_mm256_loadu_ps(r3), c30); c31 = _mm256_add_ps(_mm256_loadu_ps(r3 + 8), c31);
    c40 = _mm256_add_ps(_mm256_loadu_ps(r4), c40); c41 = _mm256_add_ps(_mm256_loadu_ps(r4 + 8), c41);
    c50 = _mm256_add_ps(_mm256_loadu_ps(r5), c50); c51 = _mm256_add_ps(_mm256_loadu_ps(r5 + 8), c51);
  }
  _mm256_storeu_ps(r0, c00); _mm256_storeu_ps(r0 + 8, c01);
  _mm256_storeu_ps(r1, c10); _mm256_storeu_ps(r1 + 8, c11);
  _mm256_storeu_ps(r2, c20); _mm256_storeu_ps(r2 + 8, c21);
  _mm256_storeu_ps(r3, c30); _mm256_storeu_ps(r3 + 8, c31);
  _mm256_storeu_ps(r4, c40); _mm256_storeu_ps(r4 + 8, c41);
  _mm256_storeu_ps(r5, c50); _mm256_storeu_ps(r5 + 8, c51);
}
#endif

using Micro = void (*)(int64_t, AView, const float*, float*, int64_t, bool);
struct Micros {
  Micro packed, unpacked;
};
Micros micros() {
#if CO_X86
  if (hasAvx2()) return {microAvx2<true>, microAvx2<false>};
#endif
  return {microBase<true>, microBase<false>};
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

// Rows [i .. i+h) (h ≤ MR) × [p0 .. p0+kc) of A as one MR-tall strip, zero-padded to MR rows.
void packAStrip(Mat a, int64_t i, int64_t h, int64_t p0, int64_t kc, float* dst) {
  if (a.rs == 1) {
    // Column-contiguous A (a transposed operand): each k gives MR consecutive floats.
    for (int64_t p = 0; p < kc; p++) {
      const float* src = a.p + i + (p0 + p) * a.cs;
      float* d = dst + p * MR;
      int64_t r = 0;
      for (; r < h; r++) d[r] = src[r];
      for (; r < MR; r++) d[r] = 0.f;
    }
    return;
  }
  for (int64_t r = 0; r < MR; r++) {
    if (r < h) {
      const float* src = a.p + (i + r) * a.rs + p0 * a.cs;
      for (int64_t p = 0; p < kc; p++) dst[p * MR + r] = src[p * a.cs];
    } else {
      for (int64_t p = 0; p < kc; p++) dst[p * MR + r] = 0.f;
    }
  }
}

// A[i0 .. i0+mc) × [p0 .. p0+kc) into MR-tall strips.
void packA(Mat a, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float* out) {
  for (int64_t s = 0; s * MR < mc; s++) {
    const int64_t i = i0 + s * MR;
    packAStrip(a, i, std::min(MR, i0 + mc - i), p0, kc, out + s * kc * MR);
  }
}

// Whether A is read in place: short rows (k ≤ 128) that are contiguous one way or the other, or a
// transposed A (six consecutive floats per k: the patches or activations of a filter gradient),
// unless its column stride is a multiple of 1 KiB (256 floats): consecutive k then fall into the
// same few L1 sets, and the packed copy wins. Measured on the filter gradients' shapes (harness,
// GFLOP/CPU-s): 288×32 over k = 576 (mnist-node conv2, per image) 69 → 102, 32×32 over k = 2,048
// 51 → 67, 276×276 over k = 3,136 80 → 85; 1024×64 over k = 4,096 with stride 1,024 64 → 61 (so
// packed).
bool unpackedA(Mat a, int64_t k) {
  if (k <= UNPACKED_A_MAX_K && (a.cs == 1 || a.rs == 1)) return true;
  return a.rs == 1 && (a.cs <= 64 || a.cs % 256 != 0);
}

// One block of C: rows [ic, ic+mc), the nc columns of the packed B panel pb (kc deep). A is
// packed into pa (MR·kc per strip) unless it is read in place; then only a partial last row strip
// is packed, into `edge` (MR·kc floats). Loop order as BLIS: each B strip (kc×NR, in L1) meets
// every A strip of the block (in L2).
void block(const Micros& mk, Mat a, bool inPlace, int64_t ic, int64_t mc, int64_t pc, int64_t nc, int64_t kc,
           const float* pb, float* pa, float* edge, float* c, int64_t rsC, int64_t csC, bool add) {
  if (!inPlace) {
    packA(a, ic, mc, pc, kc, pa);
  } else if (mc % MR != 0) {
    packAStrip(a, ic + mc / MR * MR, mc % MR, pc, kc, edge);
  }
  alignas(64) float tile[MR * NR];
  for (int64_t jr = 0; jr < nc; jr += NR) {
    const int64_t w = std::min(NR, nc - jr);
    const float* bs = pb + (jr / NR) * kc * NR;
    for (int64_t ir = 0; ir < mc; ir += MR) {
      const int64_t h = std::min(MR, mc - ir);
      Micro f = mk.packed;
      AView av{nullptr, 1, MR};
      if (!inPlace) {
        av.a = pa + (ir / MR) * kc * MR;
      } else if (h < MR) {
        av.a = edge;
      } else {
        f = mk.unpacked;
        av = a.cs == 1 ? AView{a.p + (ic + ir) * a.rs + pc, a.rs, 1} : AView{a.p + (ic + ir) + pc * a.cs, 1, a.cs};
      }
      float* cc = c + (ic + ir) * rsC + jr * csC;
      if (h == MR && w == NR && csC == 1) {
        f(kc, av, bs, cc, rsC, add);
        continue;
      }
      f(kc, av, bs, tile, NR, false);
      for (int64_t r = 0; r < h; r++) {
        for (int64_t q = 0; q < w; q++) {
          float& dst = cc[r * rsC + q * csC];
          dst = add ? dst + tile[r * NR + q] : tile[r * NR + q];
        }
      }
    }
  }
}

// Fraction of the microkernel's multiply-adds that land in C (the rest is zero padding) when C's
// rows are the m side.
double tileUse(int64_t m, int64_t n) {
  return static_cast<double>(m * n) / static_cast<double>(((m + MR - 1) / MR * MR) * ((n + NR - 1) / NR * NR));
}

// C (+)= A·B on the calling thread or split by rows of C over the pool.
void sgemmRows(int64_t m, int64_t n, int64_t k, Mat a, Mat b, float* c, int64_t rsC, int64_t csC, bool accumulate,
               int threads, int worker) {
  const Micros mk = micros();
  const bool inPlace = unpackedA(a, k);
  const int64_t kBlocks = (k + KC_MAX - 1) / KC_MAX;
  const int64_t kcMax = (k + kBlocks - 1) / kBlocks;
  for (int64_t jc = 0; jc < n; jc += NC) {
    const int64_t nc = std::min(NC, n - jc);
    const int64_t strips = (nc + NR - 1) / NR;
    for (int64_t kb = 0; kb < kBlocks; kb++) {
      const int64_t pc = k * kb / kBlocks, kc = k * (kb + 1) / kBlocks - pc;
      const bool add = accumulate || kb > 0;
      // B's packed panel lives in the calling worker's slot 0; A blocks in each worker's slot 1.
      float* pb = scratch(worker, 0, static_cast<size_t>(strips * NR * kcMax));
      if (threads > 1) {
        // Packing B is worth splitting only when the panel is large.
        if (strips >= 2 * threads && strips * kc * NR >= (int64_t{1} << 15)) {
          const int64_t per = (strips + threads - 1) / threads;
          parallelFor(threads, [&](int64_t t, int) {
            packB(b, pc, kc, jc, nc, pb, std::min(strips, t * per), std::min(strips, (t + 1) * per));
          });
        } else {
          packB(b, pc, kc, jc, nc, pb, 0, strips);
        }
        // A multiple of `threads` row blocks of at most MC rows each, as equal as MR allows (276 rows
        // on 2 threads: 4 × 69 → 72, 72, 72, 60, not 120, 120, 36).
        const int64_t perThread = (m + MC * threads - 1) / (MC * threads);
        const int64_t mc = std::min(MC, ((m + perThread * threads - 1) / (perThread * threads) + MR - 1) / MR * MR);
        const int64_t blocks = (m + mc - 1) / mc;
        parallelFor(blocks, [&](int64_t ib, int w) {
          const int64_t ic = ib * mc;
          const int64_t h = std::min(mc, m - ic);
          float* pa = scratch(w, 1, static_cast<size_t>((mc / MR + 1) * MR * kcMax));
          block(mk, a, inPlace, ic, h, pc, nc, kc, pb, pa, pa + (mc / MR) * MR * kcMax, c + jc * csC, rsC, csC, add);
        });
      } else {
        packB(b, pc, kc, jc, nc, pb, 0, strips);
        const int64_t mc = std::min(MC, (m + MR - 1) / MR * MR);
        float* pa = scratch(worker, 1, static_cast<size_t>((mc / MR + 1) * MR * kcMax));
        for (int64_t ic = 0; ic < m; ic += MC) {
          block(mk, a, inPlace, ic, std::min(MC, m - ic), pc, nc, kc, pb, pa, pa + (mc / MR) * MR * kcMax,
                c + jc * csC, rsC, csC, add);
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
  const int threads = threaded && m * n * k >= MIN_THREADED_MACS ? threadCount() : 1;
  if (threads <= 1) {
    sgemmRows(m, n, k, a, b, c, rsC, csC, accumulate, 1, worker);
    return;
  }
  // A small C over a long K: the threads split K (one round of work each, instead of a round per
  // K block on a C too small to keep both busy), each in the orientation that wastes less of the
  // 6×16 tile. Part 0 goes into C itself, the others into partials then added in part order.
  if (m * n <= 4096 && k >= 256) {
    if (tileUse(n, m) > tileUse(m, n)) {
      std::swap(m, n);
      Mat at{b.p, b.cs, b.rs}, bt{a.p, a.cs, a.rs};
      a = at;
      b = bt;
      std::swap(rsC, csC);
    }
    // (thread_local: one per calling thread; the tasks use this thread's through `parts`.)
    static thread_local std::vector<float> partials;
    partials.assign(static_cast<size_t>((threads - 1) * m * n), 0.f);
    float* parts = partials.data();
    parallelFor(threads, [&](int64_t t, int w) {
      const int64_t p0 = k * t / threads, p1 = k * (t + 1) / threads;
      Mat at{a.p + p0 * a.cs, a.rs, a.cs}, bt{b.p + p0 * b.rs, b.rs, b.cs};
      if (t == 0) {
        sgemmRows(m, n, p1 - p0, at, bt, c, rsC, csC, accumulate, 1, w);
      } else {
        sgemmRows(m, n, p1 - p0, at, bt, parts + (t - 1) * m * n, n, 1, false, 1, w);
      }
    });
    for (int64_t t = 1; t < threads; t++) {
      const float* part = parts + (t - 1) * m * n;
      for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) c[i * rsC + j * csC] += part[i * n + j];
    }
    return;
  }
  // Rows of C are what threads split and what A blocks cover. When they are too few for two row
  // strips per thread, make them the long side (Cᵀ = Bᵀ·Aᵀ); otherwise keep C's orientation, so a
  // row-major C takes the microkernel's direct stores (the dense layer's 32×512 over k = 1024:
  // 49–54 → 59–72 GFLOP/CPU-s against swapping whenever n > m).
  if (n > m && (m + MR - 1) / MR < 2 * threads) {
    std::swap(m, n);
    Mat at{b.p, b.cs, b.rs}, bt{a.p, a.cs, a.rs};
    a = at;
    b = bt;
    std::swap(rsC, csC);
  }
  sgemmRows(m, n, k, a, b, c, rsC, csC, accumulate, threads, worker);
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
