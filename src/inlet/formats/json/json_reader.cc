// ReadJsonFile: drives line splitting (or the whole multiLine document) through simdjson
// into the RecordConverter, emitting a batch every batch_rows rows, handling malformed
// records by mode, and stopping quietly at a record with a new field when asked to.
#include "inlet/formats/json/json_reader.h"

#include "inlet/formats/json/json_convert.h"
#include "inlet/formats/json/json_file_read.h"

namespace inlet::json {

using file_read::FileRead;

Status ReadJsonFile(const std::string& path, const Schema& schema, const JsonReadOptions& options,
                    const BatchSink& sink, ParseCounts* counts) {
  if (options.batch_rows <= 0) {
    return Status::Invalid("JSON read of ", path, ": batch_rows must be positive, got ", options.batch_rows);
  }
  INLET_RETURN_NOT_OK(CheckSimdjsonLinkage());
  if (options.multi_line && (options.range_begin != 0 || options.range_end >= 0)) {
    return Status::Invalid("JSON read of ", path, ": a multiLine file cannot be read by byte range");
  }
  if (options.multi_line && options.inference_check != nullptr) {
    return Status::Invalid("JSON read of ", path, ": an inference guess is checked on NDJSON only");
  }
  ParseCounts local;
  INLET_ASSIGN_OR_RAISE(auto converter, RecordConverter::Make(schema, options, path));
  FileRead read(path, options, *converter, sink, &local);
  Status status = options.multi_line ? read.ReadMultiLine() : read.ReadLines();
  if (counts != nullptr) {
    local.type_mismatches = converter->type_mismatches();
    local.rescued_records = converter->rescued_records();
    converter->CollectWidenings(&local.widenings);
    formats::MergeReadCounts(local, counts);
    if (local.new_field_line != 0) {
      counts->new_field_line = local.new_field_line;
      counts->new_field_path = std::move(local.new_field_path);
    }
    if (local.guess_refuted_line != 0) counts->guess_refuted_line = local.guess_refuted_line;
    counts->source_unreadable = counts->source_unreadable || local.source_unreadable;
  }
  return status;
}

Status CheckReadableSchema(const Schema& schema) {
  // The converter is the one judge of what the reader reads; column by column, so the
  // answer can name the column.
  JsonReadOptions options;
  options.batch_rows = 1;
  for (const Field& field : schema.fields) {
    auto converter = RecordConverter::Make(Schema{{field}}, options, "");
    if (!converter.ok()) {
      return Status::Invalid("column ", field.name, " (", field.type->TypeName(),
                             ") cannot be read from JSON: ", converter.status().message());
    }
  }
  return Status::OK();
}

}  // namespace inlet::json
