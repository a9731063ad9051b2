// Schema inference over the same file: a first run of a stream samples up to 50 GB this way
// before the first row is loaded, so its rate bounds time-to-first-batch.
#include <benchmark/benchmark.h>

#include "fixtures.h"
#include "inlet/formats/json/json_inference.h"

namespace inlet::bench {
namespace {

// Arg 1: inferColumnTypes=true (what bench/run uses); 0: every leaf a string.
void InferJsonSchema(benchmark::State& state) {
  const IotFile& file = IotJson();
  json::InferenceOptions options;
  options.infer_column_types = state.range(0) != 0;
  for (auto _ : state) {
    Result<Schema> schema = json::InferJsonSchema({file.path}, options);
    if (!schema.ok()) {
      state.SkipWithError(schema.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(schema->fields.size());
  }
  state.SetBytesProcessed(state.iterations() * file.bytes);
  state.SetItemsProcessed(state.iterations() * file.rows);
}
BENCHMARK(InferJsonSchema)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace inlet::bench
