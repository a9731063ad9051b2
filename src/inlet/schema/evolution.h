// How a stream's schema changes when data drifts: new fields are added (addNewColumns),
// and, with type widening, columns move to a wider type that Delta's typeWidening table
// feature allows. Pure functions on schemas; the stream decides when to call them.
#pragma once

#include <string>
#include <vector>

#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet {

// A field's place in a schema: names from the top level down, "element" for an array's
// element and "key"/"value" for a map's parts (as in schema hints).
using FieldPath = std::vector<std::string>;

// "location.cca2", "tags.element.name": the path as users see it (names joined by dots,
// a name holding a dot or a back quote is back-quoted).
std::string FieldPathString(const FieldPath& path);

// A column that must become wider so values seen in the data fit.
struct TypeWidening {
  FieldPath path;
  DataTypePtr to;
};

// Adds a widening of `path` to `to`, or widens the one already there for `path` if `to`
// is wider: the widest type per path that values read so far needed.
void MergeWidening(const FieldPath& path, const DataTypePtr& to, std::vector<TypeWidening>* widenings);

struct SchemaChange {
  enum class Kind { kAdded, kWidened, kTypeChanged };
  Kind kind = Kind::kAdded;
  FieldPath path;
  DataTypePtr from;  // null for kAdded
  DataTypePtr to;
};

struct SchemaEvolution {
  Schema schema;
  std::vector<SchemaChange> changes;  // empty: nothing changed
};

// addNewColumns: `current` plus every field of `observed` (a schema inferred from new data)
// that `current` lacks, at any depth through structs, array elements and map values.
// A field counts as present when a name matches exactly or ASCII case-insensitively (Delta
// column names are case-insensitive, so `Humidity` never becomes a second column; the
// reader rescues it). New top-level fields go after the existing ones, sorted by name; new
// nested fields go at the end of their struct, sorted by name. Types of fields already in
// `current` never change here. Changes are listed in schema order.
SchemaEvolution AddNewFields(const Schema& current, const Schema& observed);

// True when Delta's typeWidening feature allows `from` -> `to` without rewriting files:
// byte -> short -> int -> long (any step up), float -> double, byte/short/int -> double,
// decimal(p,s) -> decimal(p+k1, s+k2) with k1 >= k2 >= 0. Not long -> double (the
// protocol does not allow it), nothing from or to string. Equal types give false: no widening.
bool IsDeltaTypeWidening(const DataType& from, const DataType& to);

// Widens the columns at the given paths. Each must exist and `IsDeltaTypeWidening` must
// hold (else Status::Invalid naming the path and both types); a widening to the type the
// column already has is no change. Two widenings of one path: the wider wins.
Result<SchemaEvolution> ApplyWidenings(const Schema& current, const std::vector<TypeWidening>& widenings);

// What changed from `before` to `after`, for `inlet schema --history`: fields added
// (kAdded), types changed that Delta can widen (kWidened) or not (kTypeChanged), at any
// depth, in `after`'s order. Removed fields are not reported (schemas only grow).
std::vector<SchemaChange> DiffSchemas(const Schema& before, const Schema& after);

// For a freshly inferred schema: fields whose names differ only in ASCII case ("Humidity"
// and "humidity") become one, at every depth, because a Delta table cannot hold both. The
// kept name is the one with the fewest upper-case letters (ties: the first in order); the
// types merge with the inference lattice. The reader then rescues the other spellings.
Schema FoldCaseVariants(const Schema& inferred);

}  // namespace inlet
