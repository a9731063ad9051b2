// cloudFiles.schemaHints: a comma-separated DDL list ("humidity DOUBLE, coordinates.latitude
// DECIMAL(9,6)") that overrides inferred types at any depth and adds columns the data lacks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet {

struct SchemaHint {
  // Field names from the top level down. Inside an array the element is "element"; inside
  // a map the parts are "key" and "value" (Spark's and Auto Loader's spelling). Names may
  // be back-quoted in the text (`a.b` is one name); here they are unquoted.
  std::vector<std::string> path;
  DataTypePtr type;
  std::string text;  // the hint as the user wrote it, trimmed, for messages
};

// Parses the option's value. Splits at top-level commas (not inside <...>, (...) or
// back quotes); each item is `path TYPE` with TYPE in Spark DDL (schema/ddl.h). An empty
// or blank text gives no hints. An item that does not parse fails with Status::Invalid:
//   cloudFiles.schemaHints: cannot parse 'coordinates.latitude DECIMAL(9,' at position 30: ...
// quoting the item and pointing at the 1-based position within the whole option text.
Result<std::vector<SchemaHint>> ParseSchemaHints(std::string_view text);

// Applies `hints` in order: a path that exists gets the hint's type (name, nullability and
// metadata kept); a path that does not exist is added (missing parent structs are
// created), top-level additions after the existing columns. Names match exactly first,
// then ASCII case-insensitively. A path that goes through a non-struct (e.g. `ip.x` with
// ip a string), or `element`/`key`/`value` on something that is not an array/map, fails
// with Status::Invalid naming the hint.
Result<Schema> ApplySchemaHints(const Schema& schema, const std::vector<SchemaHint>& hints);

}  // namespace inlet
