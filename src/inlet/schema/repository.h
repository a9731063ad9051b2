// The schema repository of a stream (cloudFiles.schemaLocation): DIR/_schemas/0, 1, 2, ...
// one file per schema version, written once and never rewritten, in Auto Loader's format:
//   v1
//   {"dataSchemaJson":"<Spark StructType JSON>","partitionSchemaJson":"{\"type\":\"struct\",\"fields\":[]}"}
// The data schema excludes the rescued data column (the reader adds it). inlet adds a
// "schemaHints" key when hints produced the version; readers of the format ignore it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "inlet/schema/types.h"
#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace inlet {

struct SchemaVersion {
  int64_t version = 0;
  std::string path;              // DIR/_schemas/N
  Schema data_schema;
  std::string data_schema_json;  // as stored
  std::string partition_schema_json;
  std::string schema_hints;      // "" when none were recorded
  int64_t written_at_ms = 0;     // the file's modification time
};

class SchemaRepository {
 public:
  // `location` is the cloudFiles.schemaLocation folder; DIR/_schemas is created if missing.
  static Result<SchemaRepository> Open(const std::string& location);
  static Result<SchemaRepository> Open(storage::Place location);
  // Reads an existing repository without creating anything; a missing DIR/_schemas is
  // Status::Invalid("no schema repository at 'DIR' (no _schemas folder)").
  static Result<SchemaRepository> OpenExisting(const std::string& location);

  const std::string& location() const { return location_; }
  std::string schemas_dir() const;

  // Version numbers present, ascending. Files whose name is not a number are ignored
  // (temp files of an interrupted write, for instance).
  Result<std::vector<int64_t>> ListVersions() const;
  // The newest version, or nullopt for an empty repository.
  Result<std::optional<SchemaVersion>> Latest() const;
  // A version file that is missing or malformed fails naming the file (and the line).
  Result<SchemaVersion> Read(int64_t version) const;

  // Writes version `version` atomically (never a half file) and only if absent: if it
  // exists already, Status::AlreadyExists (another run got there first; never rewritten).
  // Returns the written file's path.
  Result<std::string> Write(int64_t version, const Schema& data_schema, const std::string& schema_hints) const;

 private:
  explicit SchemaRepository(storage::Place location) : place_(std::move(location)), location_(place_.path) {}
  storage::Place place_;
  std::string location_;
};

// The text of a version file (as above), and its parse; exposed for tests and tools.
std::string FormatSchemaVersionFile(const Schema& data_schema, const std::string& schema_hints);
Result<SchemaVersion> ParseSchemaVersionFile(const std::string& text, const std::string& source_name);

// What `version` changed from `previous` (nullptr for the first version), for
// `inlet schema --history`: "initial (17 columns)", or "added: latitude double, location
// struct; widened: c int -> long; changed: humidity long -> double", then "; hints: ..."
// when the recorded hints differ from the previous version's; "no change" when nothing did.
std::string DescribeSchemaVersion(const SchemaVersion* previous, const SchemaVersion& version);

}  // namespace inlet
