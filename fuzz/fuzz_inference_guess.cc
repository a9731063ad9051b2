// Fuzzes one-pass inference (json_inference_guess.h) against inference proper: a file's
// head (the input's first part, repeated past the 64 KB a guess reads) and its tail (the
// rest, which only the reader's checks see) must infer, through guess + checks +
// re-inference, exactly what InferJsonSchema infers; and a guess that held must be it.
#include <arrow/api.h>

#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "inlet/formats/json/json_inference.h"
#include "inlet/formats/json/json_inference_guess.h"
#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_reader.h"
#include "inlet/schema/ddl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  // Head and tail split at the first 0x01 byte; a head of whole lines, repeated.
  const size_t split = input.find('\x01');
  std::string head(input.substr(0, split));
  const std::string_view tail = split == std::string_view::npos ? std::string_view() : input.substr(split + 1);
  if (head.empty() || head.back() != '\n') head += '\n';
  std::string text;
  while (text.size() < (66 << 10)) text += head;
  text += tail;

  inlet::json::InferenceOptions options;
  options.infer_column_types = (flags & 0x01) != 0;
  const std::string path = inlet::fuzz::ScratchDir() + "/input.json";
  inlet::fuzz::WriteFile(path, text);
  INLET_FUZZ_CHECK(inlet::json::CheckSimdjsonLinkage().ok(), "simdjson linkage");
  auto truth = inlet::json::InferJsonSchema({path}, options);
  auto guess = inlet::json::InferenceGuess::Make({path}, options, 1);
  if (!truth.ok() || !guess.ok() || *guess == nullptr) return 0;

  inlet::Schema schema = (*guess)->schema();
  inlet::json::JsonReadOptions read;
  if (flags & 0x02) {
    read.rescued_data_column = "_rescued_data";
    if (inlet::FindFieldAnyCase(schema.fields, "_rescued_data") != nullptr) return 0;
    schema.fields.push_back(inlet::Field{"_rescued_data", inlet::DataType::String(), true, "{}"});
  }
  read.stop_on_new_fields = (flags & 0x04) != 0;
  read.case_sensitive = (flags & 0x08) == 0;
  inlet::json::InferenceCheck check(*guess);
  read.inference_check = &check;
  inlet::json::ParseCounts counts;
  auto status = inlet::json::ReadJsonFile(
      path, schema, read, [](std::shared_ptr<arrow::RecordBatch>) { return inlet::Status::OK(); }, &counts);
  if (!status.ok()) return 0;  // e.g. a builder limit; nothing to compare
  const bool refuted = counts.guess_refuted_line > 0 || counts.new_field_line > 0;
  const std::string want = inlet::ToDdl(*truth);
  if (!refuted && inlet::json::GuessHolds(**guess, {check.folded()})) {
    INLET_FUZZ_CHECK((*guess)->schema() == *truth,
                     "the guess held as " + inlet::ToDdl((*guess)->schema()) + " but inference gives " + want);
    return 0;
  }
  auto again = inlet::json::InferAfterRefutedGuess(**guess, {check.folded()}, refuted ? std::vector<std::string>{path}
                                                                                      : std::vector<std::string>{});
  INLET_FUZZ_CHECK(again.ok(), "re-inference failed: " + again.status().ToString());
  INLET_FUZZ_CHECK(*again == *truth, "re-inference gives " + inlet::ToDdl(*again) + ", inference " + want);
  return 0;
}
