// The reader's hot loop: one JSON record (a simdjson On-Demand object) appended as one row
// to Arrow builders laid out by ToArrowSchema(schema), plus the rescued data column, case
// variants, new-field stops, widenings and malformed records off that loop's fast path.
// Internal to formats/json.
#pragma once

#include <arrow/type_fwd.h>
#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "inlet/formats/json/json_reader.h"
#include "inlet/formats/json/json_rescue.h"
#include "inlet/formats/json/json_variant.h"
#include "inlet/schema/evolution.h"
#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace arrow {
class RecordBatchBuilder;
class StringBuilder;
}  // namespace arrow

namespace inlet::json {

class RecordConverter {
 public:
  // AppendRecord's answer when options.stop_on_new_fields met a field absent from the
  // schema (new_field_path() says which). simdjson returns this code only from
  // at_pointer, which the converter never calls, so it cannot be a JSON error.
  static constexpr simdjson::error_code kNewField = simdjson::INVALID_JSON_POINTER;
  // AppendRecord's answer when a key occurs twice in one object and no OverrideKeys list
  // is set: Spark keeps the last occurrence, which the converter cannot know before it
  // meets it, so the record is discarded and read again with the list set
  // (json_duplicates.h). simdjson returns this code only from find_field, never called here.
  static constexpr simdjson::error_code kDuplicateKey = simdjson::NO_SUCH_FIELD;
  // AppendRecord's (or AppendVariantRecord's) answer when a value for a VARIANT column is
  // refused (a syntax error, a duplicate key, past the size limit): variant_error() says
  // why. simdjson returns this code only when no implementation fits the CPU, at parser
  // allocation, never while reading.
  static constexpr simdjson::error_code kVariantRefused = simdjson::UNSUPPORTED_ARCHITECTURE;

  // `options.batch_rows` is the builders' reserved capacity: rows per batch the caller
  // flushes at. `path` is the file read: the rescued data's "_file_path" unless
  // options.file_path is set. Fails when options.rescued_data_column or
  // options.corrupt_record_column is not a top-level string column of `schema`.
  static Result<std::unique_ptr<RecordConverter>> Make(const Schema& schema, const JsonReadOptions& options,
                                                       const std::string& path);
  ~RecordConverter();

  // Appends `record` as one row. A JSON error comes back as simdjson's code; the row may
  // then be half-written: AppendMalformed(raw, true) completes it as a malformed row (after
  // kNewField, or MEMALLOC, the converter must be abandoned instead). A builder failure
  // (out of memory) comes back as simdjson::MEMALLOC with the Arrow status in
  // builder_status(). Duplicate keys: kDuplicateKey, unless OverrideKeys set a list.
  simdjson::error_code AppendRecord(simdjson::ondemand::object record);
  // singleVariantColumn (JsonReadOptions::single_variant_column): the record `text`, any
  // JSON value, as one row of the VARIANT column. Appends nothing when it fails.
  simdjson::error_code AppendVariantRecord(std::string_view text);
  bool single_variant() const { return single_variant_; }
  const std::string& variant_error() const { return variant_error_; }
  // While set (not null): the keys in `overridden` (sorted addresses of keys in the text
  // being read, from FindOverriddenKeys) are read as duplicates a later occurrence
  // overrides: skipped, or rescued with a rescued data column, so that the last
  // occurrence goes to the column. A duplicate left over (two spellings of one key under
  // caseSensitive=false) keeps the first. The list must outlive its use.
  void OverrideKeys(const std::vector<const char*>* overridden) { overridden_ = overridden; }

