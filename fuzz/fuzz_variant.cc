// Fuzzes the VARIANT encoding both ways (schema/variant.h, formats/json/json_variant.h).
// Most inputs are JSON text: what JsonToVariant accepts must print, and the printed text must
// parse to a variant that prints the same again. An input starting with 0xFF is instead a
// raw metadata/value pair, as a Delta table another writer made may hold: VariantToJson must
// refuse or print it, never read out of bounds.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "inlet/formats/json/json_variant.h"
#include "inlet/schema/variant.h"

namespace {

void FuzzEncodedBytes(std::string_view bytes) {
  if (bytes.empty()) return;
  const size_t metadata_size = static_cast<uint8_t>(bytes[0]) % bytes.size();
  bytes.remove_prefix(1);
  const size_t split = metadata_size < bytes.size() ? metadata_size : bytes.size();
  inlet::VariantValue variant{std::string(bytes.substr(0, split)), std::string(bytes.substr(split))};
  auto json = inlet::VariantToJson(variant);
  if (!json.ok()) INLET_FUZZ_CHECK(!json.status().message().empty(), "error without a message");
}

// Parses the printed text of `variant` again and prints that.
std::string PrintParsePrint(const inlet::VariantValue& variant, std::string* printed) {
  auto text = inlet::VariantToJson(variant);
  INLET_FUZZ_CHECK(text.ok(), "a variant JsonToVariant built does not print: " + text.status().ToString());
  *printed = *text;
  auto again = inlet::json::JsonToVariant(*text);
  INLET_FUZZ_CHECK(again.ok(), "printed variant does not parse: " + *text + ": " + again.status().ToString());
  auto reprinted = inlet::VariantToJson(*again);
  INLET_FUZZ_CHECK(reprinted.ok(), "a reparsed variant does not print: " + *text);
  return *reprinted;
}

void FuzzJsonRoundTrip(std::string_view text) {
  auto variant = inlet::json::JsonToVariant(text);
  if (!variant.ok()) {
    INLET_FUZZ_CHECK(!variant.status().message().empty(), "error without a message");
    return;
  }
  // A double's text may read back as an integer or a decimal (-0.0 prints as -0, which reads
  // back as the integer 0; Spark's to_json and parse_json do the same with 100.0), so the
  // text is a fixed point from the second print on, not always from the first.
  std::string first;
  const std::string second = PrintParsePrint(*variant, &first);
  auto reparsed = inlet::json::JsonToVariant(second);
  INLET_FUZZ_CHECK(reparsed.ok(), "printed variant does not parse: " + second);
  std::string second_again;
  const std::string third = PrintParsePrint(*reparsed, &second_again);
  INLET_FUZZ_CHECK(second_again == second && third == second, "variant JSON round trip: " + first + " -> " + second);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!input.empty() && static_cast<uint8_t>(input[0]) == 0xFF) {
    FuzzEncodedBytes(input.substr(1));
  } else {
    FuzzJsonRoundTrip(input);
  }
  return 0;
}
