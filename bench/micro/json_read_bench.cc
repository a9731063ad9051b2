// JSON -> Arrow columns: the reader's hot loop (file read, line split, simdjson On-Demand
// into builders), compared with simdjson_baseline_bench.cc for the issue-4 parse target.
#include <benchmark/benchmark.h>

#include <arrow/record_batch.h>

#include "fixtures.h"
#include "inlet/formats/json/json_reader.h"

namespace inlet::bench {
namespace {

// Arg 0: no rescued data column; 1: `_rescued_data` last, so the cost of tracking what
// could be rescued shows (every row fits the schema, so nothing is actually rescued).
void JsonToColumns(benchmark::State& state) {
  const bool rescued = state.range(0) != 0;
  const IotFile& file = IotJson();
  const Schema& schema = IotSchema(rescued);
  json::JsonReadOptions options;
  if (rescued) options.rescued_data_column = "_rescued_data";
  int64_t rows = 0;
  // The sink only counts: keeping batches would measure the allocator, not the reader.
  json::BatchSink sink = [&rows](std::shared_ptr<arrow::RecordBatch> batch) {
    rows += batch->num_rows();
    return Status::OK();
  };
  for (auto _ : state) {
    Status st = json::ReadJsonFile(file.path, schema, options, sink, nullptr);
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      return;
    }
  }
  state.SetBytesProcessed(state.iterations() * file.bytes);
  state.SetItemsProcessed(rows);
  state.SetLabel(rescued ? "rescued_data" : "plain");
}
BENCHMARK(JsonToColumns)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace inlet::bench
