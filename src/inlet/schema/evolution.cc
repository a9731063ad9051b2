// Schema evolution rules: adding fields seen in new data, Delta type widening (with the
// delta.typeChanges field metadata Delta readers expect), schema diffs and case folding.
#include "inlet/schema/evolution.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "inlet/schema/inference.h"
#include "inlet/util/strings.h"

namespace inlet {
namespace {

constexpr const char* kTypeChangesKey = "delta.typeChanges";

FieldPath Child(const FieldPath& path, const std::string& name) {
  FieldPath out = path;
  out.push_back(name);
  return out;
}

// ---- AddNewFields -------------------------------------------------------------------

DataTypePtr AddInType(const DataTypePtr& current, const DataTypePtr& observed,
                      const FieldPath& path, std::vector<SchemaChange>* changes);

// `current` plus the fields of `observed` it lacks; nullopt when nothing was added.
std::optional<std::vector<Field>> AddInFields(const std::vector<Field>& current,
                                              const std::vector<Field>& observed,
                                              const FieldPath& path,
                                              std::vector<SchemaChange>* changes) {
  std::vector<Field> out = current;
  bool changed = false;
  for (Field& field : out) {
    const Field* seen = FindFieldAnyCase(observed, field.name);
    if (seen == nullptr) continue;
    DataTypePtr merged = AddInType(field.type, seen->type, Child(path, field.name), changes);
    if (merged != field.type) {
      field.type = std::move(merged);
      changed = true;
    }
  }
  std::vector<Field> added;
  for (const Field& field : observed) {
    if (FindFieldAnyCase(current, field.name) != nullptr) continue;
    added.push_back(field);
  }
  std::stable_sort(added.begin(), added.end(),
                   [](const Field& a, const Field& b) { return a.name < b.name; });
  for (const Field& field : added) {
    // Two spellings of one new name ("Foo" and "foo") would be one Delta column: the
    // first in sorted order wins, the reader rescues the other.
    if (FindFieldAnyCase(out, field.name) != nullptr) continue;
    out.push_back(field);
    changes->push_back(SchemaChange{SchemaChange::Kind::kAdded, Child(path, field.name), nullptr,
                                    field.type});
    changed = true;
  }
  if (!changed) return std::nullopt;
  return out;
}

// Returns `current` itself when nothing was added below it.
DataTypePtr AddInType(const DataTypePtr& current, const DataTypePtr& observed,
                      const FieldPath& path, std::vector<SchemaChange>* changes) {
  if (current == nullptr || observed == nullptr || current->kind != observed->kind) return current;
  switch (current->kind) {
    case TypeKind::kStruct: {
      auto fields = AddInFields(current->fields, observed->fields, path, changes);
      return fields ? DataType::Struct(std::move(*fields)) : current;
    }
    case TypeKind::kArray: {
      DataTypePtr element =
          AddInType(current->element, observed->element, Child(path, "element"), changes);
      return element == current->element ? current
                                         : DataType::Array(element, current->contains_null);
    }
    case TypeKind::kMap: {
      DataTypePtr value = AddInType(current->value, observed->value, Child(path, "value"), changes);
      return value == current->value
                 ? current
                 : DataType::Map(current->key, value, current->value_contains_null);
    }
    default:
      return current;
  }
}

// ---- Type widening ----------------------------------------------------------------------

// Rank of the integral types; 0 for anything else.
int IntegralRank(TypeKind kind) {
  switch (kind) {
    case TypeKind::kByte: return 1;
    case TypeKind::kShort: return 2;
    case TypeKind::kInteger: return 3;
    case TypeKind::kLong: return 4;
    default: return 0;
  }
}

// A widening's column as found in the schema.
struct WidenTarget {
  FieldPath resolved;   // the path with the schema's spelling of each name
  DataTypePtr from;     // the type there now
};

Result<WidenTarget> Resolve(const std::vector<Field>& top, const FieldPath& path) {
  WidenTarget target;
  const std::vector<Field>* fields = &top;
  DataTypePtr type;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& part = path[i];
    if (fields != nullptr) {
      const Field* field = FindFieldAnyCase(*fields, part);
      if (field == nullptr) break;
      target.resolved.push_back(field->name);
      type = field->type;
    } else if (type->kind == TypeKind::kArray && part == "element") {
      target.resolved.push_back(part);
      type = type->element;
    } else if (type->kind == TypeKind::kMap && (part == "key" || part == "value")) {
      target.resolved.push_back(part);
      type = part == "key" ? type->key : type->value;
    } else {
      break;
    }
    fields = type->kind == TypeKind::kStruct ? &type->fields : nullptr;
  }
  if (path.empty() || target.resolved.size() != path.size()) {
    return Status::Invalid(fmt::format("cannot widen column '{}': no such column",
                                       FieldPathString(path)));
  }
  target.from = type;
  return target;
}

// Appends {"fromType","toType"[,"fieldPath"]} to the field's delta.typeChanges, keeping
// whatever metadata is there (Delta readers use it to read files written before the change).
Status RecordTypeChange(Field* field, const DataType& from, const DataType& to,
                        const std::string& field_path) {
  nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
  if (!field->metadata_json.empty()) {
    metadata = nlohmann::ordered_json::parse(field->metadata_json, nullptr, false);
    if (!metadata.is_object()) {
      return Status::Invalid(fmt::format("field '{}' has metadata that is not a JSON object: {}",
                                         field->name, field->metadata_json));
    }
  }
  nlohmann::ordered_json& list = metadata[kTypeChangesKey];
  if (!list.is_array()) list = nlohmann::ordered_json::array();
  nlohmann::ordered_json entry = nlohmann::ordered_json::object();
  entry["fromType"] = from.TypeName();
  entry["toType"] = to.TypeName();
  if (!field_path.empty()) entry["fieldPath"] = field_path;
  list.push_back(std::move(entry));
  field->metadata_json = metadata.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return Status::OK();
}

Result<DataTypePtr> WidenInType(const DataTypePtr& type, const FieldPath& path, size_t index,
                                const DataTypePtr& to, Field* owner, std::string field_path);

// Widens path[index..] inside `fields`; `index` names one of them.
Status WidenInFields(std::vector<Field>* fields, const FieldPath& path, size_t index,
                     const DataTypePtr& to) {
  Field& field = (*fields)[static_cast<size_t>(FindFieldIndexAnyCase(*fields, path[index]))];
  if (index + 1 == path.size()) {
    INLET_RETURN_NOT_OK(RecordTypeChange(&field, *field.type, *to, ""));
    field.type = to;
    return Status::OK();
  }
  INLET_ASSIGN_OR_RAISE(DataTypePtr type, WidenInType(field.type, path, index + 1, to, &field, ""));
  field.type = std::move(type);
  return Status::OK();
}

// `type` is at path[0..index); `owner` is the nearest struct field above and `field_path`
// the element/key/value steps taken since it.
Result<DataTypePtr> WidenInType(const DataTypePtr& type, const FieldPath& path, size_t index,
                                const DataTypePtr& to, Field* owner, std::string field_path) {
  if (type->kind == TypeKind::kStruct) {
    std::vector<Field> fields = type->fields;
    INLET_RETURN_NOT_OK(WidenInFields(&fields, path, index, to));
    return DataType::Struct(std::move(fields));
  }
  const std::string& part = path[index];
  if (!field_path.empty()) field_path += ".";
  field_path += part;
  bool leaf = index + 1 == path.size();
  auto step = [&](const DataTypePtr& inner) -> Result<DataTypePtr> {
    if (!leaf) return WidenInType(inner, path, index + 1, to, owner, field_path);
    INLET_RETURN_NOT_OK(RecordTypeChange(owner, *inner, *to, field_path));
    return to;
  };
  if (type->kind == TypeKind::kArray) {
    INLET_ASSIGN_OR_RAISE(DataTypePtr element, step(type->element));
    return DataType::Array(std::move(element), type->contains_null);
  }
  // Resolve() already checked the path, so this is a map.
  if (part == "key") {
    INLET_ASSIGN_OR_RAISE(DataTypePtr key, step(type->key));
    return DataType::Map(std::move(key), type->value, type->value_contains_null);
  }
  INLET_ASSIGN_OR_RAISE(DataTypePtr value, step(type->value));
  return DataType::Map(type->key, std::move(value), type->value_contains_null);
}

// ---- DiffSchemas --------------------------------------------------------------------------

void DiffTypes(const DataTypePtr& before, const DataTypePtr& after, const FieldPath& path,
               std::vector<SchemaChange>* changes);

void DiffFields(const std::vector<Field>& before, const std::vector<Field>& after,
                const FieldPath& path, std::vector<SchemaChange>* changes) {
  for (const Field& field : after) {
    const Field* old = FindFieldAnyCase(before, field.name);
    FieldPath child = Child(path, field.name);
    if (old == nullptr) {
      changes->push_back(SchemaChange{SchemaChange::Kind::kAdded, child, nullptr, field.type});
    } else {
      DiffTypes(old->type, field.type, child, changes);
    }
  }
}

void DiffTypes(const DataTypePtr& before, const DataTypePtr& after, const FieldPath& path,
               std::vector<SchemaChange>* changes) {
  if (before->kind == after->kind) {
    switch (before->kind) {
      case TypeKind::kStruct:
        DiffFields(before->fields, after->fields, path, changes);
        return;
      case TypeKind::kArray:
        DiffTypes(before->element, after->element, Child(path, "element"), changes);
        return;
      case TypeKind::kMap:
        DiffTypes(before->key, after->key, Child(path, "key"), changes);
        DiffTypes(before->value, after->value, Child(path, "value"), changes);
        return;
      default:
        break;
    }
  }
  if (*before == *after) return;
  auto kind = IsDeltaTypeWidening(*before, *after) ? SchemaChange::Kind::kWidened
                                                   : SchemaChange::Kind::kTypeChanged;
  changes->push_back(SchemaChange{kind, path, before, after});
}

// ---- FoldCaseVariants ---------------------------------------------------------------------

DataTypePtr FoldType(const DataTypePtr& type);

int UpperCount(const std::string& name) {
  return static_cast<int>(std::count_if(name.begin(), name.end(),
                                        [](char c) { return c >= 'A' && c <= 'Z'; }));
}

std::vector<Field> FoldFields(const std::vector<Field>& fields) {
  // Group the spellings of each lower-cased name, by hash (a record may hold tens of
  // thousands of keys); the kept spelling keeps its position.
  std::unordered_map<std::string, size_t> group_of;
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string lower = fields[i].name;
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    const auto [it, added] = group_of.try_emplace(std::move(lower), groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  std::vector<std::optional<Field>> slots(fields.size());
  for (const std::vector<size_t>& group : groups) {
    size_t keep = group.front();
    for (size_t j : group) {
      if (UpperCount(fields[j].name) < UpperCount(fields[keep].name)) keep = j;
    }
    Field merged = fields[keep];
    for (size_t j : group) {
      if (j == keep) continue;
      merged.type = MergeInferredTypes(merged.type, fields[j].type);
      merged.nullable = merged.nullable || fields[j].nullable;
    }
    merged.type = FoldType(merged.type);
    slots[keep] = std::move(merged);
  }
  std::vector<Field> out;
  for (auto& slot : slots) {
    if (slot) out.push_back(std::move(*slot));
  }
  return out;
}

DataTypePtr FoldType(const DataTypePtr& type) {
  if (type == nullptr) return type;
  switch (type->kind) {
    case TypeKind::kStruct:
      return DataType::Struct(FoldFields(type->fields));
    case TypeKind::kArray:
      return DataType::Array(FoldType(type->element), type->contains_null);
    case TypeKind::kMap:
      return DataType::Map(FoldType(type->key), FoldType(type->value), type->value_contains_null);
    default:
      return type;
  }
}

}  // namespace

std::string FieldPathString(const FieldPath& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out.push_back('.');
    const std::string& name = path[i];
    if (name.find_first_of(".`") == std::string::npos) {
      out += name;
      continue;
    }
    out.push_back('`');
    for (char c : name) {
      if (c == '`') out.push_back('`');
      out.push_back(c);
    }
    out.push_back('`');
  }
  return out;
}

