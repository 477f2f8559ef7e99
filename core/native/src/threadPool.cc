// The persistent thread pool every kernel shares.
//
// Why persistent: kernels take 0.1–10 ms, thread creation ~20–50 µs each; a pool started once and
// woken per call keeps the overhead to one condition-variable round trip. Workers block (never
// spin) between calls, as the machine is usually shared. Size: hardware_concurrency (capped at
// 16), or COLLABOPT_NATIVE_THREADS. The pool is never destroyed: its threads end with the process.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "common.h"

namespace co {
namespace {

int configuredThreads() {
  const char* env = std::getenv("COLLABOPT_NATIVE_THREADS");
  if (env != nullptr && *env != '\0') {
    int n = std::atoi(env);
    if (n >= 1) return std::min(n, 64);
  }
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int>(std::min(hc, 16u));
}

class Pool {
 public:
  explicit Pool(int n) : n_(n) {
    for (int w = 1; w < n_; w++) threads_.emplace_back([this, w] { loop(w); });
  }
  int size() const { return n_; }

  void run(int64_t tasks, const std::function<void(int64_t, int)>& task) {
    if (tasks <= 0) return;
    // Serially when there is nothing to share, or when called from inside a task (nested calls
    // would wait on themselves).
    if (n_ == 1 || tasks == 1 || inTask_) {
      for (int64_t i = 0; i < tasks; i++) task(i, 0);
      return;
    }
    // One call at a time: kernels are invoked from one JS thread, but a Node worker thread could
    // load the addon too.
    std::lock_guard<std::mutex> serial(callMutex_);
    uint64_t gen;
    {
      std::lock_guard<std::mutex> lock(m_);
      gen = ++generation_;
      task_ = &task;
      tasks_ = tasks;
      completed_.store(0);
      claim_.store(gen << 32);
    }
    cv_.notify_all();
    // The caller works too, and waits only for tasks a worker has actually claimed: on a loaded
    // machine a worker may not get a core for milliseconds, and then the caller does its share.
    work(0, gen, &task, tasks);
    if (completed_.load() < tasks) {
      std::unique_lock<std::mutex> lock(m_);
      done_.wait(lock, [&] { return completed_.load() >= tasks; });
    }
  }

 private:
  // Claims and runs tasks of job `gen` until none are left. A claim is one compare-and-swap on
  // (generation << 32 | next index), so a worker that wakes late can never take a task of a later
  // job with the function of an earlier one.
  void work(int worker, uint64_t gen, const std::function<void(int64_t, int)>* task, int64_t tasks) {
    inTask_ = true;
    for (;;) {
      uint64_t v = claim_.load();
      if ((v >> 32) != gen || static_cast<int64_t>(v & 0xffffffffu) >= tasks) break;
      if (!claim_.compare_exchange_weak(v, v + 1)) continue;
      (*task)(static_cast<int64_t>(v & 0xffffffffu), worker);
      if (completed_.fetch_add(1) + 1 == tasks) {
        std::lock_guard<std::mutex> lock(m_);
        done_.notify_all();
      }
    }
    inTask_ = false;
  }
  void loop(int worker) {
    uint64_t seen = 0;
    for (;;) {
      const std::function<void(int64_t, int)>* task;
      int64_t tasks;
      {
        std::unique_lock<std::mutex> lock(m_);
        cv_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        task = task_;
        tasks = tasks_;
      }
      work(worker, seen, task, tasks);
    }
  }

  const int n_;
  std::vector<std::thread> threads_;
  std::mutex callMutex_, m_;
  std::condition_variable cv_, done_;
  const std::function<void(int64_t, int)>* task_ = nullptr;
  int64_t tasks_ = 0;
  uint64_t generation_ = 0;
  std::atomic<uint64_t> claim_{0};
  std::atomic<int64_t> completed_{0};
  static thread_local bool inTask_;
};

thread_local bool Pool::inTask_ = false;

Pool& pool() {
  static Pool* p = new Pool(configuredThreads());
  return *p;
}

struct Scratch {
  float* p = nullptr;
  size_t n = 0;
};
std::vector<Scratch>& scratchTable() {
  static std::vector<Scratch>* t = new std::vector<Scratch>(static_cast<size_t>(pool().size()) * 4);
  return *t;
}

}  // namespace

bool hasAvx2() {
#if CO_X86
  static const bool yes = [] {
    if (const char* env = std::getenv("COLLABOPT_NATIVE_ISA")) {
      if (std::string(env) == "scalar") return false;
    }
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return yes;
#else
  return false;
#endif
}

int threadCount() { return pool().size(); }

void parallelFor(int64_t tasks, const std::function<void(int64_t, int)>& task) { pool().run(tasks, task); }

float* scratch(int worker, int slot, size_t floats) {
  Scratch& s = scratchTable()[static_cast<size_t>(worker) * 4 + static_cast<size_t>(slot)];
  if (s.n < floats) {
    std::free(s.p);
    // 64-byte aligned for the packed GEMM panels; rounded up as aligned_alloc requires.
    size_t bytes = ((floats * sizeof(float) + 63) / 64) * 64;
    s.p = static_cast<float*>(std::aligned_alloc(64, bytes));
    if (s.p == nullptr) throw std::bad_alloc();
    s.n = floats;
  }
  return s.p;
}

}  // namespace co
