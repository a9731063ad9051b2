// Parquet checkpoints: a snapshot loaded through checkpoints equals plain replay, and the
// file has the protocol's checkpoint column types.
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>

#include "inlet/delta/table.h"
#include "inlet/util/ids.h"
#include "inlet/storage/file_system.h"

namespace inlet::delta {
namespace {

namespace fs = std::filesystem;

std::string MakeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "inlet_ckpt_XXXXXX").string();
  return ::mkdtemp(pattern.data());
}

// Version 0 creates the table; every later version adds a file, records a txn and, every
// third version, removes an earlier file. A checkpoint follows versions 10 and 20.
void WriteTwentyFiveCommits(const std::string& dir, bool with_checkpoints) {
  for (int64_t v = 0; v < 25; ++v) {
    CommitActions actions;
    actions.commit_info = CommitInfo{1000 + v, "STREAMING UPDATE", {}, {}, "inlet/test"};
    if (v == 0) {
      actions.protocol = Protocol{1, 2, {}, {}};
      Metadata metadata;
      metadata.id = "id-1";
      metadata.schema_string = R"({"type":"struct","fields":[]})";
      metadata.partition_columns = {"p"};
      metadata.configuration = {{"delta.checkpointInterval", "10"}};
      metadata.created_time = 42;
      actions.metadata = metadata;
    }
    actions.txn = Txn{v % 2 ? "odd" : "even", v, 5000 + v};
    actions.adds.push_back(AddFile{"f" + std::to_string(v) + ".parquet",
                                   {{"p", std::to_string(v % 3)}},
                                   100 + v,
                                   1000 + v,
                                   true,
                                   "{\"numRecords\":" + std::to_string(v) + "}"});
    if (v % 3 == 0 && v > 0) {
      actions.removes.push_back(RemoveFile{"f" + std::to_string(v - 2) + ".parquet", NowMillis(), true});
    }
    ASSERT_TRUE(WriteCommit(dir, v, actions).ok());
    if (with_checkpoints && v % kCheckpointInterval == 0 && v > 0) {
      auto snapshot = Snapshot::Load(dir);
      ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
      ASSERT_TRUE(WriteCheckpoint(*snapshot).ok());
    }
  }
}

void ExpectSameState(const Snapshot& a, const Snapshot& b) {
  EXPECT_EQ(a.version(), b.version());
  EXPECT_EQ(a.protocol().min_reader_version, b.protocol().min_reader_version);
  EXPECT_EQ(a.protocol().min_writer_version, b.protocol().min_writer_version);
  EXPECT_EQ(a.metadata().id, b.metadata().id);
  EXPECT_EQ(a.metadata().schema_string, b.metadata().schema_string);
  EXPECT_EQ(a.metadata().partition_columns, b.metadata().partition_columns);
  EXPECT_EQ(a.metadata().configuration, b.metadata().configuration);
  EXPECT_EQ(a.metadata().created_time, b.metadata().created_time);
  ASSERT_EQ(a.files().size(), b.files().size());
  for (size_t i = 0; i < a.files().size(); ++i) {
    const AddFile& x = a.files()[i];
    const AddFile& y = b.files()[i];
    EXPECT_EQ(x.path, y.path);
    EXPECT_EQ(x.partition_values, y.partition_values);
    EXPECT_EQ(x.size, y.size);
    EXPECT_EQ(x.modification_time, y.modification_time);
    EXPECT_EQ(x.data_change, y.data_change);
    EXPECT_EQ(x.stats, y.stats);
  }
  ASSERT_EQ(a.txns().size(), b.txns().size());
  for (const auto& [app, txn] : a.txns()) {
    EXPECT_EQ(b.TxnVersion(app), txn.version);
    EXPECT_EQ(b.txns().at(app).last_updated, txn.last_updated);
  }
  ASSERT_EQ(a.tombstones().size(), b.tombstones().size());
  for (size_t i = 0; i < a.tombstones().size(); ++i) {
    EXPECT_EQ(a.tombstones()[i].path, b.tombstones()[i].path);
  }
}

TEST(DeltaCheckpoint, SnapshotThroughCheckpointsEqualsPlainReplay) {
  std::string with = MakeTempDir(), without = MakeTempDir();
  WriteTwentyFiveCommits(with, true);
  WriteTwentyFiveCommits(without, false);
  ASSERT_TRUE(fs::exists(with + "/_delta_log/00000000000000000010.checkpoint.parquet"));
  ASSERT_TRUE(fs::exists(with + "/_delta_log/00000000000000000020.checkpoint.parquet"));

  auto from_checkpoint = Snapshot::Load(with);
  auto from_replay = Snapshot::Load(without);
  ASSERT_TRUE(from_checkpoint.ok()) << from_checkpoint.status().ToString();
  ASSERT_TRUE(from_replay.ok()) << from_replay.status().ToString();
  EXPECT_EQ(from_replay->version(), 24);
  EXPECT_EQ(from_replay->files().size(), 25u - 8u);  // 8 removes at v=3,6,...,24
  EXPECT_EQ(from_replay->TxnVersion("even"), 24);
  EXPECT_EQ(from_replay->TxnVersion("odd"), 23);
  ExpectSameState(*from_checkpoint, *from_replay);
  fs::remove_all(with);
  fs::remove_all(without);
}

