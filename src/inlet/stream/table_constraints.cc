// Constraint parsing and checking over Arrow batches, with the --where evaluator.
#include "inlet/stream/table_constraints.h"

#include <functional>

#include <arrow/api.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace inlet::stream {
namespace {

using Json = nlohmann::json;

// delta.invariants holds JSON text: {"expression":{"expression":"<SQL>"}}.
std::string InvariantExpression(const Json& value) {
  Json parsed = value.is_string() ? Json::parse(value.get<std::string>(), nullptr, false) : value;
  if (!parsed.is_object()) return "";
  auto outer = parsed.find("expression");
  if (outer == parsed.end()) return "";
  if (outer->is_string()) return outer->get<std::string>();
  if (!outer->is_object()) return "";
  auto inner = outer->find("expression");
  return inner != outer->end() && inner->is_string() ? inner->get<std::string>() : "";
}

void CollectInvariants(const Json& type, const std::string& prefix,
                       std::vector<std::pair<std::string, std::string>>* out) {
  if (!type.is_object() || type.value("type", "") != "struct") return;
  auto fields = type.find("fields");
  if (fields == type.end() || !fields->is_array()) return;
  for (const Json& field : *fields) {
    if (!field.is_object()) continue;
    const std::string path = prefix.empty() ? field.value("name", "") : prefix + "." + field.value("name", "");
    auto metadata = field.find("metadata");
    if (metadata != field.end() && metadata->is_object()) {
      auto invariant = metadata->find("delta.invariants");
      if (invariant != metadata->end()) out->emplace_back(path, InvariantExpression(*invariant));
    }
    if (auto child = field.find("type"); child != field.end()) CollectInvariants(*child, path, out);
  }
}

Result<TableConstraint> Parse(std::string name, std::string expression, const std::string& table_dir) {
  auto parsed = query::ParseWhere(expression);
  if (!parsed.ok()) {
    return Status::NotImplemented(fmt::format(
        "Delta table '{}' has {} ({}), which inlet cannot evaluate ({}), so it cannot append rows that must "
        "satisfy it; inlet evaluates comparisons of columns with literals, AND, OR, NOT and IS [NOT] NULL. "
        "Use Spark or delta-rs for this table, or load into a new table",
        table_dir, name, expression, parsed.status().message()));
  }
  return TableConstraint{std::move(name), std::move(expression), *parsed};
}

}  // namespace

Result<std::vector<TableConstraint>> TableConstraints(const delta::Metadata& metadata, const std::string& table_dir) {
  std::vector<TableConstraint> out;
  for (const auto& [key, expression] : metadata.configuration) {
    if (key.rfind("delta.constraints.", 0) != 0) continue;
    INLET_ASSIGN_OR_RAISE(auto constraint,
                          Parse(fmt::format("CHECK constraint '{}'", key.substr(18)), expression, table_dir));
    out.push_back(std::move(constraint));
  }
  std::vector<std::pair<std::string, std::string>> invariants;
  const Json schema = Json::parse(metadata.schema_string, nullptr, /*allow_exceptions=*/false);
  if (!schema.is_discarded()) CollectInvariants(schema, "", &invariants);
  for (const auto& [column, expression] : invariants) {
    INLET_ASSIGN_OR_RAISE(auto constraint,
                          Parse(fmt::format("an invariant on column '{}'", column), expression, table_dir));
    out.push_back(std::move(constraint));
  }
  return out;
}

Status CheckRows(const std::vector<TableConstraint>& constraints, const arrow::RecordBatch& batch,
                 const std::string& table_dir) {
  if (constraints.empty() || batch.num_rows() == 0) return Status::OK();
  INLET_ASSIGN_OR_RAISE(auto table, arrow::Table::FromRecordBatches(
                                        {arrow::RecordBatch::Make(batch.schema(), batch.num_rows(), batch.columns())}));
  for (const TableConstraint& constraint : constraints) {
    auto passing = query::FilterTable(table, *constraint.parsed);
    if (!passing.ok()) {
      return Status::Invalid(fmt::format("cannot check {} ({}) of Delta table '{}' on the batch's rows: {}",
                                         constraint.name, constraint.expression, table_dir,
                                         passing.status().message()));
    }
    const int64_t failing = table->num_rows() - (*passing)->num_rows();
    if (failing > 0) {
      return Status::Invalid(fmt::format(
          "{} of {} rows break {} ({}) of Delta table '{}' (false or NULL for them); nothing of this batch "
          "was committed",
          failing, table->num_rows(), constraint.name, constraint.expression, table_dir));
    }
  }
  return Status::OK();
}

std::vector<std::string> ConstraintTexts(const std::vector<TableConstraint>& constraints) {
  std::vector<std::string> out;
  for (const TableConstraint& constraint : constraints) out.push_back(constraint.name + ": " + constraint.expression);
  return out;
}

}  // namespace inlet::stream
