// Column path parsing and resolution through struct columns (see column_path.h).
#include "inlet/query/column_path.h"
#include "inlet/util/strings.h"

#include <algorithm>
#include <cctype>

#include <arrow/api.h>
#include <fmt/format.h>

namespace inlet::query {
namespace {

// Words the --where grammar reserves; as column names they need backquotes.
bool IsKeyword(std::string_view name) {
  for (const char* keyword : {"AND", "OR", "NOT", "IS", "NULL", "TRUE", "FALSE"}) {
    if (EqualsIgnoreCase(name, keyword)) return true;
  }
  return false;
}

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty() || IsKeyword(name) || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Index of `name` among `names`: exact match first, then a unique case-insensitive one.
int FindName(const std::vector<std::string>& names, const std::string& name) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  int found = -1;
  for (size_t i = 0; i < names.size(); ++i) {
    if (EqualsIgnoreCase(names[i], name)) {
      if (found >= 0) return -1;  // ambiguous: Spark would refuse too
      found = static_cast<int>(i);
    }
  }
  return found;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::vector<std::string> shown;
  for (const auto& name : names) shown.push_back(FormatColumnPath({name}));
  return fmt::format("{}", fmt::join(shown, ", "));
}

}  // namespace

Result<std::vector<std::string>> SplitColumnPath(std::string_view text) {
  std::vector<std::string> parts;
  std::string current;
  bool quoted_part = false;
  size_t i = 0;
  while (i <= text.size()) {
    if (i == text.size() || text[i] == '.') {
      if (current.empty() && !quoted_part) {
        return Status::Invalid(fmt::format("empty part in column path '{}'", text));
      }
      parts.push_back(std::move(current));
      current.clear();
      quoted_part = false;
      ++i;
      continue;
    }
    if (text[i] == '`') {
      size_t j = i + 1;
      for (;;) {
        if (j >= text.size()) {
          return Status::Invalid(fmt::format("unclosed ` in column path '{}'", text));
        }
        if (text[j] == '`') {
          if (j + 1 < text.size() && text[j + 1] == '`') {
            current += '`';
            j += 2;
            continue;
          }
          break;
        }
        current += text[j++];
      }
      quoted_part = true;
      i = j + 1;
      continue;
    }
    current += text[i++];
  }
  return parts;
}

std::string FormatColumnPath(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '.';
    if (IsPlainIdentifier(parts[i])) {
      out += parts[i];
      continue;
    }
    out += '`';
    for (char c : parts[i]) {
      if (c == '`') out += '`';
      out += c;
    }
    out += '`';
  }
  return out;
}

Result<std::shared_ptr<arrow::ChunkedArray>> ResolveColumnPath(const arrow::Table& table,
                                                               const std::vector<std::string>& parts) {
  if (parts.empty()) return Status::Invalid("empty column path");
  const std::string path = FormatColumnPath(parts);
  int index = FindName(table.ColumnNames(), parts[0]);
  if (index < 0) {
    return Status::KeyError(fmt::format("unknown column '{}' (columns: {})", path,
                                        JoinNames(table.ColumnNames())));
  }
  std::shared_ptr<arrow::ChunkedArray> column = table.column(index);
  for (size_t depth = 1; depth < parts.size(); ++depth) {
    const std::vector<std::string> parent(parts.begin(), parts.begin() + depth);
    if (column->type()->id() != arrow::Type::STRUCT) {
      return Status::KeyError(fmt::format("unknown column '{}': '{}' is {}, not a struct", path,
                                          FormatColumnPath(parent), column->type()->ToString()));
    }
    std::vector<std::string> names;
    for (const auto& child : column->type()->fields()) names.push_back(child->name());
    int child = FindName(names, parts[depth]);
    if (child < 0) {
      return Status::KeyError(fmt::format("unknown column '{}' (struct '{}' has fields: {})", path,
                                          FormatColumnPath(parent), JoinNames(names)));
    }
    // GetFlattenedField folds the struct's nulls into the child, so a.b is null when a is.
    arrow::ArrayVector chunks;
    for (const auto& chunk : column->chunks()) {
      INLET_ASSIGN_OR_RAISE(auto flat,
                            static_cast<const arrow::StructArray&>(*chunk).GetFlattenedField(child));
      chunks.push_back(std::move(flat));
    }
    INLET_ASSIGN_OR_RAISE(column, arrow::ChunkedArray::Make(std::move(chunks),
                                                            column->type()->field(child)->type()));
  }
  return column;
}

}  // namespace inlet::query
