// The status a stream stops with when its data no longer fits its schema (Auto Loader's
// UnknownFieldException). The CLI maps it to exit code 3: re-run (addNewColumns) or change
// the schema (failOnNewColumns).
#pragma once

#include <string>

#include "inlet/util/status.h"

namespace inlet::stream {

// A Status::Invalid whose message starts with "UnknownFieldException: " + `message`, and
// that IsSchemaChange() recognizes.
Status SchemaChangeError(const std::string& message);
bool IsSchemaChange(const Status& status);

}  // namespace inlet::stream
