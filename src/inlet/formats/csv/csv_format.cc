// CSV behind the format seam.
#include "inlet/formats/csv/csv_format.h"

#include "inlet/formats/json/json_input.h"

namespace inlet::csv {
namespace {

class CsvFormat final : public formats::FileFormat {
 public:
  explicit CsvFormat(CsvOptions options) : options_(std::move(options)) {}

  std::string_view name() const override { return "csv"; }
  // Without multiLine every line is a record, so a range starts at a line like NDJSON's.
  bool Splittable(const std::string& path) const override {
    return !options_.multi_line && !json::IsCompressedJsonPath(path);
  }
  bool MayEndWith(char last_byte) const override {
    // A last line without a line break may still be being written; a closing quote ends a
    // multiLine record.
    return last_byte == '\n' || last_byte == '\r' || (options_.multi_line && last_byte == options_.quote);
  }
  Status CheckReadableSchema(const Schema& schema) const override { return CheckCsvReadable(schema); }
  Result<Schema> InferSchema(const std::vector<std::string>& paths,
                             const formats::SampleOptions& options) const override {
    return InferCsvSchema(paths, options_, options);
  }
  Status ReadFile(const std::string& path, const Schema& schema, const formats::ReadOptions& options,
                  const formats::BatchSink& sink, formats::ReadCounts* counts) const override {
    return ReadCsvFile(path, schema, options_, options, sink, counts);
  }

 private:
  CsvOptions options_;
};

}  // namespace

Result<std::shared_ptr<const formats::FileFormat>> MakeCsvFormat(const formats::FormatOptionValues& values) {
  INLET_ASSIGN_OR_RAISE(CsvOptions options, ParseCsvOptions(values));
  return std::shared_ptr<const formats::FileFormat>(std::make_shared<CsvFormat>(std::move(options)));
}

}  // namespace inlet::csv