SchemaEvolution AddNewFields(const Schema& current, const Schema& observed) {
  SchemaEvolution result;
  auto fields = AddInFields(current.fields, observed.fields, {}, &result.changes);
  result.schema.fields = fields ? std::move(*fields) : current.fields;
  return result;
}

bool IsDeltaTypeWidening(const DataType& from, const DataType& to) {
  if (from == to) return false;
  int from_rank = IntegralRank(from.kind);
  int to_rank = IntegralRank(to.kind);
  if (from_rank > 0 && to_rank > 0) return to_rank > from_rank;
  if (to.kind == TypeKind::kDouble) {
    // Not long -> double: a long above 2^53 would lose digits.
    return from.kind == TypeKind::kFloat || (from_rank > 0 && from.kind != TypeKind::kLong);
  }
  if (to.kind == TypeKind::kDecimal) {
    if (from.kind == TypeKind::kDecimal) {
      int k1 = to.precision - from.precision;
      int k2 = to.scale - from.scale;
      return k1 >= k2 && k2 >= 0;
    }
    // An integer goes to a decimal with enough integer digits for all its values: 10 for
    // byte/short/int, 20 for long (Delta's rule, not the tightest possible).
    int integer_digits = to.precision - to.scale;
    if (from.kind == TypeKind::kLong) return integer_digits >= 20;
    if (from_rank > 0) return integer_digits >= 10;
  }
  return false;
}

