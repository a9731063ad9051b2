// ReadCsvFile: records to Arrow batches under the stream's schema. Two regimes, as the
// options pick them:
//  - Spark's (no rescued data column): values are read by position; a record with another
//    number of values than the schema has columns, or a value that does not convert, is
//    malformed (PERMISSIVE keeps what converted, with the record in the corrupt column).
//  - Auto Loader's (a rescued data column): what does not fit is rescued instead, as JSON
//    under its header name: a value that does not convert, values beyond the schema, and a
//    value whose header names another column than the schema's at that position (case or
//    order); only a record the tokenizer cannot read is malformed.
#include <arrow/builder.h>
#include <arrow/record_batch.h>

#include <fmt/format.h>

#include "inlet/formats/csv/csv_format.h"
#include "inlet/formats/csv/csv_header.h"
#include "inlet/formats/csv/csv_records.h"
#include "inlet/formats/csv/csv_values.h"
#include "inlet/formats/json/json_rescue.h"
#include "inlet/schema/arrow_convert.h"
#include "inlet/util/strings.h"

namespace inlet::csv {
namespace {

using json::AppendJsonString;  // rescued data is JSON text, escaped as the JSON reader escapes it

// One column of the schema the file's values go to.
struct Column {
  const Field* field = nullptr;
  std::unique_ptr<arrow::ArrayBuilder> builder;
};

// Where the value at a position of the file's records goes.
struct Target {
  int column = -1;          // a data column, or -1
  std::string rescue_key;   // rescued under this name when it does not go to a column (or does not fit)
};

class CsvConverter {
 public:
  CsvConverter(const std::string& path, const CsvOptions& csv, const formats::ReadOptions& options,
               const formats::BatchSink& sink, formats::ReadCounts* counts, CsvRecordReader* reader)
      : path_(path), csv_(csv), options_(options), sink_(sink), counts_(counts), reader_(reader) {}

  Status Init(const Schema& schema);
  // The targets of each position, from the file's header names (empty without a header).
  // Sets *new_field when a header name is no column and reading must stop at it.
  Status MapPositions(const std::vector<std::string>& header, bool* new_field);
  Status Add(const CsvRecord& record);
  Status Flush();

 private:
  // Converts `text` for column `c` and appends it (null when it does not convert), or with
  // `append` false only converts; false when it does not convert (a type mismatch).
  bool AppendValue(Column& c, std::string_view text, bool null, bool append = true);
  // The first value of a by-position record that does not convert, as a reason; "" if none.
  std::string FirstMismatch(const CsvRecord& record);
  void NoteWidening(const Column& column, std::string_view text);
  Status Malformed(const CsvRecord& record, const std::string& reason);
  void AppendRescued(const std::string& rescued);

  std::string display_path() const { return options_.file_path.empty() ? path_ : options_.file_path; }