TEST(DeltaCheckpoint, LoadNeedsOnlyTheCheckpointAndLaterCommits) {
  std::string dir = MakeTempDir();
  WriteTwentyFiveCommits(dir, true);
  auto before = Snapshot::Load(dir);
  ASSERT_TRUE(before.ok());
  for (int v = 0; v <= 20; ++v) fs::remove(dir + "/" + CommitFileName(v));
  auto after = Snapshot::Load(dir);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ExpectSameState(*before, *after);
  auto last = storage::Local()->ReadFile(dir + "/_delta_log/_last_checkpoint");
  ASSERT_TRUE(last.ok());
  // protocol + metaData + 2 txns + 15 adds (21 files, 6 removed) + 6 tombstones at v=20
  EXPECT_EQ(*last, R"({"version":20,"size":25,"sizeInBytes":)" +
                       std::to_string(fs::file_size(
                           dir + "/_delta_log/00000000000000000020.checkpoint.parquet")) +
                       R"(,"numOfAddFiles":15})");
  fs::remove_all(dir);
}

TEST(DeltaCheckpoint, ColumnsFollowTheProtocolCheckpointSchema) {
  std::string dir = MakeTempDir();
  WriteTwentyFiveCommits(dir, true);
  auto input =
      arrow::io::ReadableFile::Open(dir + "/_delta_log/00000000000000000010.checkpoint.parquet")
          .ValueOrDie();
  auto reader = parquet::arrow::OpenFile(input, arrow::default_memory_pool()).ValueOrDie();
  std::shared_ptr<arrow::Schema> schema;
  ASSERT_TRUE(reader->GetSchema(&schema).ok());
  auto type_of = [&](const std::string& column, const std::string& child) {
    auto parent = schema->GetFieldByName(column);
    EXPECT_NE(parent, nullptr) << column;
    if (!parent) return std::string();
    auto field = std::static_pointer_cast<arrow::StructType>(parent->type())->GetFieldByName(child);
    EXPECT_NE(field, nullptr) << column << "." << child;
    if (!field) return std::string();
    // Arrow names a map read back from Parquet after its column ("map<string, string
    // ('configuration')>"); the Parquet side is the standard MAP/key_value group.
    std::string text = field->type()->ToString();
    for (size_t at; (at = text.find(" ('")) != std::string::npos;) {
      text.erase(at, text.find("')", at) + 2 - at);
    }
    return text;
  };
  EXPECT_EQ(type_of("protocol", "minReaderVersion"), "int32");
  EXPECT_EQ(type_of("protocol", "minWriterVersion"), "int32");
  EXPECT_EQ(type_of("add", "partitionValues"), "map<string, string>");
  EXPECT_EQ(type_of("add", "size"), "int64");
  EXPECT_EQ(type_of("add", "stats"), "string");
  EXPECT_EQ(type_of("txn", "version"), "int64");
  EXPECT_EQ(type_of("remove", "deletionTimestamp"), "int64");
  EXPECT_EQ(type_of("metaData", "partitionColumns"), "list<element: string>");
  EXPECT_EQ(type_of("metaData", "configuration"), "map<string, string>");
  EXPECT_EQ(type_of("metaData", "format"),
            "struct<provider: string, options: map<string, string>>");
  auto table = reader->ReadTable().ValueOrDie();
  // protocol, metaData, 2 txns, 8 files (11 added, 3 removed), 3 tombstones.
  EXPECT_EQ(table->num_rows(), 1 + 1 + 2 + 8 + 3);
  fs::remove_all(dir);
}


