// The cluster plugin's per-step projection in one call: centroids follow the members' steps, then
// every weight goes to its nearest centroid and takes its value.
//
// Why: in JavaScript this was a read-back of every clustered kernel, an O(n log k) assignment, two
// O(n) passes and an upload, ~36 ms of an 84 ms mnist step on the native path. The result must be
// bit-identical to the plugin's JavaScript (plugins/src/clustering/clusterProjection.ts): sums in
// float64 per slot in increasing element order, the same float64 midpoints and tie rules as
// CentroidBoundaries, and the same first error. No FMA contraction.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "common.h"

namespace co {
namespace {

/** One channel's nearest-centroid rule, as CentroidBoundaries builds it. */
struct Boundaries {
  std::vector<double> thresholds;  // m − 1, non-decreasing: x is right of boundary j iff x > t[j]
  std::vector<int32_t> originalIndex;  // per distinct sorted value: its smallest original index
};

// Returns the index of the first non-finite centroid, or −1.
int64_t buildBoundaries(const float* row, int64_t k, Boundaries& b) {
  for (int64_t i = 0; i < k; i++) {
    if (!std::isfinite(row[i])) return i;
  }
  std::vector<int32_t> order(static_cast<size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  // By value, ties by index (−0 equals 0), as the JavaScript comparator.
  std::sort(order.begin(), order.end(), [row](int32_t a, int32_t c) {
    const double d = static_cast<double>(row[a]) - static_cast<double>(row[c]);
    return d != 0 ? d < 0 : a < c;
  });
  std::vector<double> values;
  b.originalIndex.clear();
  for (int32_t i : order) {
    const double c = row[i] == 0 ? 0.0 : static_cast<double>(row[i]);
    if (!values.empty() && values.back() == c) continue;
    values.push_back(c);
    b.originalIndex.push_back(i);
  }
  const size_t m = values.size();
  b.thresholds.assign(m > 0 ? m - 1 : 0, 0.0);
  for (size_t j = 0; j + 1 < m; j++) {
    const double mid = (values[j] + values[j + 1]) / 2;
    // A weight on the midpoint goes to the smaller original index: x ≥ mid is x > prev(mid).
    double t = b.originalIndex[j + 1] < b.originalIndex[j] ? std::nextafter(mid, -std::numeric_limits<double>::infinity()) : mid;
    if (j > 0 && t < b.thresholds[j - 1]) t = b.thresholds[j - 1];
    b.thresholds[j] = t;
  }
  return -1;
}

/**
 * Locates weights among the thresholds in O(1) on average: the threshold range is cut into ~16
 * buckets per threshold, each knowing how many thresholds lie below its lower edge, then a short
 * walk corrects the guess (so the result is always the number of thresholds x lies right of).
 */
struct BucketTable {
  std::vector<double> t;  // thresholds, then +∞ (the forward walk needs no bound check)
  std::vector<int32_t> below;
  double low = 0, scale = 0;
  int64_t last = 0;

  explicit BucketTable(const std::vector<double>& thresholds) : t(thresholds) {
    const int64_t nt = static_cast<int64_t>(thresholds.size());
    t.push_back(std::numeric_limits<double>::infinity());
    int64_t buckets = 16;
    while (buckets < 16 * nt && buckets < (int64_t{1} << 16)) buckets *= 2;
    low = nt > 0 ? thresholds[0] : 0;
    const double span = nt > 0 ? thresholds[nt - 1] - low : 0;
    scale = span > 0 && std::isfinite(static_cast<double>(buckets) / span) ? static_cast<double>(buckets) / span : 0;
    if (scale == 0) buckets = 1;
    below.assign(static_cast<size_t>(buckets + 1), 0);
    int64_t p = 0;
    for (int64_t b = 1; b < buckets; b++) {
      const double edge = low + static_cast<double>(b) / scale;
      while (p < nt && thresholds[p] < edge) p++;
      below[b] = static_cast<int32_t>(p);
    }
    below[buckets] = static_cast<int32_t>(nt);
    last = buckets - 1;
  }

  CO_INLINE int64_t locate(double x) const {
    const double f = (x - low) * scale;
    const int64_t b = f < 0 ? 0 : f >= static_cast<double>(last) ? last : static_cast<int64_t>(f);
    int64_t p = below[b], q = below[b + 1];
    while (q - p > 4) {
      const int64_t mid = (p + q) >> 1;
      if (x > t[mid]) p = mid + 1;
      else q = mid;
    }
    // Buckets are ~16x finer than the thresholds: one or two branch-free steps usually finish the
    // forward walk, and the loops (rarely entered) make the result exact whatever the guess.
    p += x > t[p];
    p += x > t[p];
    while (x > t[p]) p++;
    while (p > 0 && !(x > t[p - 1])) p--;
    return p;
  }
};

/**
 * A threshold as a float32 with the same verdict for every float32 x: x > t exactly when x > the
 * largest float32 not above t (for a float x, x > t_lo implies x ≥ the next float, which is > t).
 */
float floatBelow(double t) {
  const float f = static_cast<float>(t);
  return static_cast<double>(f) <= t ? f : std::nextafter(f, -std::numeric_limits<float>::infinity());
}

constexpr int64_t kChunk = 256;
/** Few thresholds, one contiguous run: positions by counting, threshold by threshold over a chunk (vectorised). */
CO_INLINE void countAboveBody(int64_t count, const float* __restrict x, const float* __restrict t, int64_t nt, int32_t* __restrict pos) {
  for (int64_t i = 0; i < count; i++) pos[i] = 0;
  for (int64_t j = 0; j < nt; j++) {
    const float tj = t[j];
    for (int64_t i = 0; i < count; i++) pos[i] += x[i] > tj ? 1 : 0;
  }
}
CO_MULTIVERSION(void, countAbove,
                (int64_t count, const float* __restrict x, const float* __restrict t, int64_t nt, int32_t* __restrict pos),
                (count, x, t, nt, pos))

}  // namespace

int64_t clusterFollowParts(int64_t size, int64_t blocks) { return size >= (int64_t{1} << 16) && blocks >= 2 ? 2 : 1; }

ClusterProblem clusterProject(const ClusterGeom& g, const float* x, const float* prevX, const float* prevAssignment,
                              const float* centroidsIn, float* y, float* assignmentOut, float* centroidsOut) {
  const int64_t n = g.size, channels = g.channels, inner = g.inner, k = g.k, slots = channels * k;
  const int64_t stride = channels * inner;
  std::copy(centroidsIn, centroidsIn + slots, centroidsOut);
  ClusterProblem ok{ClusterProblem::kNone, 0, 0, 0.0};

  if (g.update != ClusterGeom::kNoUpdate) {
    // Each centroid moves by the mean (or sum) of its members' steps: Σ now − Σ then per slot.
    // The sums run over fixed parts of the weight (clusterFollowParts: two from 64K elements),
    // each in element order, on two threads where there are two; the parts' sums are then added
    // in part order. The split depends on the size only, so the bits do not depend on the
    // thread count, and the JavaScript adds the same parts the same way.
    const int64_t blocks = n / stride;
    const int64_t P = clusterFollowParts(n, blocks);
    std::vector<double> then(static_cast<size_t>(P * slots), 0.0), now(static_cast<size_t>(P * slots), 0.0);
    std::vector<int64_t> count(static_cast<size_t>(P * slots), 0);
    std::vector<ClusterProblem> problems(static_cast<size_t>(P), ok);
    // Element i = block + c·inner + r is in channel c (no division per element).
    const auto sumPart = [&](int64_t p) {
      double* thenPart = then.data() + p * slots;
      double* nowPart = now.data() + p * slots;
      int64_t* countPart = count.data() + p * slots;
      for (int64_t block = blocks * p / P * stride, last = blocks * (p + 1) / P * stride; block < last; block += stride) {
        for (int64_t c = 0; c < channels; c++) {
          double* thenRow = thenPart + c * k;
          double* nowRow = nowPart + c * k;
          int64_t* countRow = countPart + c * k;
          for (int64_t i = block + c * inner, end = i + inner; i < end; i++) {
            const float a = prevAssignment[i];
            if (!(a >= 0 && a < static_cast<float>(k)) || static_cast<float>(static_cast<int64_t>(a)) != a) {
              problems[static_cast<size_t>(p)] = ClusterProblem{ClusterProblem::kBadAssignment, c, i, a};
              return;
            }
            const int64_t slot = static_cast<int64_t>(a);
            thenRow[slot] += prevX[i];
            nowRow[slot] += x[i];
            countRow[slot]++;
          }
        }
      }
    };
    if (P <= 1 || threadCount() < 2) for (int64_t p = 0; p < P; p++) sumPart(p);
    else parallelFor(P, [&](int64_t p, int) { sumPart(p); });
    for (const ClusterProblem& problem : problems)
      if (problem.kind != ClusterProblem::kNone) return problem;  // the first in element order
    for (int64_t s = 0; s < slots; s++) {
      double sumThen = then[s], sumNow = now[s];
      int64_t members = count[s];
      for (int64_t p = 1; p < P; p++) {
        sumThen += then[p * slots + s];
        sumNow += now[p * slots + s];
        members += count[p * slots + s];
      }
      if (members == 0 || (g.pinZero && centroidsOut[s] == 0)) continue;
      const double moved = sumNow - sumThen;
      centroidsOut[s] = static_cast<float>(static_cast<double>(centroidsOut[s]) +
                                           (g.update == ClusterGeom::kMean ? moved / static_cast<double>(members) : moved));
    }
  }

  std::vector<Boundaries> rules(static_cast<size_t>(channels));
  std::vector<int64_t> badCentroid(static_cast<size_t>(channels), -1);
  for (int64_t c = 0; c < channels; c++) badCentroid[c] = buildBoundaries(centroidsOut + c * k, k, rules[c]);

  // The JavaScript reports the first problem channel by channel: a non-finite centroid of the
  // channel, else its first non-finite weight (index within the channel).
  bool finite = true;
  for (int64_t i = 0; i < n && finite; i++) finite = std::isfinite(x[i]);
  for (int64_t c = 0; c < channels; c++) {
    if (badCentroid[c] >= 0) return ClusterProblem{ClusterProblem::kCentroid, c, badCentroid[c], centroidsOut[c * k + badCentroid[c]]};
    if (finite) continue;
    int64_t j = 0;
    for (int64_t base = c * inner; base < n; base += stride) {
      for (int64_t r = 0; r < inner; r++, j++) {
        if (!std::isfinite(x[base + r])) return ClusterProblem{ClusterProblem::kWeight, c, j, x[base + r]};
      }
    }
  }

  std::vector<BucketTable> tables;
  tables.reserve(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; c++) tables.emplace_back(rules[c].thresholds);
  // Over whole blocks of `stride` elements [first, last), channel by channel inside each.
  const auto assign = [&](int64_t first, int64_t last) {
    for (int64_t block = first * stride; block < last * stride; block += stride) {
      for (int64_t c = 0; c < channels; c++) {
        const BucketTable& table = tables[c];
        const int32_t* index = rules[c].originalIndex.data();
        const float* row = centroidsOut + c * k;
        for (int64_t i = block + c * inner, end = i + inner; i < end; i++) {
          const int32_t a = index[table.locate(x[i])];
          assignmentOut[i] = static_cast<float>(a);
          y[i] = row[a];
        }
      }
    }
  };
  // Per tensor with up to 64 thresholds (k ≤ 65 distinct centroids): counting beats searching.
  std::vector<float> below;
  const bool counted = channels == 1 && rules[0].thresholds.size() <= 64;
  if (counted) for (double t : rules[0].thresholds) below.push_back(floatBelow(t));
  const auto assignCounted = [&](int64_t first, int64_t last) {
    const auto count = countAbove();
    const int32_t* index = rules[0].originalIndex.data();
    int32_t pos[kChunk];
    for (int64_t start = first; start < last; start += kChunk) {
      const int64_t m = std::min(kChunk, last - start);
      count(m, x + start, below.data(), static_cast<int64_t>(below.size()), pos);
      for (int64_t i = 0; i < m; i++) {
        const int32_t a = index[pos[i]];
        assignmentOut[start + i] = static_cast<float>(a);
        y[start + i] = centroidsOut[a];
      }
    }
  };
  // Independent per element: two threads from 64K weights (below that the hand-off costs more).
  if (counted) {
    const int64_t T = n < (int64_t{1} << 16) ? 1 : std::min<int64_t>(2, threadCount());
    if (T <= 1) assignCounted(0, n);
    else parallelFor(T, [&](int64_t t, int) { assignCounted(n * t / T, n * (t + 1) / T); });
    return ok;
  }
  const int64_t blocks = n / stride;
  const int64_t T = n < (int64_t{1} << 16) || blocks < 2 ? 1 : std::min<int64_t>(2, threadCount());
  if (T <= 1) assign(0, blocks);
  else parallelFor(T, [&](int64_t t, int) { assign(blocks * t / T, blocks * (t + 1) / T); });
  return ok;
}

}  // namespace co