  // A malformed record as the next row (options.mode PERMISSIVE or DROPMALFORMED). Whatever
  // AppendRecord wrote of it (`started`: it was called for this record and failed) is
  // completed with nulls so that every builder agrees on the row count, and its type
  // mismatches are not counted. At Flush the row is all null with `raw` (at most
  // options.max_record_bytes of it) in the corrupt record column (PERMISSIVE), or left out
  // (DROPMALFORMED). Nothing of this runs for good records.
  Status AppendMalformed(std::string_view raw, bool started);
  // The record AppendRecord just appended whole turned out malformed (content after its
  // object): its row becomes malformed as above, and is no longer counted as rescued.
  void MarkLastRecordMalformed(std::string_view raw);
  // The record AppendRecord failed on (`whole`: or appended whole) is read again in
  // another form (a lenient dialect rewritten as strict JSON): its row is completed if
  // need be and left out at Flush, uncounted, in every mode.
  Status DiscardRecord(bool whole);
  // A point to take rows back to: a line holding an array of records is one malformed
  // record when one of them fails, so the rows of the ones before are taken back.
  struct RowMark {
    int64_t rows = 0;
    int64_t type_mismatches = 0;
    int64_t rescued_records = 0;
  };
  RowMark Mark() const { return RowMark{num_rows_, type_mismatches_, rescued_records_}; }
  // Every row appended since `mark` (whole, or completed by DiscardRecord) is left out at
  // Flush and uncounted, as DiscardRecord leaves one out.
  void DiscardSince(const RowMark& mark);

  // Whether the record AppendRecord last appended holds anything an inference guess must
  // check (JsonReadOptions::inference_check): a type mismatch, a key that is no column, a
  // duplicate key, "NaN"-like text for a float, or a value in a column the guess saw only
  // nulls in. Set on those rare paths only, so the fast path pays nothing for it.
  bool suspect() const { return suspect_; }
  // Whether the record AppendRecord last appended had a value the converter did not read
  // to its every byte (skipped, or copied as raw text): such a record must be checked
  // whole (ValidateJsonText) before it counts as valid. Set on those paths only.
  bool unchecked() const { return unchecked_; }

  int64_t num_rows() const { return num_rows_; }
  int64_t type_mismatches() const { return type_mismatches_; }
  int64_t rescued_records() const { return rescued_records_; }
  const Status& builder_status() const { return builder_status_; }
  // After kNewField: the new field's path from the top level.
  const FieldPath& new_field_path() const { return new_field_path_; }
  // Merges the widenings met so far into `widenings` (widest per path).
  void CollectWidenings(std::vector<TypeWidening>* widenings) const;

  // The rows appended since the last Flush as a batch (num_rows() of them, less the
  // malformed ones under DROPMALFORMED); the builders are reset and reused.
  Result<std::shared_ptr<arrow::RecordBatch>> Flush();

  struct Column;

 private:
  RecordConverter();

  simdjson::error_code AppendObject(Column& column, simdjson::ondemand::object object);
  simdjson::error_code AppendValue(Column& column, simdjson::ondemand::value& value);
  simdjson::error_code AppendString(Column& column, simdjson::ondemand::value& value,
                                    simdjson::ondemand::json_type type);
  simdjson::error_code AppendInteger(Column& column, simdjson::ondemand::value& value,
                                     simdjson::ondemand::json_type type);
  simdjson::error_code AppendFloating(Column& column, simdjson::ondemand::value& value,
                                      simdjson::ondemand::json_type type);
  simdjson::error_code AppendDecimal(Column& column, simdjson::ondemand::value& value,
                                     simdjson::ondemand::json_type type);
  simdjson::error_code AppendTemporal(Column& column, simdjson::ondemand::value& value,
                                      simdjson::ondemand::json_type type);
  simdjson::error_code AppendBinary(Column& column, simdjson::ondemand::value& value,
                                    simdjson::ondemand::json_type type);
  simdjson::error_code AppendNested(Column& column, simdjson::ondemand::value& value,
                                    simdjson::ondemand::json_type type);
  simdjson::error_code AppendNull(Column& column);
  // VARIANT columns (json_convert_variant.cc); JSON null is a variant null, not SQL NULL.
  simdjson::error_code AppendVariant(Column& column, simdjson::ondemand::value& value);
  simdjson::error_code AppendVariantNull(Column& column);
  simdjson::error_code AppendVariantValue(Column& column, const VariantValue& variant);
  simdjson::error_code AppendUntyped(Column& column, simdjson::ondemand::value& value, simdjson::error_code error);
  simdjson::error_code GetString(simdjson::ondemand::value& value, std::string_view* text);
  simdjson::error_code Mismatch(Column& column, simdjson::ondemand::value& value,
                                simdjson::ondemand::json_type type);
  simdjson::error_code BuilderFailed(Status status);

  // A child's answer to its struct when something in it was rescued (see pending_*_);
  // like kNewField, simdjson returns it only from a call the converter never makes.
  static constexpr simdjson::error_code kRescued = simdjson::INVALID_URI_FRAGMENT;
  static constexpr size_t kNoSlot = static_cast<size_t>(-1);