  const std::string& path_;
  const CsvOptions& csv_;
  const formats::ReadOptions& options_;
  const formats::BatchSink& sink_;
  formats::ReadCounts* counts_;
  CsvRecordReader* reader_;  // for the file's line number of a record in a range
  std::shared_ptr<arrow::Schema> arrow_schema_;
  std::vector<Column> all_;      // every column of the schema, in its order
  std::vector<int> data_;        // indexes into all_ of the columns values go to
  int rescued_ = -1;
  int corrupt_ = -1;
  std::vector<Target> targets_;  // by position; positions past it: rescued as _cN (or dropped)
  std::string file_path_json_;
  int64_t rows_ = 0;
  int64_t text_bytes_ = 0;
  std::unique_ptr<Column> scratch_;  // AppendValue without appending
  std::vector<bool> filled_;          // Add: the columns the record's values went to
};

Status CsvConverter::Init(const Schema& schema) {
  INLET_ASSIGN_OR_RAISE(arrow_schema_, ToArrowSchema(schema));
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    Column column;
    column.field = &schema.fields[i];
    INLET_ASSIGN_OR_RAISE(column.builder, arrow::MakeBuilder(arrow_schema_->field(static_cast<int>(i))->type()));
    const std::string& name = schema.fields[i].name;
    if (name == options_.rescued_data_column) {
      rescued_ = static_cast<int>(i);
    } else if (name == options_.corrupt_record_column) {
      corrupt_ = static_cast<int>(i);
    } else {
      data_.push_back(static_cast<int>(i));
    }
    all_.push_back(std::move(column));
  }
  if (!options_.rescued_data_column.empty() && rescued_ < 0) {
    return Status::Invalid("rescued data column '", options_.rescued_data_column, "' is not a column of the schema");
  }
  if (!options_.corrupt_record_column.empty() && corrupt_ < 0) {
    return Status::Invalid("corrupt record column '", options_.corrupt_record_column,
                           "' is not a top-level column of the schema");
  }
  // Spark writes "_file_path" as a URI: an absolute local path becomes file:/path.
  const std::string file_path = display_path();
  AppendJsonString(file_path.starts_with('/') ? "file:" + file_path : file_path, &file_path_json_);
  return MapPositions({}, nullptr);
}

bool NameMatches(std::string_view header, std::string_view column, bool case_sensitive) {
  return case_sensitive ? header == column : EqualsIgnoreCase(header, column);
}

Status CsvConverter::MapPositions(const std::vector<std::string>& header, bool* new_field) {
  targets_.clear();
  const size_t positions = std::max(header.size(), data_.size());
  for (size_t i = 0; i < positions; ++i) {
    Target target;
    target.rescue_key = i < header.size() ? header[i] : fmt::format("_c{}", i);
    const bool has_column = i < data_.size();
    if (header.empty() || rescued_ < 0) {
      // By position: Spark's enforceSchema (the names were checked before, without it).
      if (has_column) target.column = data_[i];
    } else if (has_column && i < header.size() && NameMatches(header[i], all_[data_[i]].field->name, options_.case_sensitive)) {
      target.column = data_[i];
    }
    if (new_field != nullptr && i < header.size() && options_.stop_on_new_fields) {
      bool known = false;
      for (int c : data_) known = known || EqualsIgnoreCase(all_[c].field->name, header[i]);
      if (!known) {
        counts_->new_field_line = 1;
        counts_->new_field_path = FieldPath{header[i]};
        *new_field = true;
        return Status::OK();
      }
    }
    targets_.push_back(std::move(target));
  }
  return Status::OK();
}

bool CsvConverter::AppendValue(Column& c, std::string_view text, bool null, bool append) {
  arrow::ArrayBuilder* b = c.builder.get();
  if (null || text == csv_.null_value) {
    if (append) (void)b->AppendNull();
    return true;
  }
  if (!append) {
    // A conversion without a builder: a scratch one of the same type keeps one code path.
    if (!scratch_) scratch_ = std::make_unique<Column>();
    scratch_->field = c.field;
    if (!scratch_->builder || !scratch_->builder->type()->Equals(*c.builder->type())) {
      auto made = arrow::MakeBuilder(c.builder->type());
      if (!made.ok()) return false;
      scratch_->builder = std::move(*made);
    }
    const bool ok = AppendValue(*scratch_, text, false, true);
    scratch_->builder->Reset();
    return ok;
  }
  const DataType& type = *c.field->type;
  auto int_in = [&](int64_t lo, int64_t hi) { return ParseJavaInteger(text, lo, hi); };
  switch (type.kind) {
    case TypeKind::kString:
      (void)static_cast<arrow::StringBuilder*>(b)->Append(text);
      return true;
    case TypeKind::kLong:
      if (auto v = int_in(INT64_MIN, INT64_MAX)) return static_cast<arrow::Int64Builder*>(b)->Append(*v).ok();
      break;
    case TypeKind::kInteger:
      if (auto v = int_in(INT32_MIN, INT32_MAX)) {
        return static_cast<arrow::Int32Builder*>(b)->Append(static_cast<int32_t>(*v)).ok();
      }
      break;
    case TypeKind::kShort:
      if (auto v = int_in(INT16_MIN, INT16_MAX)) {
        return static_cast<arrow::Int16Builder*>(b)->Append(static_cast<int16_t>(*v)).ok();
      }
      break;
    case TypeKind::kByte:
      if (auto v = int_in(INT8_MIN, INT8_MAX)) return static_cast<arrow::Int8Builder*>(b)->Append(static_cast<int8_t>(*v)).ok();
      break;
    case TypeKind::kDouble:
    case TypeKind::kFloat: {
      std::optional<double> v;
      if (text == csv_.nan_value) {
        v = std::numeric_limits<double>::quiet_NaN();
      } else if (text == csv_.positive_inf) {
        v = std::numeric_limits<double>::infinity();
      } else if (text == csv_.negative_inf) {
        v = -std::numeric_limits<double>::infinity();
      } else if (type.kind == TypeKind::kDouble) {
        v = ParseJavaDouble(text);
      } else if (auto f = ParseJavaFloat(text)) {
        v = *f;
      }
      if (!v) break;
      if (type.kind == TypeKind::kDouble) return static_cast<arrow::DoubleBuilder*>(b)->Append(*v).ok();
      return static_cast<arrow::FloatBuilder*>(b)->Append(static_cast<float>(*v)).ok();
    }
    case TypeKind::kBoolean:
      if (auto v = ParseJavaBoolean(text)) return static_cast<arrow::BooleanBuilder*>(b)->Append(*v).ok();
      break;
    case TypeKind::kDecimal:
      if (auto v = ParseJavaDecimal(text, type.precision, type.scale)) {
        return static_cast<arrow::Decimal128Builder*>(b)->Append(*v).ok();
      }
      break;
    case TypeKind::kDate:
      if (auto v = formats::ParseDate(text, options_.temporal)) return static_cast<arrow::Date32Builder*>(b)->Append(*v).ok();
      break;
    case TypeKind::kTimestamp:
      if (auto v = formats::ParseTimestamp(text, options_.temporal)) {
        return static_cast<arrow::TimestampBuilder*>(b)->Append(*v).ok();
      }
      break;
    default:
      break;
  }
  (void)b->AppendNull();
  return false;
}

// addNewColumnsWithTypeWidening: the wider type Delta allows that would have held `text`.
void CsvConverter::NoteWidening(const Column& column, std::string_view text) {
  const TypeKind kind = column.field->type->kind;
  DataTypePtr to;
  if (kind == TypeKind::kByte || kind == TypeKind::kShort || kind == TypeKind::kInteger) {
    if (ParseJavaInteger(text, INT64_MIN, INT64_MAX)) {
      to = DataType::Long();
    } else if (auto d = ParseJavaDouble(text); d && std::isfinite(*d)) {
      to = DataType::Double();
    }
  } else if (kind == TypeKind::kFloat) {
    if (auto d = ParseJavaDouble(text); d && std::isfinite(*d)) to = DataType::Double();
  }
  if (to) MergeWidening(FieldPath{column.field->name}, to, &counts_->widenings);
}

void CsvConverter::AppendRescued(const std::string& rescued) {
  if (rescued_ < 0) return;
  auto* b = static_cast<arrow::StringBuilder*>(all_[rescued_].builder.get());
  if (rescued.empty()) {
    (void)b->AppendNull();
    return;
  }
  ++counts_->rescued_records;
  std::string json = "{" + rescued + ",\"_file_path\":" + file_path_json_ + "}";
  (void)b->Append(json);
}

Status CsvConverter::Malformed(const CsvRecord& record, const std::string& reason) {
  INLET_ASSIGN_OR_RAISE(const int64_t line, reader_->FileLineNumber(record.line));
  if (options_.mode == formats::MalformedRecordMode::kFailFast) {
    return Status::Invalid(display_path(), ":", line, " (byte ", record.offset, "): malformed CSV record: ", reason);
  }
  ++counts_->bad_records;
  if (options_.bad_record_sink) {
    formats::BadRecord bad;
    bad.file_path = display_path();
    bad.line = line;
    bad.byte_offset = record.offset;
    bad.reason = "malformed CSV record: " + reason;
    const size_t cap = static_cast<size_t>(std::max<int64_t>(options_.bad_record_text_bytes, 0));
    bad.raw = std::string(Utf8Prefix(record.text, cap));
    bad.raw_truncated = record.oversized || record.text.size() > cap;
    INLET_RETURN_NOT_OK(options_.bad_record_sink(bad));
  }
  return Status::OK();
}

Status CsvConverter::Add(const CsvRecord& record) {
  ++counts_->records;
  std::string reason = record.oversized ? fmt::format("record is longer than {} bytes", options_.max_record_bytes)
                                        : record.split.error;
  const bool unreadable = !reason.empty();
  if (record.split.fatal) {
    INLET_ASSIGN_OR_RAISE(const int64_t line, reader_->FileLineNumber(record.line));
    return Status::Invalid(display_path(), ":", line, " (byte ", record.offset, "): ", reason,
                           " (unescapedQuoteHandling=RAISE_ERROR)");
  }
  const bool by_position = rescued_ < 0;
  if (!unreadable && by_position && record.values.size() != data_.size()) {
    reason = fmt::format("expected {} values, found {}", data_.size(), record.values.size());
  }
  if (reason.empty() && by_position && options_.mode == formats::MalformedRecordMode::kDropMalformed) {
    reason = FirstMismatch(record);  // a dropped row must leave no value in the builders
  }
  if (!reason.empty() && options_.mode != formats::MalformedRecordMode::kPermissive) {
    return Malformed(record, reason);  // FAILFAST's error, or DROPMALFORMED's dropped row
  }
  std::string rescued;
  std::vector<bool>& filled = filled_;  // reused: no allocation per record
  filled.assign(all_.size(), false);
  if (!unreadable) {
    for (size_t i = 0; i < record.values.size(); ++i) {
      const CsvValue& value = record.values[i];
      const Target* target = i < targets_.size() ? &targets_[i] : nullptr;
      const int c = target != nullptr ? target->column : -1;
      if (c >= 0 && !filled[c]) {
        filled[c] = true;
        if (AppendValue(all_[c], value.text, value.null)) continue;
        ++counts_->type_mismatches;
        if (options_.collect_widenings) NoteWidening(all_[c], value.text);
        if (by_position) {
          if (reason.empty()) {
            reason = fmt::format("value '{}' of column {} does not convert to {}", Utf8Prefix(value.text, 100), all_[c].field->name,
                                 all_[c].field->type->TypeName());
          }
          continue;
        }
      } else if (by_position) {
        continue;  // past the schema: the record is malformed already
      }
      if (value.null || value.text == csv_.null_value) continue;
      rescued += rescued.empty() ? "" : ",";
      AppendJsonString(target != nullptr ? target->rescue_key : fmt::format("_c{}", i), &rescued);
      rescued.push_back(':');
      AppendJsonString(value.text, &rescued);
    }
  }
  for (int c : data_) {
    if (!filled[c]) (void)all_[c].builder->AppendNull();
  }
  if (!reason.empty()) INLET_RETURN_NOT_OK(Malformed(record, reason));  // PERMISSIVE: the row stays
  AppendRescued(rescued);
  if (corrupt_ >= 0) {
    auto* b = static_cast<arrow::StringBuilder*>(all_[corrupt_].builder.get());
    (void)(reason.empty() ? b->AppendNull() : b->Append(record.text));
  }
  ++rows_;
  text_bytes_ += static_cast<int64_t>(record.text.size());
  if (rows_ >= options_.batch_rows || text_bytes_ >= options_.batch_bytes) return Flush();
  return Status::OK();
}

std::string CsvConverter::FirstMismatch(const CsvRecord& record) {
  for (size_t i = 0; i < record.values.size() && i < targets_.size(); ++i) {
    const int c = targets_[i].column;
    const CsvValue& value = record.values[i];
    if (c >= 0 && !AppendValue(all_[c], value.text, value.null, /*append=*/false)) {
      ++counts_->type_mismatches;
      return fmt::format("value '{}' of column {} does not convert to {}", Utf8Prefix(value.text, 100), all_[c].field->name,
                         all_[c].field->type->TypeName());
    }
  }
  return "";
}

Status CsvConverter::Flush() {
  if (rows_ == 0) return Status::OK();
  std::vector<std::shared_ptr<arrow::Array>> arrays;
  for (Column& column : all_) {
    std::shared_ptr<arrow::Array> array;
    INLET_RETURN_NOT_OK(column.builder->Finish(&array));
    arrays.push_back(std::move(array));
  }
  auto batch = arrow::RecordBatch::Make(arrow_schema_, rows_, std::move(arrays));
  counts_->rows += rows_;
  rows_ = 0;
  text_bytes_ = 0;
  return sink_(std::move(batch));
}

}  // namespace
}  // namespace inlet::csv

