// ReadJsonFile: drives line splitting (or the whole multiLine document) through simdjson
// into the RecordConverter, emitting a batch every batch_rows rows, and stopping quietly
// at a record with a new field when asked to.
#include "inlet/formats/json/json_reader.h"

#include <arrow/record_batch.h>

#include "inlet/formats/json/json_convert.h"
#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_rescue.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

namespace {

const char* JsonTypeName(ondemand::json_type type) {
  switch (type) {
    case ondemand::json_type::array:
      return "an array";
    case ondemand::json_type::object:
      return "an object";
    case ondemand::json_type::number:
      return "a number";
    case ondemand::json_type::string:
      return "a string";
    case ondemand::json_type::boolean:
      return "a boolean";
    case ondemand::json_type::null:
      return "null";
  }
  return "a value";
}

// Why a record failed: `not_object` is set when it parsed but was not an object.
struct RecordFailure {
  error_code error = simdjson::SUCCESS;
  bool not_object = false;
  ondemand::json_type found = ondemand::json_type::null;
};

Status RecordError(const std::string& path, int64_t line, const RecordFailure& failure,
                   const RecordConverter& converter) {
  if (failure.error == simdjson::MEMALLOC && !converter.builder_status().ok()) {
    return converter.builder_status().WithMessage(path, ":", line, ": ",
                                                  converter.builder_status().message());
  }
  if (failure.not_object) {
    return Status::Invalid(path, ":", line, ": record is not a JSON object (found ",
                           JsonTypeName(failure.found), ")");
  }
  if (failure.error == simdjson::TRAILING_CONTENT) {
    return Status::Invalid(path, ":", line, ": unexpected content after the record's object");
  }
  return Status::Invalid(path, ":", line, ": invalid JSON: ", simdjson::error_message(failure.error));
}

// One record that is a whole document (an NDJSON line, or a multiLine file holding one
// object): must be an object with nothing after it.
RecordFailure AppendDocumentRecord(ondemand::document& doc, RecordConverter& converter) {
  RecordFailure failure;
  ondemand::json_type type;
  if ((failure.error = doc.type().get(type))) return failure;
  if (type != ondemand::json_type::object) {
    failure.error = simdjson::INCORRECT_TYPE;
    failure.not_object = true;
    failure.found = type;
    return failure;
  }
  ondemand::object object;
  if ((failure.error = doc.get_object().get(object))) return failure;
  if ((failure.error = converter.AppendRecord(object))) return failure;  // may be kNewField
  // Once the object is consumed the iterator must be past the end of the document.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) failure.error = simdjson::TRAILING_CONTENT;
  return failure;
}

// stop_on_new_fields met a new field in record `line`: nothing more comes from this file.
Status StopAtNewField(int64_t line, const RecordConverter& converter, ParseCounts* counts) {
  counts->new_field_line = line;
  counts->new_field_path = converter.new_field_path();
  return Status::OK();
}

Status EmitBatch(RecordConverter& converter, const BatchSink& sink) {
  INLET_ASSIGN_OR_RAISE(auto batch, converter.Flush());
  return sink(std::move(batch));
}

// Bytes a read accounts for: the whole file, or its range (a ranged reader reads on to
// the end of its last line, which the next range accounts for).
int64_t AccountedBytes(const JsonReadOptions& options, const NdjsonLineReader& reader) {
  if (options.range_end >= 0) return std::max<int64_t>(0, options.range_end - options.range_begin);
  // To the end: a ranged reader started one byte early, at the byte before its range.
  return options.range_begin > 0 ? std::max<int64_t>(0, reader.bytes_read() - 1) : reader.bytes_read();
}

Status ReadLines(const std::string& path, const JsonReadOptions& options, RecordConverter& converter,
                 const BatchSink& sink, ParseCounts* counts) {
  NdjsonLineReader reader;
  INLET_RETURN_NOT_OK(reader.Open(path, NdjsonLineReader::kDefaultChunk, options.range_begin, options.range_end));
  ondemand::parser parser;  // reused: its buffers grow to the longest line once
  JsonLine line;
  Status status;
  while (true) {
    auto next = reader.Next(&line);
    if (!next.ok()) {
      status = next.status();
      break;
    }
    if (!*next) break;
    ondemand::document doc;
    RecordFailure failure;
    failure.error = parser.iterate(line.data, line.size, line.capacity).get(doc);
    if (!failure.error) failure = AppendDocumentRecord(doc, converter);
    if (failure.error == RecordConverter::kNewField) {
      counts->bytes += AccountedBytes(options, reader);
      INLET_ASSIGN_OR_RAISE(int64_t file_line, reader.FileLineNumber(line.number));
      return StopAtNewField(file_line, converter, counts);
    }
    if (failure.error) {
      INLET_ASSIGN_OR_RAISE(int64_t file_line, reader.FileLineNumber(line.number));
      status = RecordError(path, file_line, failure, converter);
      break;
    }
    ++counts->records;
    if (converter.num_rows() >= options.batch_rows) {
      status = EmitBatch(converter, sink);
      if (!status.ok()) break;
    }
  }
  counts->bytes += AccountedBytes(options, reader);
  INLET_RETURN_NOT_OK(status);
  if (converter.num_rows() > 0) return EmitBatch(converter, sink);
  return Status::OK();
}

Status ReadMultiLine(const std::string& path, const JsonReadOptions& options, RecordConverter& converter,
                     const BatchSink& sink, ParseCounts* counts) {
  INLET_ASSIGN_OR_RAISE(simdjson::padded_string text, ReadPaddedFile(path));
  counts->bytes += static_cast<int64_t>(text.size());
  const std::string_view view(text.data(), text.size());
  ondemand::parser parser;
  ondemand::document doc;
  RecordFailure failure;
  failure.error = parser.iterate(text).get(doc);
  if (failure.error == simdjson::EMPTY) return Status::OK();  // whitespace only: no records
  // Where an error is reported: the iterator's position, else the end of the file.
  auto error_line = [&]() {
    const char* at = nullptr;
    if (doc.current_location().get(at) != simdjson::SUCCESS) return LineOfOffset(view, view.size());
    return LineOfOffset(view, static_cast<size_t>(at - text.data()));
  };
  if (failure.error) return RecordError(path, 1, failure, converter);

  ondemand::json_type type;
  if ((failure.error = doc.type().get(type))) return RecordError(path, error_line(), failure, converter);
  if (type != ondemand::json_type::array) {
    failure = AppendDocumentRecord(doc, converter);
    if (failure.error == RecordConverter::kNewField) return StopAtNewField(1, converter, counts);
    if (failure.error) return RecordError(path, error_line(), failure, converter);
    ++counts->records;
    return EmitBatch(converter, sink);
  }
  ondemand::array records;
  if ((failure.error = doc.get_array().get(records))) {
    return RecordError(path, error_line(), failure, converter);
  }
  for (auto element : records) {
    ondemand::object object;
    ondemand::json_type element_type = ondemand::json_type::null;
    failure.error = element.error();
    if (!failure.error) failure.error = element.type().get(element_type);
    if (!failure.error && element_type != ondemand::json_type::object) {
      failure.error = simdjson::INCORRECT_TYPE;
      failure.not_object = true;
      failure.found = element_type;
    }
    if (!failure.error) failure.error = element.get_object().get(object);
    if (!failure.error) failure.error = converter.AppendRecord(object);
    if (failure.error == RecordConverter::kNewField)
      return StopAtNewField(counts->records + 1, converter, counts);
    if (failure.error) return RecordError(path, error_line(), failure, converter);
    ++counts->records;
    if (converter.num_rows() >= options.batch_rows) INLET_RETURN_NOT_OK(EmitBatch(converter, sink));
  }
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    failure.error = simdjson::TRAILING_CONTENT;
    return Status::Invalid(path, ":", error_line(), ": unexpected content after the top-level array");
  }
  if (converter.num_rows() > 0) return EmitBatch(converter, sink);
  return Status::OK();
}

}  // namespace