Result<SchemaEvolution> ApplyWidenings(const Schema& current,
                                       const std::vector<TypeWidening>& widenings) {
  // One target per column: later requests for the same column keep the wider type.
  struct Planned {
    FieldPath path;
    DataTypePtr from;
    DataTypePtr to;
  };
  std::vector<Planned> planned;
  for (const TypeWidening& widening : widenings) {
    INLET_ASSIGN_OR_RAISE(WidenTarget target, Resolve(current.fields, widening.path));
    if (widening.to == nullptr) {
      return Status::Invalid(fmt::format("cannot widen column '{}': no target type",
                                         FieldPathString(target.resolved)));
    }
    const DataType& from = *target.from;
    const DataType& to = *widening.to;
    if (from != to && !IsDeltaTypeWidening(from, to)) {
      return Status::Invalid(fmt::format(
          "cannot widen column '{}' from {} to {}: Delta type widening does not allow it",
          FieldPathString(target.resolved), from.TypeName(), to.TypeName()));
    }
    auto same = std::find_if(planned.begin(), planned.end(),
                             [&](const Planned& p) { return p.path == target.resolved; });
    if (same == planned.end()) {
      planned.push_back(Planned{target.resolved, target.from, widening.to});
      continue;
    }
    const DataType& earlier = *same->to;
    if (earlier == to || IsDeltaTypeWidening(to, earlier)) continue;  // the earlier is wider
    if (!IsDeltaTypeWidening(earlier, to)) {
      return Status::Invalid(fmt::format(
          "cannot widen column '{}' to both {} and {}: neither holds the other",
          FieldPathString(target.resolved), earlier.TypeName(), to.TypeName()));
    }
    same->to = widening.to;
  }

  SchemaEvolution result;
  result.schema = current;
  for (const Planned& p : planned) {
    if (*p.from == *p.to) continue;
    INLET_RETURN_NOT_OK(WidenInFields(&result.schema.fields, p.path, 0, p.to));
    result.changes.push_back(SchemaChange{SchemaChange::Kind::kWidened, p.path, p.from, p.to});
  }
  return result;
}

std::vector<SchemaChange> DiffSchemas(const Schema& before, const Schema& after) {
  std::vector<SchemaChange> changes;
  DiffFields(before.fields, after.fields, {}, &changes);
  return changes;
}

Schema FoldCaseVariants(const Schema& inferred) {
  Schema out;
  out.fields = FoldFields(inferred.fields);
  return out;
}

namespace {

int WideningRank(const DataTypePtr& type) {
  if (type == nullptr) return -1;
  switch (type->kind) {
    case TypeKind::kShort:
      return 1;
    case TypeKind::kInteger:
      return 2;
    case TypeKind::kLong:
      return 3;
    case TypeKind::kFloat:
      return 4;
    case TypeKind::kDouble:
      return 5;
    default:
      return 0;
  }
}

}  // namespace

void MergeWidening(const FieldPath& path, const DataTypePtr& to, std::vector<TypeWidening>* widenings) {
  for (TypeWidening& existing : *widenings) {
    if (existing.path != path) continue;
    if (WideningRank(to) > WideningRank(existing.to)) existing.to = to;
    return;
  }
  widenings->push_back(TypeWidening{path, to});
}

}  // namespace inlet