  // Off the fast path (json_convert_rescue.cc).
  simdjson::error_code UnmatchedKey(Column& column, simdjson::ondemand::field& field, std::string_view key,
                                    size_t* slot, bool* rescued);
  simdjson::error_code RescueField(std::string_view key, simdjson::ondemand::value value, bool* rescued);
  bool IsOverridden(const char* raw_key) const;
  simdjson::error_code SkipDuplicate(std::string_view key, simdjson::ondemand::field& field, bool* rescued);
  simdjson::error_code ChildFailed(simdjson::error_code error, const Column& column, size_t slot,
                                   std::string_view key, bool* rescued);
  simdjson::error_code CollectionFailed(simdjson::error_code error, const char* segment, bool* rescued);
  simdjson::error_code CollectionRescued(const char* open);
  void NoteWidening(Column& column, simdjson::ondemand::value& value);
  // Malformed rows (json_convert_malformed.cc).
  void KeepCorruptText(std::string_view raw);
  Status FillCorruptColumn(int64_t rows);
  Result<std::shared_ptr<arrow::RecordBatch>> ApplyMalformed(std::shared_ptr<arrow::RecordBatch> batch);
  Result<std::shared_ptr<arrow::RecordBatch>> NullMalformedRows(std::shared_ptr<arrow::RecordBatch> batch);

  std::unique_ptr<arrow::RecordBatchBuilder> batch_builder_;  // over the storage schema
  // The batches' schema when it has extension types (VARIANT) the builders build as their
  // storage; null otherwise.
  std::shared_ptr<arrow::Schema> output_schema_;
  std::unique_ptr<Column> root_;
  int64_t num_rows_ = 0;
  int64_t type_mismatches_ = 0;
  int64_t rescued_records_ = 0;
  Status builder_status_;
  std::string scratch_;  // reused for base64 decoding
  TemporalFormats temporal_;  // JsonReadOptions::temporal

  // Rescued data: the column's builder (null without one), the record's text so far, and
  // what a child handed up with kRescued: its raw text, or (pending_nested_) members it
  // wrote since pending_from_ that the parent wraps under its key.
  arrow::StringBuilder* rescue_builder_ = nullptr;
  std::string file_path_json_;
  RescuedRecord rescued_;
  std::string_view pending_raw_;
  bool pending_nested_ = false;
  size_t pending_from_ = 0;
  // > 0 while inside an array or map (rescue only): a rescued part marks the whole
  // collection instead of writing a member.
  int collection_depth_ = 0;

  bool suspect_ = false;
  bool unchecked_ = false;
  bool single_variant_ = false;
  JsonVariantParser variant_parser_;  // simdjson allocates its parser's buffers on first use
  VariantValue variant_scratch_;      // the value being appended
  std::string variant_error_;
  const std::vector<const char*>* overridden_ = nullptr;  // OverrideKeys
  bool allow_non_numeric_ = true;
  std::string lenient_string_;  // GetString's unescaped text when simdjson refused it
  bool case_sensitive_ = true;
  bool stop_on_new_fields_ = false;
  bool collect_widenings_ = false;
  bool key_checks_ = false;  // a key not in the schema needs more than "ignore it"
  std::string lower_key_;    // reused for case-insensitive lookups
  FieldPath new_field_path_;
  std::vector<Column*> widened_;

  // Malformed records: rows (since the last Flush) to null or drop at Flush, the corrupt
  // record column's builder (null without one; AppendRecord never touches it) with the
  // texts for its rows, and what a failed record must take back.
  ParseMode mode_ = ParseMode::kPermissive;
  arrow::StringBuilder* corrupt_builder_ = nullptr;
  int corrupt_index_ = -1;
  int64_t max_corrupt_bytes_ = 0;
  std::vector<int64_t> malformed_rows_;
  std::vector<int64_t> discarded_rows_;  // DiscardRecord's, dropped at Flush
  std::vector<std::string> corrupt_texts_;  // PERMISSIVE with a corrupt column: per malformed row
  int64_t mismatches_before_record_ = 0;
  int64_t last_rescued_row_ = -1;
};

}  // namespace inlet::json