Status ReadJsonFile(const std::string& path, const Schema& schema, const JsonReadOptions& options,
                    const BatchSink& sink, ParseCounts* counts) {
  if (options.batch_rows <= 0) {
    return Status::Invalid("JSON read of ", path, ": batch_rows must be positive, got ", options.batch_rows);
  }
  INLET_RETURN_NOT_OK(CheckSimdjsonLinkage());
  if (options.multi_line && (options.range_begin != 0 || options.range_end >= 0)) {
    return Status::Invalid("JSON read of ", path, ": a multiLine file cannot be read by byte range");
  }
  ParseCounts local;
  INLET_ASSIGN_OR_RAISE(auto converter, RecordConverter::Make(schema, options, path));
  Status status = options.multi_line ? ReadMultiLine(path, options, *converter, sink, &local)
                                     : ReadLines(path, options, *converter, sink, &local);
  if (counts != nullptr) {
    local.type_mismatches = converter->type_mismatches();
    local.rescued_records = converter->rescued_records();
    converter->CollectWidenings(&local.widenings);
    MergeParseCounts(local, counts);
    if (local.new_field_line != 0) {
      counts->new_field_line = local.new_field_line;
      counts->new_field_path = std::move(local.new_field_path);
    }
  }
  return status;
}

void MergeParseCounts(const ParseCounts& from, ParseCounts* into) {
  into->records += from.records;
  into->bytes += from.bytes;
  into->type_mismatches += from.type_mismatches;
  into->rescued_records += from.rescued_records;
  for (const TypeWidening& widening : from.widenings) MergeWidening(widening.path, widening.to, &into->widenings);
}

}  // namespace inlet::json