namespace inlet::csv {

std::vector<std::string> PositionalNames(size_t count) {
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) names.push_back(fmt::format("_c{}", i));
  return names;
}

std::vector<std::string> SafeHeaderNames(const std::vector<CsvValue>& header, const CsvOptions& options) {
  std::vector<std::string> lower;
  for (const CsvValue& value : header) lower.push_back(AsciiLower(value.text));
  std::vector<std::string> names;
  for (size_t i = 0; i < header.size(); ++i) {
    const CsvValue& value = header[i];
    if (value.null || value.text.empty() || value.text == options.null_value) {
      names.push_back(fmt::format("_c{}", i));
      continue;
    }
    size_t seen = 0;
    for (size_t j = 0; j < header.size(); ++j) seen += !header[j].null && lower[j] == lower[i];
    names.push_back(seen > 1 ? fmt::format("{}{}", value.text, i) : std::string(value.text));
  }
  return names;
}

namespace {

struct Header {
  std::vector<std::string> names;
  int64_t offset = -1;  // where the header record starts; -1: the file has none
};

// The header of `path`: its first record (blank and comment lines before it skipped), read
// from the file's start whatever the range.
Result<Header> ReadHeader(const std::string& path, const CsvOptions& csv, int64_t max_record_bytes) {
  CsvRecordReader reader(csv, max_record_bytes);
  INLET_RETURN_NOT_OK(reader.Open(path));
  CsvRecord record;
  INLET_ASSIGN_OR_RAISE(bool found, reader.Next(&record));
  if (!found) return Header{};
  return Header{SafeHeaderNames(record.values, csv), record.offset};
}

// enforceSchema=false, without a rescued data column: the header must name the schema's
// columns in order (case-insensitively, as Spark's default spark.sql.caseSensitive).
Status CheckHeaderConforms(const std::string& path, const std::vector<std::string>& header, const Schema& schema,
                           const formats::ReadOptions& options) {
  std::vector<std::string> columns;
  for (const Field& field : schema.fields) {
    if (field.name != options.corrupt_record_column) columns.push_back(field.name);
  }
  for (size_t i = 0; i < std::max(header.size(), columns.size()); ++i) {
    const bool same = i < header.size() && i < columns.size() &&
                      (options.case_sensitive ? header[i] == columns[i] : EqualsIgnoreCase(header[i], columns[i]));
    if (same) continue;
    auto join = [](const std::vector<std::string>& names) {
      std::string out;
      for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
      return out;
    };
    return Status::Invalid(fmt::format(
        "{}: the CSV header does not conform to the schema (enforceSchema=false): header {}, schema {}; expected "
        "'{}' but found '{}' at position {}",
        path, join(header), join(columns), i < columns.size() ? columns[i] : "", i < header.size() ? header[i] : "",
        i + 1));
  }
  return Status::OK();
}

}  // namespace

