// Entry point of inlet_micro_bench; the benchmarks register themselves in the other files.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
