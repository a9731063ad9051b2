// Where a stream's schema comes from and how it moves: resolve once per run, evolve on
// drift (writing the next _schemas/N and stopping, as Auto Loader does), and fold each
// batch's file schema into the Delta table's schema.
#include "inlet/stream/stream_schema.h"

#include <limits>

#include <fmt/format.h>

#include "inlet/schema/ddl.h"
#include "inlet/stream/batch_executor.h"
#include "inlet/stream/parallel_parse.h"
#include "inlet/stream/reader_options.h"
#include "inlet/stream/schema_change.h"
#include "inlet/util/fault.h"
#include "inlet/util/strings.h"

namespace inlet::stream {
namespace {

constexpr const char* kDefaultRescuedColumn = "_rescued_data";

bool IsAddMode(SchemaEvolutionMode mode) {
  return mode == SchemaEvolutionMode::kAddNewColumns ||
         mode == SchemaEvolutionMode::kAddNewColumnsWithTypeWidening;
}

// Inference as the stream's options ask for it, on every core.
formats::SampleOptions SampleFor(const IngestOptions& options, const ReaderOptions& reader) {
  formats::SampleOptions sample;
  sample.infer_column_types = options.infer_column_types;
  sample.max_files = options.inference_sample_files;
  sample.max_bytes = options.inference_sample_bytes;
  sample.threads = ResolveThreads(options);
  sample.mode = options.mode;
  sample.max_record_bytes = options.max_record_bytes;
  sample.ignore_corrupt_files = options.ignore_corrupt_files;
  sample.temporal = reader.temporal;
  return sample;
}

std::string ChangeList(const std::vector<SchemaChange>& changes) {
  std::string out;
  for (const SchemaChange& change : changes) {
    if (!out.empty()) out += ", ";
    out += FieldPathString(change.path);
    if (change.kind == SchemaChange::Kind::kAdded) {
      out += " " + change.to->TypeName();
    } else {
      out += fmt::format(" {} -> {}", change.from->TypeName(), change.to->TypeName());
    }
  }
  return out;
}

// --- Merging a batch's file schema into the table's. -------------------------------------

struct MergeContext {
  const std::string& table_dir;
  std::vector<TypeWidening> widenings;
};

Result<DataTypePtr> MergeType(const DataTypePtr& table, const DataTypePtr& batch, FieldPath& path,
                              MergeContext& context);

Result<std::vector<Field>> MergeFields(const std::vector<Field>& table, const std::vector<Field>& batch,
                                       const std::string& rescued_column, FieldPath& path,
                                       MergeContext& context) {
  std::vector<Field> merged = table;
  // New top-level fields go before a trailing rescued column, so it stays last.
  size_t insert_at = merged.size();
  if (!rescued_column.empty() && !merged.empty() && merged.back().name == rescued_column) --insert_at;
  for (const Field& field : batch) {
    const Field* existing = FindFieldAnyCase(table, field.name);
    if (existing == nullptr) {
      merged.insert(merged.begin() + static_cast<std::ptrdiff_t>(insert_at++), field);
      continue;
    }
    path.push_back(existing->name);
    INLET_ASSIGN_OR_RAISE(DataTypePtr type, MergeType(existing->type, field.type, path, context));
    path.pop_back();
    merged[static_cast<size_t>(FindFieldIndexAnyCase(merged, existing->name))].type = type;
  }
  return merged;
}

Result<DataTypePtr> MergeType(const DataTypePtr& table, const DataTypePtr& batch, FieldPath& path,
                              MergeContext& context) {
  if (*table == *batch) return table;
  if (table->kind == TypeKind::kStruct && batch->kind == TypeKind::kStruct) {
    INLET_ASSIGN_OR_RAISE(auto fields, MergeFields(table->fields, batch->fields, "", path, context));
    return DataType::Struct(std::move(fields));
  }
  if (table->kind == TypeKind::kArray && batch->kind == TypeKind::kArray) {
    path.push_back("element");
    INLET_ASSIGN_OR_RAISE(auto element, MergeType(table->element, batch->element, path, context));
    path.pop_back();
    return DataType::Array(element, table->contains_null);
  }
  if (table->kind == TypeKind::kMap && batch->kind == TypeKind::kMap) {
    path.push_back("key");
    INLET_ASSIGN_OR_RAISE(auto key, MergeType(table->key, batch->key, path, context));
    path.back() = "value";
    INLET_ASSIGN_OR_RAISE(auto value, MergeType(table->value, batch->value, path, context));
    path.pop_back();
    return DataType::Map(key, value, table->value_contains_null);
  }
  if (IsDeltaTypeWidening(*table, *batch)) {
    context.widenings.push_back(TypeWidening{path, batch});
    return table;  // widened below, with its delta.typeChanges record
  }
  return Status::Invalid(fmt::format(
      "column {} is {} in table '{}' but {} in the stream's schema; Delta cannot change {} to {} "
      "(its typeWidening feature allows byte -> short -> int -> long, float -> double, "
      "byte/short/int -> double and wider decimals). Keep the table's type (schema hints, --schema) "
      "or load into a new table",
      FieldPathString(path), table->TypeName(), context.table_dir, batch->TypeName(), table->TypeName(),
      batch->TypeName()));
}

}  // namespace

Schema StreamReadSchema::FileSchema() const {
  Schema schema = data_schema;
  if (!corrupt_column.empty()) schema.fields.push_back(Field{corrupt_column, DataType::String(), true, "{}"});
  if (!rescued_column.empty()) schema.fields.push_back(Field{rescued_column, DataType::String(), true, "{}"});
  return schema;
}

Result<Schema> MergeIntoTableSchema(const Schema& table_schema, const Schema& file_schema,
                                    const std::string& rescued_column, const std::string& table_dir,
                                    bool* widened) {
  MergeContext context{table_dir, {}};
  FieldPath path;
  INLET_ASSIGN_OR_RAISE(auto fields,
                        MergeFields(table_schema.fields, file_schema.fields, rescued_column, path, context));
  Schema merged{std::move(fields)};
  *widened = !context.widenings.empty();
  if (!*widened) return merged;
  INLET_ASSIGN_OR_RAISE(SchemaEvolution evolution, ApplyWidenings(merged, context.widenings));
  return evolution.schema;
}

Status CheckSchemaOptionsReadable(const IngestOptions& options) {
  INLET_ASSIGN_OR_RAISE(const ReaderOptions reader, CompileReaderOptions(options));
  if (options.schema_ddl) {
    INLET_ASSIGN_OR_RAISE(Schema user, ParseDdlSchema(*options.schema_ddl));
    Status readable = reader.format->CheckReadableSchema(user);
    if (!readable.ok()) return Status::Invalid("--schema: ", readable.message());
  }
  INLET_ASSIGN_OR_RAISE(auto hints, ParseSchemaHints(options.schema_hints));
  for (const SchemaHint& hint : hints) {
    Schema alone{{Field{FieldPathString(hint.path), hint.type, true, "{}"}}};
    Status readable = reader.format->CheckReadableSchema(alone);
    if (!readable.ok()) {
      return Status::Invalid(fmt::format(
          "cloudFiles.schemaHints: the hint '{}' cannot be used: {}. Nothing was written; change or remove "
          "the hint",
          hint.text, readable.message()));
    }
  }
  return Status::OK();
}

Result<std::unique_ptr<StreamSchema>> StreamSchema::Open(const IngestOptions& options) {
  std::unique_ptr<StreamSchema> stream(new StreamSchema(options));
  INLET_ASSIGN_OR_RAISE(stream->reader_, CompileReaderOptions(options));
  stream->mode_ = options.EffectiveEvolutionMode();
  INLET_ASSIGN_OR_RAISE(stream->hints_, ParseSchemaHints(options.schema_hints));
  const std::string mode_name(SchemaEvolutionModeName(stream->mode_));
  if (!options.schema_location) {
    if (!options.schema_ddl) {
      return Status::Invalid(
          "no schema to read with: set --option cloudFiles.schemaLocation=DIR (inlet infers the schema "
          "and keeps its versions there) or give --schema");
    }
    if (IsAddMode(stream->mode_)) {
      return Status::Invalid(fmt::format(
          "cloudFiles.schemaEvolutionMode={} writes new schema versions: set --option "
          "cloudFiles.schemaLocation=DIR",
          mode_name));
    }
  }
  if (options.schema_location) {
    INLET_ASSIGN_OR_RAISE(auto repository, SchemaRepository::Open(*options.schema_location));
    stream->repository_ = std::move(repository);
  }
  return stream;
}

Result<bool> StreamSchema::NeedsFilesToResolve() const {
  if (resolved_ || options_.schema_ddl) return false;
  if (!repository_) return true;
  INLET_ASSIGN_OR_RAISE(auto versions, repository_->ListVersions());
  return versions.empty();
}

bool StreamSchema::stops_on_new_fields() const {
  return IsAddMode(mode_) || mode_ == SchemaEvolutionMode::kFailOnNewColumns;
}

std::string StreamSchema::RescuedColumnName(bool from_user_schema) const {
  if (options_.rescued_data_column) return *options_.rescued_data_column;
  // Auto Loader adds the column to inferred schemas; a user schema or `none` gets it only
  // when asked for by name.
  if (from_user_schema || mode_ == SchemaEvolutionMode::kNone) return "";
  return kDefaultRescuedColumn;
}

Result<Schema> StreamSchema::BaseSchema(const std::vector<std::string>& candidate_files, bool* inferred,
                                        bool* hints_recorded) {
  *inferred = false;
  *hints_recorded = false;
  if (options_.schema_ddl) {
    INLET_ASSIGN_OR_RAISE(Schema user, ParseDdlSchema(*options_.schema_ddl));
    // Columns an earlier run added to the user's schema stay, in the evolving modes.
    if (newest_ && IsAddMode(mode_)) return AddNewFields(user, newest_->data_schema).schema;
    return user;
  }
  if (newest_) {
    // Hints already applied when the version was written are not applied again: an
    // evolution since (a widening, say) must not be undone by the same hint.
    *hints_recorded = newest_->schema_hints == options_.schema_hints;
    return newest_->data_schema;
  }
  INLET_ASSIGN_OR_RAISE(Schema schema, reader_.format->InferSchema(candidate_files, SampleFor(options_, reader_)));
  *inferred = true;
  return FoldCaseVariants(schema);
}

Result<std::string> StreamSchema::WriteNextVersion(const Schema& schema) {
  const int64_t version = newest_ ? newest_->version + 1 : 0;
  auto written = repository_->Write(version, schema, options_.schema_hints);
  if (!written.ok() && written.status().IsAlreadyExists()) {
    return Status::Invalid(fmt::format(
        "schema version {} in '{}' was written by another run at the same time; re-run", version,
        repository_->schemas_dir()));
  }
  INLET_RETURN_NOT_OK(written.status());
  INLET_ASSIGN_OR_RAISE(newest_, repository_->Read(version));
  return *written;
}

Status StreamSchema::CheckTableCanTake(const Schema& data_schema, const std::string& rescued_column) const {
  if (!table_schema_) return Status::OK();
  StreamReadSchema read{data_schema, rescued_column, options_.corrupt_record_column.value_or(""), -1};
  bool widened = false;
  return MergeIntoTableSchema(*table_schema_, read.FileSchema(), rescued_column, options_.table_dir, &widened)
      .status();
}

// The columns the reader fills itself must not be data columns, nor each other.
Status StreamSchema::CheckReaderColumns(const Schema& data_schema, const StreamReadSchema& read) const {
  if (!read.rescued_column.empty() && FindFieldAnyCase(data_schema.fields, read.rescued_column) != nullptr) {
    return Status::Invalid(fmt::format(
        "the rescued data column '{}' is also a column of the schema; pick another name with "
        "--option rescuedDataColumn=NAME",
        read.rescued_column));
  }
  if (read.corrupt_column.empty()) return Status::OK();
  if (FindFieldAnyCase(data_schema.fields, read.corrupt_column) != nullptr) {
    return Status::Invalid(fmt::format(
        "the corrupt record column '{}' is also a column of the schema; pick another name with "
        "--option columnNameOfCorruptRecord=NAME",
        read.corrupt_column));
  }
  if (EqualsIgnoreCase(read.corrupt_column, read.rescued_column)) {
    return Status::Invalid(fmt::format(
        "columnNameOfCorruptRecord and rescuedDataColumn are both '{}'; they must differ", read.corrupt_column));
  }
  return Status::OK();
}

// A schema the reader cannot read is never recorded. The newest version may still be one,
// written by an older inlet that did not check: no batch can have loaded with it (every
// read fails), so removing it is safe, and the message says so.
Status StreamSchema::CheckReadable(const Schema& schema) const {
  Status readable = reader_.format->CheckReadableSchema(schema);
  if (readable.ok()) return readable;
  if (newest_ && schema == newest_->data_schema) {
    const std::string then = newest_->version == 0 ? "the stream infers its schema again"
                                                   : fmt::format("the stream goes back to version {}",
                                                                 newest_->version - 1);
    const std::string hints =
        newest_->schema_hints.empty() ? "" : fmt::format(" (recorded with cloudFiles.schemaHints '{}')",
                                                          newest_->schema_hints);
    return Status::Invalid(fmt::format(
        "schema version {} in '{}'{} cannot be read: {}. An older inlet recorded it without checking; no "
        "batch was loaded with it. To recover, delete '{}' ({}), then run again without the hint or "
        "--schema that made it",
        newest_->version, newest_->path, hints, readable.message(), newest_->path, then));
  }
  if (!hints_.empty()) {
    return Status::Invalid(fmt::format(
        "the schema that cloudFiles.schemaHints '{}' make cannot be read: {}. Nothing was written; change "
        "the hints",
        options_.schema_hints, readable.message()));
  }
  return Status::Invalid(fmt::format("the stream's schema cannot be read: {}", readable.message()));
}

// The read schema for `schema` (hints applied), once the checks every schema must pass
// did: the reader's own columns, and the table's.
Result<StreamReadSchema> StreamSchema::ReadSchemaFor(const Schema& schema, bool from_user_schema) const {
  if (schema.fields.empty()) {
    return Status::Invalid(fmt::format(
        "cannot infer a schema: the first files of '{}' hold no JSON records; give one with --schema "
        "or cloudFiles.schemaHints",
        options_.source_pattern));
  }
  StreamReadSchema read;
  read.rescued_column = RescuedColumnName(from_user_schema);
  read.corrupt_column = options_.corrupt_record_column.value_or("");
  INLET_RETURN_NOT_OK(CheckReadable(schema));
  INLET_RETURN_NOT_OK(CheckReaderColumns(schema, read));
  INLET_RETURN_NOT_OK(CheckTableCanTake(schema, read.rescued_column));
  read.data_schema = schema;
  return read;
}

// The stream reads with `schema` from now on; recorded as the next version when new.
Result<StreamReadSchema> StreamSchema::Settle(Schema schema, bool from_user_schema) {
  INLET_ASSIGN_OR_RAISE(StreamReadSchema read, ReadSchemaFor(schema, from_user_schema));
  if (repository_ && (!newest_ || schema != newest_->data_schema)) {
    INLET_RETURN_NOT_OK(WriteNextVersion(schema).status());
  }
  read.version = newest_ ? newest_->version : -1;
  resolved_ = read;
  return read;
}

// Whether the stream's first schema can be a guess checked by the first batch's read: it
// must be inferred, hints would type columns apart from what the records hold, and a guess
// the checks cannot cover (case variants folded, or one the reader or table refuse) is left
// to inference proper, which then gives the same answer (or error) as without a guess.
// prefersDecimal and dropFieldIfAllNull too: a value that fits a guessed decimal can still
// widen it (5 in decimal(4,2) makes decimal(22,2)), which the reader's checks do not flag.
Result<bool> StreamSchema::TryGuess(const std::vector<std::string>& candidate_files, size_t first_batch_files) {
  if (!options_.one_pass_inference || options_.schema_ddl || newest_ || !hints_.empty() || first_batch_files == 0) {
    return false;
  }
  INLET_ASSIGN_OR_RAISE(auto guess,
                        reader_.format->Guess(candidate_files, SampleFor(options_, reader_), first_batch_files));
  if (!guess || FoldCaseVariants(guess->schema()) != guess->schema()) return false;
  auto read = ReadSchemaFor(guess->schema(), /*from_user_schema=*/false);
  if (!read.ok()) return false;
  guess_ = std::move(guess);
  resolved_ = std::move(*read);
  return true;
}

Result<StreamReadSchema> StreamSchema::Resolve(const std::vector<std::string>& candidate_files,
                                               const std::optional<Schema>& table_schema, size_t first_batch_files) {
  if (resolved_) return *resolved_;
  table_schema_ = table_schema;
  if (repository_) {
    INLET_ASSIGN_OR_RAISE(newest_, repository_->Latest());
  }
  INLET_ASSIGN_OR_RAISE(bool guessed, TryGuess(candidate_files, first_batch_files));
  if (guessed) return *resolved_;
  bool inferred = false, hints_recorded = false;
  INLET_ASSIGN_OR_RAISE(Schema base, BaseSchema(candidate_files, &inferred, &hints_recorded));
  INLET_ASSIGN_OR_RAISE(Schema schema, hints_recorded ? base : ApplySchemaHints(base, hints_));
  return Settle(std::move(schema), options_.schema_ddl.has_value());
}

Result<bool> StreamSchema::SettleGuess(bool refuted, const std::vector<DataTypePtr>& folded,
                                       const std::vector<std::string>& unchecked_files) {
  if (!guess_) return Status::Invalid("SettleGuess without a guess");
  const std::shared_ptr<const formats::InferenceGuess> guess = std::move(guess_);
  Schema inferred = guess->schema();
  if (refuted || !unchecked_files.empty() || !guess->Holds(folded)) {
    INLET_ASSIGN_OR_RAISE(inferred, guess->InferAfterRefuted(folded, unchecked_files));
  }
  const bool held = !refuted && inferred == guess->schema();
  INLET_RETURN_NOT_OK(Settle(FoldCaseVariants(inferred), /*from_user_schema=*/false).status());
  MaybeCrashAt("after_schema_version");
  return held;
}

Status StreamSchema::HandleDrift(const ObservedDrift& drift) {
  if (!resolved_) return Status::Invalid("HandleDrift before Resolve");
  const Schema& current = resolved_->data_schema;
  SchemaEvolution evolution{current, {}};
  if (!drift.first_new_field.empty()) {
    // Every drifted file, whole: the sample limits are for a stream's first schema.
    formats::SampleOptions inference = SampleFor(options_, reader_);
    inference.max_files = static_cast<int64_t>(drift.files.size());
    inference.max_bytes = std::numeric_limits<int64_t>::max();
    INLET_ASSIGN_OR_RAISE(Schema observed, reader_.format->InferSchema(drift.files, inference));
    evolution = AddNewFields(current, FoldCaseVariants(observed));
    // Hints type the new fields too; they go before widenings, which they must not undo.
    INLET_ASSIGN_OR_RAISE(evolution.schema, ApplySchemaHints(evolution.schema, hints_));
  }
  if (!drift.widenings.empty()) {
    INLET_ASSIGN_OR_RAISE(SchemaEvolution widened, ApplyWidenings(evolution.schema, drift.widenings));
    evolution.schema = std::move(widened.schema);
    evolution.changes.insert(evolution.changes.end(), widened.changes.begin(), widened.changes.end());
  }
  if (evolution.changes.empty()) return Status::OK();
  const Schema& evolved = evolution.schema;

  const std::string where =
      drift.first_line > 0 ? fmt::format("{}:{}", drift.first_file, drift.first_line) : drift.first_file;
  std::string found = fmt::format("Encountered {} during parsing: [{}] (first in {})",
                                  drift.first_new_field.empty() ? "values needing wider types" : "unknown fields",
                                  ChangeList(evolution.changes), where);
  if (mode_ == SchemaEvolutionMode::kFailOnNewColumns) {
    return SchemaChangeError(found +
                             ". The schema is unchanged (cloudFiles.schemaEvolutionMode=failOnNewColumns): "
                             "add the fields with cloudFiles.schemaHints or --schema, or remove the file.");
  }
  INLET_RETURN_NOT_OK(CheckReadable(evolved));
  INLET_RETURN_NOT_OK(CheckTableCanTake(evolved, resolved_->rescued_column));
  INLET_ASSIGN_OR_RAISE(std::string path, WriteNextVersion(evolved));
  MaybeCrashAt("after_schema_version");
  return SchemaChangeError(fmt::format(
      "{}. Schema version {} was written to {}; nothing of this batch was committed. Re-run to load "
      "these files with the new schema.",
      found, newest_->version, path));
}

}  // namespace inlet::stream
