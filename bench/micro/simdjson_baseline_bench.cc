// simdjson parse-only baselines on the same bytes: the ceiling the reader is measured
// against (issue 4: inlet's JSON -> columns >= 50% of simdjson parse-only per core).
#include <benchmark/benchmark.h>

#include <simdjson.h>

#include <cstring>
#include <string>

#include "fixtures.h"
#include "inlet/formats/json/json_input.h"

namespace inlet::bench {
namespace {

namespace od = simdjson::ondemand;

// On-Demand only does work for values that are visited, so a "parse" that skipped fields
// would flatter simdjson. Every value is visited; kDecode also converts scalars (numbers
// to double/int64, strings unescaped), the least any columnar reader must do.
template <bool kDecode>
simdjson::error_code Visit(od::value value, uint64_t* sink) {
  od::json_type type;
  if (auto err = value.type().get(type)) return err;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto err = value.get_object().get(object)) return err;
      for (auto field : object) {
        std::string_view key;
        if (auto err = field.unescaped_key().get(key)) return err;
        *sink += key.size();
        if (auto err = Visit<kDecode>(field.value(), sink)) return err;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array array;
      if (auto err = value.get_array().get(array)) return err;
      for (auto element : array) {
        if (auto err = Visit<kDecode>(element.value(), sink)) return err;
      }
      return simdjson::SUCCESS;
    }
    default:
      break;
  }
  if constexpr (kDecode) {
    if (type == od::json_type::number) {
      od::number number;
      if (auto err = value.get_number().get(number)) return err;
      *sink += static_cast<uint64_t>(number.is_double() ? number.get_double() : number.get_int64());
    } else if (type == od::json_type::string) {
      std::string_view s;
      if (auto err = value.get_string().get(s)) return err;
      *sink += s.size();
    } else {
      *sink += value.raw_json_token().size();
    }
  } else {
    *sink += value.raw_json_token().size();
  }
  return simdjson::SUCCESS;
}

// A whole document visited raw (document or document_reference).
template <typename Document>
simdjson::error_code VisitRaw(Document& doc, uint64_t* sink) {
  od::value root;
  simdjson::error_code err = doc.get_value().get(root);
  if (!err) err = Visit<false>(root, sink);
  return err;
}

// The figures every baseline reports: input bytes and rows per iteration.
void CountInput(benchmark::State& state, const IotFile& file, uint64_t sink, const char* label) {
  benchmark::DoNotOptimize(sink);
  state.SetBytesProcessed(state.iterations() * file.bytes);
  state.SetItemsProcessed(state.iterations() * file.rows);
  state.SetLabel(label);
}

// Arg 0: raw tokens only; 1: decode scalars. Lines are split with memchr and parsed one by
// one from an in-memory padded copy, as inlet's NdjsonLineReader feeds them (minus file I/O).
void SimdjsonPerLine(benchmark::State& state) {
  const bool decode = state.range(0) != 0;
  const IotFile& file = IotJson();
  simdjson::padded_string text = simdjson::padded_string::load(file.path).value();
  od::parser parser;
  uint64_t sink = 0;
  for (auto _ : state) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    while (begin < end) {
      const char* nl = static_cast<const char*>(std::memchr(begin, '\n', end - begin));
      size_t len = nl ? static_cast<size_t>(nl - begin) : static_cast<size_t>(end - begin);
      // Capacity: the following lines plus padding are readable, as simdjson requires.
      size_t capacity = static_cast<size_t>(end - begin) + simdjson::SIMDJSON_PADDING;
      od::document doc;
      simdjson::error_code err = parser.iterate(begin, len, capacity).get(doc);
      od::value root;
      if (!err) err = doc.get_value().get(root);
      if (!err) err = decode ? Visit<true>(root, &sink) : Visit<false>(root, &sink);
      if (err) {
        state.SkipWithError(simdjson::error_message(err));
        return;
      }
      begin += len + 1;
    }
  }
  CountInput(state, file, sink, decode ? "decode" : "raw");
}
BENCHMARK(SimdjsonPerLine)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// simdjson's own NDJSON path (iterate_many: one stage-1 pass over big windows), its best
// case; the gap to SimdjsonPerLine is what batching lines would buy the reader.
void SimdjsonIterateMany(benchmark::State& state) {
  const IotFile& file = IotJson();
  simdjson::padded_string text = simdjson::padded_string::load(file.path).value();
  od::parser parser;
  uint64_t sink = 0;
  for (auto _ : state) {
    od::document_stream stream;
    if (auto err = parser.iterate_many(text, 1 << 20).get(stream)) {
      state.SkipWithError(simdjson::error_message(err));
      return;
    }
    for (auto doc : stream) {
      if (auto err = VisitRaw(doc, &sink)) {
        state.SkipWithError(simdjson::error_message(err));
        return;
      }
    }
  }
  CountInput(state, file, sink, "raw");
}
BENCHMARK(SimdjsonIterateMany)->Unit(benchmark::kMillisecond);

// The raw baseline fed like inlet's reader: lines read from the file (page cache) through
// NdjsonLineReader, as JsonToColumns reads them. Against it, the ratio is of what each does
// with a line, both paying the same read(2) copies and line splitting.
void SimdjsonPerLineFromFile(benchmark::State& state) {
  const IotFile& file = IotJson();
  od::parser parser;
  uint64_t sink = 0;
  for (auto _ : state) {
    json::NdjsonLineReader reader;
    if (!reader.Open(file.path).ok()) {
      state.SkipWithError("cannot open the input");
      return;
    }
    json::JsonLine line;
    while (reader.Next(&line).ValueOr(false)) {
      od::document doc;
      simdjson::error_code err = parser.iterate(line.data, line.size, line.capacity).get(doc);
      if (!err) err = VisitRaw(doc, &sink);
      if (err) {
        state.SkipWithError(simdjson::error_message(err));
        return;
      }
    }
  }
  CountInput(state, file, sink, "raw, from the file");
}
BENCHMARK(SimdjsonPerLineFromFile)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace inlet::bench
