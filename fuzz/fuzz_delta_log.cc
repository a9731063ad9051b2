// Fuzzes the Delta log reader (delta/table.h): the input becomes the table's JSON commits
// (the first byte picks how), Snapshot::Load replays them, and everything loaded is read.
#include <cstdint>
#include <filesystem>
#include <string>

#include "fuzz_util.h"
#include "inlet/delta/actions.h"
#include "inlet/delta/features.h"
#include "inlet/delta/table.h"
#include "inlet/schema/spark_json.h"

namespace {

// A complete version 0, for inputs that are only the second commit.
constexpr const char* kFirstCommit =
    R"({"commitInfo":{"timestamp":1700000000000,"operation":"CREATE TABLE"}})" "\n"
    R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})" "\n"
    R"({"metaData":{"id":"5b1f0a3e-0000-4000-8000-000000000000","format":{"provider":"parquet","options":{}},)"
    R"("schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}",)"
    R"("partitionColumns":[],"configuration":{},"createdTime":1700000000000}})" "\n"
    R"({"add":{"path":"part-0.parquet","partitionValues":{},"size":10,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":1}"}})" "\n";

void Touch(const inlet::delta::Snapshot& snapshot) {
  (void)snapshot.protocol().HasReaderFeature("deletionVectors");
  (void)inlet::delta::CheckReadable(snapshot.protocol(), snapshot.metadata(), snapshot.table_dir());
  (void)inlet::delta::CheckAppendable(snapshot.protocol(), snapshot.metadata(), snapshot.table_dir());
  (void)inlet::ParseSparkJsonSchema(snapshot.metadata().schema_string);
  size_t bytes = 0;
  for (const auto& add : snapshot.files()) {
    bytes += add.path.size() + add.stats.size() + add.partition_values.size();
  }
  for (const auto& remove : snapshot.tombstones()) bytes += remove.path.size();
  for (const auto& [app_id, txn] : snapshot.txns()) {
    INLET_FUZZ_CHECK(snapshot.TxnVersion(app_id) == txn.version, "txn lookup disagrees");
  }
  (void)bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t layout = data[0] % 3;
  const uint8_t split = data[1];
  const std::string input(reinterpret_cast<const char*>(data) + 2, size - 2);

  // One commit alone must parse or fail cleanly, and what it parses to must print as a
  // commit that parses again.
  auto parsed = inlet::delta::ParseCommit(input, "fuzz.json");
  if (parsed.ok()) {
    const std::string printed = inlet::delta::SerializeCommit(*parsed);
    auto again = inlet::delta::ParseCommit(printed, "printed.json");
    INLET_FUZZ_CHECK(again.ok(), "serialized commit does not parse: " + printed + ": " +
                                     again.status().ToString());
  }

  const std::string table = inlet::fuzz::ScratchDir() + "/table";
  std::error_code ignored;
  std::filesystem::remove_all(table, ignored);
  std::filesystem::create_directories(table + "/_delta_log");
  const std::string log = table + "/";  // CommitFileName includes "_delta_log/"
  switch (layout) {
    case 0:
      inlet::fuzz::WriteFile(log + inlet::delta::CommitFileName(0), input);
      break;
    case 1: {
      const size_t cut = input.size() * split / 255;
      inlet::fuzz::WriteFile(log + inlet::delta::CommitFileName(0), input.substr(0, cut));
      inlet::fuzz::WriteFile(log + inlet::delta::CommitFileName(1), input.substr(cut));
      break;
    }
    default:
      inlet::fuzz::WriteFile(log + inlet::delta::CommitFileName(0), kFirstCommit);
      inlet::fuzz::WriteFile(log + inlet::delta::CommitFileName(1), input);
      break;
  }

  auto snapshot = inlet::delta::Snapshot::Load(table);
  if (snapshot.ok()) {
    Touch(*snapshot);
    auto history = inlet::delta::ReadHistory(table);
    if (history.ok()) {
      INLET_FUZZ_CHECK(history->empty() || history->front().version == snapshot->version(),
                       "history's newest version is not the snapshot's");
    }
  } else {
    INLET_FUZZ_CHECK(!snapshot.status().message().empty(), "error without a message");
  }
  return 0;
}
