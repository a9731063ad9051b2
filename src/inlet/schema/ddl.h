// Spark DDL: `a STRING, b BIGINT, c STRUCT<d: DOUBLE>, e ARRAY<STRING>, `odd name` INT`.
#pragma once

#include <string>
#include <string_view>

#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet {

// Accepts Spark's type names and aliases case-insensitively: STRING, VARCHAR(n), CHAR(n),
// BIGINT/LONG, INT/INTEGER, SMALLINT/SHORT, TINYINT/BYTE, DOUBLE, FLOAT/REAL, BOOLEAN,
// DECIMAL(p,s)/DEC/NUMERIC (DECIMAL alone = (10,0)), DATE, TIMESTAMP, BINARY,
// STRUCT<a: T, b T>, ARRAY<T>, MAP<K, V>; optional NOT NULL and COMMENT 'text' per column;
// backquoted names with `` for a literal backquote. Errors quote the text and the 1-based
// character position where the problem starts:
// "DDL error at position 10 in 'a INT, b FOO': unknown type FOO".
Result<Schema> ParseDdlSchema(std::string_view ddl);
Result<DataTypePtr> ParseDdlType(std::string_view type_text);

// For a type embedded in a larger text (schema hints): parses one type starting at byte
// `*offset` of `text` and moves `*offset` just past it; what follows is the caller's. On
// failure the message is the bare problem ("expected ')' to close DECIMAL(") and
// `*error_offset` (when not null) is the byte offset in `text` where the problem starts,
// so the caller can quote its own context and position.
Result<DataTypePtr> ParseDdlTypePrefix(std::string_view text, size_t* offset,
                                       size_t* error_offset);

// Prints DDL that ParseDdlSchema reads back to an equal schema (names backquoted when needed).
std::string ToDdl(const Schema& schema);
std::string ToDdl(const DataType& type);

}  // namespace inlet