TEST(DeltaCheckpoint, KeepsTableFeaturesOfTheProtocol) {
  std::string dir = MakeTempDir();
  for (int64_t v = 0; v < 2; ++v) {
    CommitActions actions;
    actions.commit_info = CommitInfo{1000 + v, "STREAMING UPDATE", {}, {}, "inlet/test"};
    if (v == 0) {
      Metadata metadata;
      metadata.id = "id-tw";
      metadata.schema_string = R"({"type":"struct","fields":[]})";
      actions.metadata = metadata;
      actions.protocol = Protocol{1, 2, {}, {}};
    } else {
      actions.protocol = Protocol{3, 7, {"typeWidening"}, {"appendOnly", "invariants", "typeWidening"}};
    }
    ASSERT_TRUE(WriteCommit(dir, v, actions).ok());
  }
  auto before = Snapshot::Load(dir);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_TRUE(WriteCheckpoint(*before).ok());
  fs::remove(fs::path(dir) / "_delta_log" / "00000000000000000000.json");
  fs::remove(fs::path(dir) / "_delta_log" / "00000000000000000001.json");
  auto after = Snapshot::Load(dir);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->protocol().min_reader_version, 3);
  EXPECT_EQ(after->protocol().min_writer_version, 7);
  EXPECT_EQ(after->protocol().reader_features, std::vector<std::string>{"typeWidening"});
  EXPECT_EQ(after->protocol().writer_features, (std::vector<std::string>{"appendOnly", "invariants", "typeWidening"}));
}

// A null partition value (empty in inlet's AddFile) is a null map value in the checkpoint,
// as in the JSON log, and reads back as null.
TEST(DeltaCheckpoint, NullPartitionValuesAreNullInTheCheckpoint) {
  std::string dir = MakeTempDir();
  CommitActions actions;
  actions.protocol = Protocol{1, 2, {}, {}};
  Metadata metadata;
  metadata.id = "id-p";
  metadata.schema_string = R"({"type":"struct","fields":[{"name":"day","type":"date","nullable":true,"metadata":{}}]})";
  metadata.partition_columns = {"day"};
  actions.metadata = metadata;
  AddFile add;
  add.path = "day=__HIVE_DEFAULT_PARTITION__/a.parquet";
  add.partition_values = {{"day", ""}};
  actions.adds.push_back(add);
  ASSERT_TRUE(WriteCommit(dir, 0, actions).ok());
  auto before = Snapshot::Load(dir);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_TRUE(WriteCheckpoint(*before).ok());

  auto file = arrow::io::ReadableFile::Open(dir + "/_delta_log/00000000000000000000.checkpoint.parquet").ValueOrDie();
  auto reader = parquet::arrow::OpenFile(file, arrow::default_memory_pool()).ValueOrDie();
  auto read = reader->ReadTable();
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  std::shared_ptr<arrow::Table> table = *read;
  auto adds = table->GetColumnByName("add");
  bool found = false;
  for (const auto& chunk : adds->chunks()) {
    const auto& structs = static_cast<const arrow::StructArray&>(*chunk);
    const auto& values = static_cast<const arrow::MapArray&>(*structs.GetFieldByName("partitionValues"));
    for (int64_t i = 0; i < structs.length(); ++i) {
      if (!structs.IsValid(i) || values.value_length(i) == 0) continue;
      EXPECT_TRUE(values.items()->IsNull(values.value_offset(i)));
      found = true;
    }
  }
  EXPECT_TRUE(found);
  fs::remove(fs::path(dir) / "_delta_log" / "00000000000000000000.json");
  auto after = Snapshot::Load(dir);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ASSERT_EQ(after->files().size(), 1u);
  EXPECT_EQ(after->files()[0].partition_values.at("day"), "");
  fs::remove_all(dir);
}

// A v2 checkpoint: a UUID-named JSON file with the protocol, metadata and sidecar actions,
// its add and remove actions in Parquet sidecars under _delta_log/_sidecars/.
TEST(DeltaCheckpoint, V2CheckpointsAreReadThroughTheirSidecars) {
  std::string dir = MakeTempDir();
  WriteTwentyFiveCommits(dir, /*with_checkpoints=*/false);
  auto plain = Snapshot::Load(dir);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  ASSERT_TRUE(WriteCheckpoint(*plain).ok());
  const fs::path log = fs::path(dir) / "_delta_log";
  fs::create_directories(log / "_sidecars");
  // inlet's classic checkpoint has the sidecar's columns (add, remove, ...) and more.
  fs::rename(log / "00000000000000000024.checkpoint.parquet", log / "_sidecars" / "part-1.parquet");
  fs::remove(log / "_last_checkpoint");
  std::ofstream(log / "00000000000000000024.checkpoint.0e5c9f4a-1b2c-4d3e-8f90-a1b2c3d4e5f6.json")
      << R"({"checkpointMetadata":{"version":24}})" "\n"
      << R"({"sidecar":{"path":"part-1.parquet","sizeInBytes":1,"modificationTime":1}})" "\n";
  for (int64_t v = 0; v <= 24; ++v) {
    char name[32];
    std::snprintf(name, sizeof(name), "%020lld.json", static_cast<long long>(v));
    fs::remove(log / name);
  }
  auto from_v2 = Snapshot::Load(dir);
  ASSERT_TRUE(from_v2.ok()) << from_v2.status().ToString();
  EXPECT_EQ(from_v2->version(), 24);
  ExpectSameState(*plain, *from_v2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace inlet::delta
