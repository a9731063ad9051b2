// Partition values as the Delta protocol writes them: the text of each value in an add's
// partitionValues ("Partition Value Serialization"), the Hive-style directory a partitioned
// data file lives in (day=2024-01-01/), and the URI-encoded path the add action carries.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <arrow/type_fwd.h>

#include "inlet/util/status.h"

namespace inlet::delta {

// The directory name of a null partition value, as Hive and Spark write it.
inline constexpr const char* kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

// Each row's partition value text; nullopt for null (and for an empty string, which Spark
// also stores as null). Strings as they are, numbers in decimal, booleans true/false, dates
// yyyy-MM-dd, timestamps yyyy-MM-dd HH:mm:ss.ffffff in UTC (the protocol's form, which has
// no zone; delta-rs reads it as UTC, Spark in its session time zone). Other types (binary, nested)
// fail naming `column`.
Result<std::vector<std::optional<std::string>>> SerializePartitionValues(const arrow::Array& values,
                                                                        const std::string& column);

// Hive's escaping of a path segment: control characters and "#%'*/:=?\{[]^ and DEL become
// %XX (upper-case hex), so the value cannot split or fake a directory.
std::string EscapePartitionPathSegment(const std::string& text);

// "a=1/b=x%3Ay" for columns {a, b} and values {"1", "x:y"}; null gives kHiveDefaultPartition.
std::string PartitionDirectory(const std::vector<std::string>& columns,
                               const std::vector<std::optional<std::string>>& values);

// A relative file path as an add action's `path`, a URI reference: bytes outside the
// unreserved and path characters (including '%' of Hive escapes) are percent-encoded.
std::string EncodeAddPath(const std::string& relative_path);

}  // namespace inlet::delta
