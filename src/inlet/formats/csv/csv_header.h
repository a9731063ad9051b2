// A CSV header's names as Spark makes them safe to be columns: an empty (or null-valued)
// name becomes _cN, names repeated (ignoring case) get their position appended (a0, a1),
// and without a header every column is _cN. Internal to formats/csv.
#pragma once

#include <string>
#include <vector>

#include "inlet/formats/csv/csv_format.h"
#include "inlet/formats/csv/csv_tokenizer.h"

namespace inlet::csv {

std::vector<std::string> SafeHeaderNames(const std::vector<CsvValue>& header, const CsvOptions& options);
std::vector<std::string> PositionalNames(size_t count);

}  // namespace inlet::csv
