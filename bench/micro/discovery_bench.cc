// Scale of the source side (issue 4 target: discovery of 1M files >= 100k files/s): listing
// a folder of N tiny files, RocksDB state lookups and writes for N paths, and both together.
// Names start with Discovery / StateStore so bench/run can pick them with --benchmark_filter.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "fixtures.h"
#include "inlet/source/discovery.h"
#include "inlet/source/file_state_store.h"

namespace inlet::bench {
namespace {

using source::DiscoveredFile;
using source::FileStateStore;

// Paths shaped like a landing zone with a folder per day; no files behind them, so the
// state store benchmarks need no inodes.
std::vector<DiscoveredFile> SyntheticFiles(int64_t n) {
  std::vector<DiscoveredFile> files(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    files[i] = {fmt::format("/landing/iot/day={:03d}/iot-{:07d}.json", i / 10000, i), 400 + i % 97,
                1700000000000 + i};
  }
  return files;
}

// A store holding `files` as loaded by batch 0, opened once per (dir, size) and kept open:
// a running stream keeps its store open too.
FileStateStore& FilledStore(const std::string& name, const std::vector<DiscoveredFile>& files) {
  static auto* stores = new std::map<std::string, std::unique_ptr<FileStateStore>>;
  auto& store = (*stores)[name];
  if (!store) {
    store = FileStateStore::Open(ScratchDir() + "/" + name).ValueOrDie();
    // Close before RocksDB's own statics go: registered after its first Open, this handler
    // runs before their destructors (a static map here would close after them and crash).
    static const int kRegistered = std::atexit([] { stores->clear(); });
    (void)kRegistered;
    if (Status st = store->PutAll(files, 0); !st.ok()) st.Abort();
  }
  return *store;
}

// Returns false (and marks the benchmark skipped) when the files cannot be made here.
bool Folder(benchmark::State& state, std::string* dir) {
  std::string why;
  *dir = TinyFileFolder(state.range(0), &why);
  if (dir->empty()) state.SkipWithError(why.c_str());
  return !dir->empty();
}

void DiscoveryListFiles(benchmark::State& state) {
  std::string dir;
  if (!Folder(state, &dir)) return;
  source::DiscoveryOptions options;
  options.pattern = dir + "/*.json";  // a glob, as users write it, so matching is timed too
  for (auto _ : state) {
    auto files = source::ListFiles(options);
    if (!files.ok() || static_cast<int64_t>(files->size()) != state.range(0)) {
      state.SkipWithError(files.ok() ? "wrong file count" : files.status().ToString().c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// What a re-run of an availableNow stream does before planning: list, then look every file
// up (all already loaded, the worst case: every lookup is a hit that must be decoded).
void DiscoveryAndStateLookup(benchmark::State& state) {
  std::string dir;
  if (!Folder(state, &dir)) return;
  source::DiscoveryOptions options;
  options.pattern = dir + "/*.json";
  auto listed = source::ListFiles(options).ValueOrDie();
  FileStateStore& store = FilledStore(fmt::format("seen-{}", state.range(0)), listed);
  for (auto _ : state) {
    auto files = source::ListFiles(options).ValueOrDie();
    int64_t unseen = 0;
    for (const DiscoveredFile& f : files) unseen += !store.Get(f.path).ValueOrDie().has_value();
    benchmark::DoNotOptimize(unseen);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void StateStoreGet(benchmark::State& state) {
  static std::map<int64_t, std::vector<DiscoveredFile>> by_size;
  auto& files = by_size[state.range(0)];
  if (files.empty()) files = SyntheticFiles(state.range(0));
  FileStateStore& store = FilledStore(fmt::format("get-{}", state.range(0)), files);
  for (auto _ : state) {
    for (const DiscoveredFile& f : files) {
      auto got = store.Get(f.path);
      benchmark::DoNotOptimize(got);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// One synced batch of N new paths into a fresh store: the commit of a large first batch.
void StateStorePutAll(benchmark::State& state) {
  std::vector<DiscoveredFile> files = SyntheticFiles(state.range(0));
  std::string dir = ScratchDir() + "/putall";
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    auto store = FileStateStore::Open(dir).ValueOrDie();
    state.ResumeTiming();
    if (Status st = store->PutAll(files, 0); !st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      return;
    }
    state.PauseTiming();  // closing flushes the memtable; not part of the commit
    store.reset();
    state.ResumeTiming();
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// Wall time, not CPU time: listing and synced writes wait on the kernel and the disk.
#define INLET_SCALE_ARGS \
  ->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime()
BENCHMARK(DiscoveryListFiles) INLET_SCALE_ARGS;
BENCHMARK(DiscoveryAndStateLookup) INLET_SCALE_ARGS;
BENCHMARK(StateStoreGet) INLET_SCALE_ARGS;
BENCHMARK(StateStorePutAll) INLET_SCALE_ARGS;

}  // namespace
}  // namespace inlet::bench
