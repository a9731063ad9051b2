// Delta Lake log actions, as PROTOCOL.md (delta-io/delta) defines them, and their
// newline-delimited JSON form in _delta_log/NNNNNNNNNNNNNNNNNNNN.json.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "inlet/delta/deletion_vector.h"
#include "inlet/util/status.h"

namespace inlet::delta {

struct Protocol {
  int min_reader_version = 1;
  int min_writer_version = 2;
  // Table features: listed only with reader version 3 / writer version 7 (PROTOCOL.md
  // "Table Features"); empty otherwise.
  std::vector<std::string> reader_features;
  std::vector<std::string> writer_features;

  bool HasReaderFeature(const std::string& name) const;
  bool HasWriterFeature(const std::string& name) const;
};

struct Metadata {
  std::string id;             // table UUID
  std::string schema_string;  // Spark StructType JSON
  std::vector<std::string> partition_columns;
  std::map<std::string, std::string> configuration;
  int64_t created_time = 0;  // ms
  std::string format_provider = "parquet";
};

struct AddFile {
  std::string path;  // relative, URL-encoded as the protocol requires
  std::map<std::string, std::string> partition_values;
  int64_t size = 0;
  int64_t modification_time = 0;  // ms
  bool data_change = true;
  std::string stats;  // JSON text, may be empty
  // Rows another writer deleted from the file without rewriting it (inlet writes none).
  std::optional<DeletionVectorDescriptor> deletion_vector = std::nullopt;
};

struct RemoveFile {
  std::string path;
  int64_t deletion_timestamp = 0;
  bool data_change = true;
};

struct Txn {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated;
};

struct CommitInfo {
  int64_t timestamp = 0;
  std::string operation;  // "STREAMING UPDATE", "CREATE TABLE", ...
  std::map<std::string, std::string> operation_parameters;
  std::map<std::string, std::string> operation_metrics;  // numAddedFiles, numOutputRows, ...
  std::string engine_info;  // "inlet/<version>"
};

// One commit's actions. Serialized in this order: commitInfo, protocol, metaData, txn,
// remove, add.
struct CommitActions {
  std::optional<CommitInfo> commit_info;
  std::optional<Protocol> protocol;
  std::optional<Metadata> metadata;
  std::optional<Txn> txn;
  std::vector<RemoveFile> removes;
  std::vector<AddFile> adds;
  // Parsed only (never serialized), for v2 checkpoints written as JSON: every txn line (a
  // checkpoint has one per app id; `txn` keeps the last) and the sidecar files named.
  std::vector<Txn> parsed_txns;
  std::vector<std::string> sidecars;
};

std::string SerializeCommit(const CommitActions& actions);
// Parses one commit file's text. Unknown action types are ignored (forward compatible);
// malformed JSON fails naming `source_name` and the line.
Result<CommitActions> ParseCommit(const std::string& text, const std::string& source_name);

// "_delta_log/00000000000000000012.json" for 12, relative to the table dir.
std::string CommitFileName(int64_t version);

}  // namespace inlet::delta
