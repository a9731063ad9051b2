// Parquet write: Arrow batches -> snappy Parquet data files (encoding, compression, Delta
// stats, fsync + rename), the stage after JSON -> columns in `inlet ingest`.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <vector>

#include <arrow/record_batch.h>

#include "fixtures.h"
#include "inlet/formats/json/json_reader.h"
#include "inlet/schema/arrow_convert.h"
#include "inlet/write/data_file_writer.h"

namespace inlet::bench {
namespace {

// Parsed once per process so the timed loop is the writer alone. The table schema has the
// rescued data column, as every table `inlet ingest` creates does.
const std::vector<std::shared_ptr<arrow::RecordBatch>>& IotBatches() {
  static const auto batches = [] {
    std::vector<std::shared_ptr<arrow::RecordBatch>> out;
    json::JsonReadOptions options;
    options.rescued_data_column = "_rescued_data";
    Status st = json::ReadJsonFile(
        IotJson().path, IotSchema(true), options,
        [&out](std::shared_ptr<arrow::RecordBatch> b) {
          out.push_back(std::move(b));
          return Status::OK();
        },
        nullptr);
    // A broken reader makes this benchmark meaningless: stop loudly rather than time nothing.
    if (!st.ok()) throw std::runtime_error(st.ToString());
    return out;
  }();
  return batches;
}

void ParquetWrite(benchmark::State& state) {
  const IotFile& file = IotJson();
  const auto& batches = IotBatches();
  auto schema = ToArrowSchema(IotSchema(true)).ValueOrDie();
  std::string table_dir = ScratchDir() + "/parquet-table";
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(table_dir);
    std::filesystem::create_directories(table_dir);
    state.ResumeTiming();
    write::DataFileWriter writer(table_dir, schema, write::DataFileWriterOptions{});
    for (const auto& batch : batches) {
      if (Status st = writer.Write(batch); !st.ok()) {
        state.SkipWithError(st.ToString().c_str());
        return;
      }
    }
    auto written = writer.Finish();
    if (!written.ok()) {
      state.SkipWithError(written.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(written->size());
  }
  std::filesystem::remove_all(table_dir);
  // Input JSON bytes, so MB/s lines up with JsonToColumns and bench/run's end-to-end rate.
  state.SetBytesProcessed(state.iterations() * file.bytes);
  state.SetItemsProcessed(state.iterations() * file.rows);
}
BENCHMARK(ParquetWrite)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace inlet::bench