Status ReadCsvFile(const std::string& path, const Schema& schema, const CsvOptions& csv,
                   const formats::ReadOptions& options, const formats::BatchSink& sink, formats::ReadCounts* counts) {
  if (options.batch_rows <= 0) return Status::Invalid("CSV read of ", path, ": batch_rows must be positive");
  if (csv.multi_line && (options.range_begin != 0 || options.range_end >= 0)) {
    return Status::Invalid("CSV read of ", path, ": a multiLine file cannot be read by byte range");
  }
  formats::ReadCounts local;
  CsvRecordReader reader(csv, options.max_record_bytes);
  CsvConverter converter(path, csv, options, sink, &local, &reader);
  INLET_RETURN_NOT_OK(converter.Init(schema));
  Status status = reader.Open(path, options.range_begin, options.range_end);
  bool header_pending = csv.header;
  // A range after the first: the header may start before the range or inside it (after
  // blank lines), and is never a data record of this range.
  int64_t header_offset = -1;
  if (status.ok() && csv.header && options.range_begin > 0) {
    auto header = ReadHeader(path, csv, options.max_record_bytes);
    status = header.status();
    if (header.ok()) header_offset = header->offset;
    if (header.ok() && !csv.enforce_schema && options.rescued_data_column.empty()) {
      status = CheckHeaderConforms(path, header->names, schema, options);
    }
    bool new_field = false;
    if (status.ok()) status = converter.MapPositions(header->names, &new_field);
    header_pending = false;
    if (new_field) status = Status::Cancelled("");  // stop here, quietly
  }
  CsvRecord record;
  while (status.ok()) {
    auto more = reader.Next(&record);
    if (!more.ok()) {
      status = more.status();
      break;
    }
    if (!*more) break;
    if (header_pending) {
      header_pending = false;
      std::vector<std::string> header = SafeHeaderNames(record.values, csv);
      if (!csv.enforce_schema && options.rescued_data_column.empty()) {
        status = CheckHeaderConforms(path, header, schema, options);
        if (!status.ok()) break;
      }
      bool new_field = false;
      status = converter.MapPositions(header, &new_field);
      if (new_field) status = Status::Cancelled("");
      continue;
    }
    if (record.offset <= header_offset) continue;  // the header, met again in this range
    status = converter.Add(record);
  }
  const bool stopped_at_new_field = status.IsCancelled() && local.new_field_line != 0;
  if (stopped_at_new_field) status = Status::OK();
  if (status.ok() && !stopped_at_new_field) status = converter.Flush();
  if (!status.ok() && status.IsIOError()) local.source_unreadable = true;
  local.bytes += reader.compressed() ? reader.compressed_size() : reader.bytes_read();
  if (counts != nullptr) {
    formats::MergeReadCounts(local, counts);
    if (local.new_field_line != 0) {
      counts->new_field_line = local.new_field_line;
      counts->new_field_path = std::move(local.new_field_path);
    }
    counts->source_unreadable = counts->source_unreadable || local.source_unreadable;
  }
  return status;
}

Status CheckCsvReadable(const Schema& schema) {
  for (const Field& field : schema.fields) {
    switch (field.type->kind) {
      case TypeKind::kStruct:
      case TypeKind::kArray:
      case TypeKind::kMap:
      case TypeKind::kBinary:
      case TypeKind::kVariant:
      case TypeKind::kNull:
        return Status::Invalid("column ", field.name, " (", field.type->TypeName(),
                               ") cannot be read from CSV: its values are text, one per column");
      default:
        break;
    }
  }
  return Status::OK();
}

}  // namespace inlet::csv
