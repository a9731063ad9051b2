// Which Delta table features inlet implements for reading and for appending, and the gate
// that refuses any other one by name: a table inlet cannot handle correctly is refused,
// never read or written wrongly.
#pragma once

#include <string>
#include <vector>

#include "inlet/delta/actions.h"
#include "inlet/util/status.h"

namespace inlet::delta {

// Features the table has enabled: those listed (reader 3 / writer 7) plus the legacy ones
// its versions imply (writer 2: appendOnly, invariants; 3: checkConstraints; 4:
// changeDataFeed, generatedColumns; 5: columnMapping; 6: identityColumns; reader 2:
// columnMapping), sorted, without duplicates.
std::vector<std::string> EnabledReaderFeatures(const Protocol& protocol);
std::vector<std::string> EnabledWriterFeatures(const Protocol& protocol);

// `current` with the reader-writer feature `feature` (typeWidening, variantType) enabled:
// reader 3 / writer 7, listing the features the older versions implied, as Delta requires
// when a table moves to table features.
Protocol WithReaderWriterFeature(const Protocol& current, const std::string& feature);

// "name" or "id" when the table maps logical column names to physical ones, else "".
std::string ColumnMappingMode(const Protocol& protocol, const Metadata& metadata);

// Fails (NotImplemented) naming the table, the feature and what to do when inlet cannot
// read the table correctly. Deletion vectors pass: query/table_reader.cc applies them.
Status CheckReadable(const Protocol& protocol, const Metadata& metadata, const std::string& table_dir);

// Fails (NotImplemented) naming the table and the feature or column when an append by inlet
// could break the table's rules: generated and identity columns, column mapping, and any
// feature inlet does not know. CHECK constraints and invariants pass: the appender enforces
// them on every batch (stream/table_constraints.h).
Status CheckAppendable(const Protocol& protocol, const Metadata& metadata, const std::string& table_dir);

// Whether inlet's classic checkpoint keeps everything a reader of this table needs. Not
// for deletion vectors (the checkpoint writer drops them), domain metadata, row tracking or
// v2 checkpoints: such tables get no checkpoint from inlet (checkpoints are optional).
bool InletCheckpointPreserves(const Protocol& protocol);

}  // namespace inlet::delta
