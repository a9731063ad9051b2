// cloudFiles.schemaHints: splits the option into `path TYPE` items, parses each with the DDL
// type parser, and writes the hinted types into a schema at any depth.
#include "inlet/schema/hints.h"

#include <cctype>

#include <fmt/format.h>

#include "inlet/schema/ddl.h"
#include "inlet/util/strings.h"

namespace inlet {
namespace {

constexpr std::string_view kOption = "cloudFiles.schemaHints";

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// 1-based position in characters (not bytes), so a non-ASCII name before the problem
// does not shift what the user counts.
size_t CharPosition(std::string_view text, size_t byte_offset) {
  size_t chars = 0;
  for (size_t i = 0; i < byte_offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars + 1;
}

// One comma-separated item: [begin, end) in the option text, trimmed.
struct Item {
  size_t begin;
  size_t end;
};

Status ItemError(std::string_view text, const Item& item, size_t at, std::string_view what) {
  return Status::Invalid(fmt::format("{}: cannot parse '{}' at position {}: {}", kOption,
                                     text.substr(item.begin, item.end - item.begin),
                                     CharPosition(text, at), what));
}

Item Trimmed(std::string_view text, size_t begin, size_t end) {
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return Item{begin, end};
}

// Splits at commas outside <...>, (...) and back quotes. Inside back quotes `` is an
// escaped quote, which toggling twice handles without a special case.
Result<std::vector<Item>> SplitItems(std::string_view text) {
  std::vector<Item> items;
  int depth = 0;
  bool quoted = false;
  size_t quote_at = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : ',';
    if (quoted) {
      if (i == text.size()) {
        Item item = Trimmed(text, start, text.size());
        return ItemError(text, item, quote_at, "unterminated back quote");
      }
      if (c == '`') quoted = false;
      continue;
    }
    if (c == '`') {
      quoted = true;
      quote_at = i;
    } else if (c == '<' || c == '(') {
      ++depth;
    } else if ((c == '>' || c == ')') && depth > 0) {
      --depth;
    } else if (c == ',' && (depth == 0 || i == text.size())) {
      Item item = Trimmed(text, start, i);
      if (item.begin == item.end) {
        return Status::Invalid(fmt::format("{}: empty hint at position {} in '{}'", kOption,
                                           CharPosition(text, item.begin), text));
      }
      items.push_back(item);
      start = i + 1;
    }
  }
  return items;
}

// `a.b`.c: names separated by dots, each bare (up to a space, dot or back quote) or
// back-quoted. Leaves `*pos` after the path.
Result<std::vector<std::string>> ParsePath(std::string_view text, const Item& item, size_t* pos) {
  std::vector<std::string> path;
  size_t i = *pos;
  while (true) {
    std::string name;
    if (i < item.end && text[i] == '`') {
      size_t open = i++;
      while (true) {
        if (i >= item.end) return ItemError(text, item, open, "unterminated back quote");
        char c = text[i++];
        if (c == '`') {
          if (i < item.end && text[i] == '`') {
            ++i;
          } else {
            break;
          }
        }
        name.push_back(c);
      }
    } else {
      size_t start = i;
      while (i < item.end && !IsSpace(text[i]) && text[i] != '.' && text[i] != '`') ++i;
      if (i == start) return ItemError(text, item, start, "expected a column name");
      name.assign(text.substr(start, i - start));
    }
    path.push_back(std::move(name));
    if (i < item.end && text[i] == '.') {
      ++i;
      continue;
    }
    break;
  }
  *pos = i;
  return path;
}

Result<SchemaHint> ParseItem(std::string_view text, const Item& item) {
  SchemaHint hint;
  hint.text.assign(text.substr(item.begin, item.end - item.begin));
  size_t pos = item.begin;
  INLET_ASSIGN_OR_RAISE(hint.path, ParsePath(text, item, &pos));
  if (pos < item.end && !IsSpace(text[pos])) {
    return ItemError(text, item, pos, "expected a space between the column name and its type");
  }
  while (pos < item.end && IsSpace(text[pos])) ++pos;
  if (pos >= item.end) {
    return ItemError(text, item, pos, "expected a type after the column name");
  }
  // The DDL parser sees the text only up to the item's end, so its positions are already
  // positions in the whole option.
  std::string_view upto_item = text.substr(0, item.end);
  size_t error_at = pos;
  Result<DataTypePtr> type = ParseDdlTypePrefix(upto_item, &pos, &error_at);
  if (!type.ok()) return ItemError(text, item, error_at, type.status().message());
  while (pos < item.end && IsSpace(text[pos])) ++pos;
  if (pos < item.end) return ItemError(text, item, pos, "unexpected text after the type");
  hint.type = *std::move(type);
  return hint;
}

Result<DataTypePtr> ApplyToType(const DataTypePtr& type, const SchemaHint& hint, size_t index);

Result<std::vector<Field>> ApplyToFields(std::vector<Field> fields, const SchemaHint& hint,
                                         size_t index) {
  const std::string& name = hint.path[index];
  bool leaf = index + 1 == hint.path.size();
  int found = FindFieldIndexAnyCase(fields, name);
  if (found < 0) {
    // A missing path: the remaining names become nested structs around the hinted type.
    DataTypePtr type = hint.type;
    for (size_t i = hint.path.size() - 1; i > index; --i) {
      type = DataType::Struct({Field{hint.path[i], type}});
    }
    fields.push_back(Field{name, std::move(type)});
    return fields;
  }
  Field& field = fields[static_cast<size_t>(found)];
  if (leaf) {
    field.type = hint.type;
  } else {
    INLET_ASSIGN_OR_RAISE(field.type, ApplyToType(field.type, hint, index + 1));
  }
  return fields;
}

Status NotAContainer(const SchemaHint& hint, size_t index, const DataType& type,
                     std::string_view wanted) {
  std::vector<std::string> parent(hint.path.begin(), hint.path.begin() + index);
  std::string parent_text;
  for (const std::string& name : parent) {
    if (!parent_text.empty()) parent_text += ".";
    parent_text += name;
  }
  return Status::Invalid(fmt::format("{}: cannot apply '{}': '{}' is a {}, so '{}' {}", kOption,
                                     hint.text, parent_text, type.TypeName(), hint.path[index],
                                     wanted));
}

// `type` is the type at path[0..index); path[index] names a part of it.
Result<DataTypePtr> ApplyToType(const DataTypePtr& type, const SchemaHint& hint, size_t index) {
  const std::string& part = hint.path[index];
  bool leaf = index + 1 == hint.path.size();
  switch (type->kind) {
    case TypeKind::kStruct: {
      INLET_ASSIGN_OR_RAISE(std::vector<Field> fields, ApplyToFields(type->fields, hint, index));
      return DataType::Struct(std::move(fields));
    }
    case TypeKind::kArray: {
      if (!EqualsIgnoreCase(part, "element")) {
        return NotAContainer(hint, index, *type, "must be 'element'");
      }
      DataTypePtr element = hint.type;
      if (!leaf) {
        INLET_ASSIGN_OR_RAISE(element, ApplyToType(type->element, hint, index + 1));
      }
      return DataType::Array(std::move(element), type->contains_null);
    }
    case TypeKind::kMap: {
      bool is_key = EqualsIgnoreCase(part, "key");
      if (!is_key && !EqualsIgnoreCase(part, "value")) {
        return NotAContainer(hint, index, *type, "must be 'key' or 'value'");
      }
      DataTypePtr key = type->key;
      DataTypePtr value = type->value;
      DataTypePtr& target = is_key ? key : value;
      if (leaf) {
        target = hint.type;
      } else {
        INLET_ASSIGN_OR_RAISE(target, ApplyToType(target, hint, index + 1));
      }
      return DataType::Map(std::move(key), std::move(value), type->value_contains_null);
    }
    default:
      return NotAContainer(hint, index, *type, "cannot be a field of it");
  }
}

}  // namespace

Result<std::vector<SchemaHint>> ParseSchemaHints(std::string_view text) {
  std::vector<SchemaHint> hints;
  if (Trimmed(text, 0, text.size()).begin == text.size()) return hints;
  // Hinted names end up in Delta's JSON schema, which must be UTF-8.
  if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    return Status::Invalid(fmt::format("{}: invalid UTF-8 at position {} in '{}'", kOption,
                                       CharPosition(text, bad), text));
  }
  INLET_ASSIGN_OR_RAISE(std::vector<Item> items, SplitItems(text));
  for (const Item& item : items) {
    INLET_ASSIGN_OR_RAISE(SchemaHint hint, ParseItem(text, item));
    hints.push_back(std::move(hint));
  }
  return hints;
}

Result<Schema> ApplySchemaHints(const Schema& schema, const std::vector<SchemaHint>& hints) {
  Schema out = schema;
  for (const SchemaHint& hint : hints) {
    if (hint.path.empty() || hint.type == nullptr) {
      return Status::Invalid(fmt::format("{}: hint '{}' has no column or no type", kOption,
                                         hint.text));
    }
    INLET_ASSIGN_OR_RAISE(out.fields, ApplyToFields(std::move(out.fields), hint, 0));
  }
  return out;
}

}  // namespace inlet
