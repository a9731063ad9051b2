// Spark's CSVInferSchema over the sampled files, one record at a time: each value moves its
// column's type along Spark's chain (int, long, decimal, double, date, timestamp, boolean,
// string) from where it stood, and a column with no value at all is a string.
#include <algorithm>
#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "inlet/formats/csv/csv_format.h"
#include "inlet/formats/csv/csv_header.h"
#include "inlet/formats/csv/csv_records.h"
#include "inlet/formats/csv/csv_values.h"
#include "inlet/storage/file_system.h"
#include "inlet/util/strings.h"

namespace inlet::csv {
namespace {

struct InferredColumns {
  std::vector<std::string> names;
  std::vector<DataTypePtr> types;

  // The column named `name` (case-insensitively: Auto Loader folds case variants), added last if new.
  size_t Index(const std::string& name) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (EqualsIgnoreCase(names[i], name)) return i;
    }
    names.push_back(name);
    types.push_back(DataType::Null());
    return names.size() - 1;
  }
};

Status InferFile(const std::string& path, const CsvOptions& csv, const formats::SampleOptions& options,
                 const InferenceRules& rules, InferredColumns* columns, int64_t* bytes_left) {
  CsvRecordReader reader(csv, options.max_record_bytes);
  INLET_RETURN_NOT_OK(reader.Open(path));
  CsvRecord record;
  std::vector<size_t> index;  // position -> column
  bool first = true;
  while (*bytes_left > 0) {
    INLET_ASSIGN_OR_RAISE(bool more, reader.Next(&record));
    if (!more) break;
    *bytes_left -= static_cast<int64_t>(record.text.size()) + 1;
    const bool malformed = record.oversized || !record.split.error.empty();
    if (malformed && (options.mode == formats::MalformedRecordMode::kFailFast || record.split.fatal)) {
      return Status::Invalid(path, ":", record.line, " (byte ", record.offset, "): malformed CSV record: ",
                             record.oversized ? "record is too long" : record.split.error);
    }
    if (first) {
      first = false;
      const std::vector<std::string> names =
          csv.header ? SafeHeaderNames(record.values, csv) : PositionalNames(record.values.size());
      for (const std::string& name : names) index.push_back(columns->Index(name));
      if (csv.header) continue;
    }
    if (malformed) continue;
    for (size_t i = 0; i < record.values.size() && i < index.size(); ++i) {
      const CsvValue& value = record.values[i];
      if (value.null || !options.infer_column_types) continue;
      DataTypePtr& type = columns->types[index[i]];
      type = InferCsvValue(type, value.text, rules);
    }
  }
  return Status::OK();
}

}  // namespace

Result<Schema> InferCsvSchema(const std::vector<std::string>& paths, const CsvOptions& csv,
                              const formats::SampleOptions& options) {
  InferenceRules rules;
  rules.csv = &csv;
  rules.temporal = &options.temporal;
  if (options.temporal.date) {
    rules.strict_date.date = options.temporal.date;
  } else {
    INLET_ASSIGN_OR_RAISE(rules.strict_date.date, formats::DatetimePattern::Compile("yyyy-MM-dd"));
  }
  rules.strict_date.zone = options.temporal.zone;
  // The sample (files in order, within the limits), inferred file by file on `threads`
  // threads; the files' columns are then joined in file order, so the answer is the same for
  // any thread count.
  std::vector<std::string> sample;
  std::vector<int64_t> budgets;  // what is left of sampleSize.numBytes when each file starts
  int64_t planned = 0;
  for (const std::string& path : paths) {
    if (static_cast<int64_t>(sample.size()) >= options.max_files || planned >= options.max_bytes) break;
    auto place = storage::Resolve("", path);
    auto info = place.ok() ? place->fs->Stat(place->path) : Result<std::optional<storage::FileInfo>>(place.status());
    sample.push_back(path);
    budgets.push_back(options.max_bytes - planned);
    planned += info.ok() && info->has_value() ? (*info)->size : 0;
  }
  std::vector<InferredColumns> per_file(sample.size());
  std::vector<Status> statuses(sample.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < sample.size(); i = next++) {
      int64_t bytes_left = budgets[i];
      statuses[i] = InferFile(sample[i], csv, options, rules, &per_file[i], &bytes_left);
    }
  };
  const size_t threads = std::min<size_t>(static_cast<size_t>(std::max(options.threads, 1)), std::max<size_t>(sample.size(), 1));
  std::vector<std::thread> running;
  for (size_t t = 1; t < threads; ++t) running.emplace_back(work);
  work();
  for (auto& thread : running) thread.join();
  InferredColumns columns;
  for (size_t i = 0; i < sample.size(); ++i) {
    if (!statuses[i].ok() && !(statuses[i].IsIOError() && options.ignore_corrupt_files)) return statuses[i];
    for (size_t c = 0; c < per_file[i].names.size(); ++c) {
      DataTypePtr& type = columns.types[columns.Index(per_file[i].names[c])];
      type = MergeCsvTypes(type, per_file[i].types[c]);
    }
  }
  Schema schema;
  for (size_t i = 0; i < columns.names.size(); ++i) {
    const DataTypePtr& type = columns.types[i];
    schema.fields.push_back(Field{columns.names[i], type->kind == TypeKind::kNull ? DataType::String() : type, true, "{}"});
  }
  return schema;
}

}  // namespace inlet::csv
