// Spark DDL column lists and type strings: a small recursive-descent parser and the printer
// that mirrors Spark's StructType.toDDL.
#include "inlet/schema/ddl.h"
#include "inlet/util/strings.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace inlet {
namespace {

bool IsIdentChar(char c) {
  // Bytes >= 0x80 let unquoted UTF-8 names through; Spark would ask for backquotes there,
  // but accepting them costs nothing and helps hand-written schema hints.
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

class DdlParser {
 public:
  explicit DdlParser(std::string_view text) : text_(text) {}
  // Names and comments end up in Delta's JSON schema, which must be UTF-8.
  Status CheckUtf8(size_t from, size_t to) const {
    from = std::min(from, text_.size());
    size_t bad = FindInvalidUtf8(text_.substr(from, to - std::min(to, from)));
    if (bad == std::string_view::npos) return Status::OK();
    return Error(from + bad, "invalid UTF-8");
  }
  // Bare mode, for a type embedded in a larger text: starts at `offset` and reports
  // errors as the bare problem plus `error_offset()`, so the caller can frame them.
  DdlParser(std::string_view text, size_t offset) : text_(text), pos_(offset), bare_errors_(true) {}

  size_t position() const { return pos_; }
  size_t error_offset() const { return error_offset_; }

  Result<Schema> ParseSchema() {
    Schema schema;
    SkipSpace();
    if (AtEnd()) return schema;  // an empty DDL is an empty schema
    while (true) {
      INLET_ASSIGN_OR_RAISE(Field field, ParseColumn());
      schema.fields.push_back(std::move(field));
      SkipSpace();
      if (AtEnd()) break;
      if (!Consume(',')) return Error(pos_, "expected ',' between columns");
    }
    return schema;
  }

  Result<DataTypePtr> ParseTypePrefix() { return ParseType(); }

  Result<DataTypePtr> ParseTypeOnly() {
    INLET_ASSIGN_OR_RAISE(DataTypePtr type, ParseType());
    SkipSpace();
    if (!AtEnd()) return Error(pos_, "unexpected text after the type");
    return type;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipSpace() {
    while (!AtEnd() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool Consume(char c) {
    SkipSpace();
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  // Position for messages: 1-based and counted in characters, so non-ASCII names do not
  // shift it.
  size_t CharPosition(size_t byte_offset) const {
    size_t chars = 0;
    for (size_t i = 0; i < byte_offset && i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++chars;
    }
    return chars + 1;
  }

  Status Error(size_t byte_offset, std::string_view what) const {
    if (bare_errors_) {
      error_offset_ = byte_offset;
      return Status::Invalid(std::string(what));
    }
    return Status::Invalid(
        fmt::format("DDL error at position {} in '{}': {}", CharPosition(byte_offset), text_, what));
  }

  // A bare word: letters, digits, underscore. Empty when none is there.
  std::string_view Word() {
    SkipSpace();
    size_t start = pos_;
    while (!AtEnd() && IsIdentChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // Peeks at the next word without consuming it.
  std::string_view PeekWord() {
    size_t saved = pos_;
    std::string_view word = Word();
    pos_ = saved;
    return word;
  }

  Result<std::string> Identifier() {
    SkipSpace();
    size_t start = pos_;
    if (Peek() == '`') {
      ++pos_;
      std::string name;
      while (true) {
        if (AtEnd()) return Error(start, "unterminated backquoted name");
        char c = text_[pos_++];
        if (c == '`') {
          if (Peek() != '`') break;
          ++pos_;  // `` is a literal backquote
        }
        name.push_back(c);
      }
      return name;
    }
    std::string_view word = Word();
    if (word.empty()) return Error(start, "expected a column name");
    return std::string(word);
  }

  // A quoted string literal with Spark's backslash escapes; '' inside '...' is a quote too.
  Result<std::string> StringLiteral() {
    SkipSpace();
    size_t start = pos_;
    char quote = Peek();
    if (quote != '\'' && quote != '"') return Error(start, "expected a quoted string");
    ++pos_;
    std::string value;
    while (true) {
      if (AtEnd()) return Error(start, "unterminated string");
      char c = text_[pos_++];
      if (c == quote) {
        if (Peek() != quote) break;
        ++pos_;
        value.push_back(quote);
        continue;
      }
      if (c == '\\' && !AtEnd()) {
        char e = text_[pos_++];
        switch (e) {
          case 'n': value.push_back('\n'); break;
          case 't': value.push_back('\t'); break;
          case 'r': value.push_back('\r'); break;
          case 'b': value.push_back('\b'); break;
          case '0': value.push_back('\0'); break;
          default: value.push_back(e);  // \\ \' \" and anything else: the character
        }
        continue;
      }
      value.push_back(c);
    }
    return value;
  }

  Result<int> Integer() {
    SkipSpace();
    size_t start = pos_;
    while (!AtEnd() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    int value = 0;
    auto [end, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, value);
    if (start == pos_ || ec != std::errc()) return Error(start, "expected a number");
    return value;
  }

  Status Expect(char c, std::string_view context) {
    SkipSpace();
    size_t at = pos_;
    if (!Consume(c)) return Error(at, fmt::format("expected '{}' {}", c, context));
    return Status::OK();
  }

  // name [:] type [NOT NULL] [COMMENT 'text']
  Result<Field> ParseColumn() {
    Field field;
    INLET_ASSIGN_OR_RAISE(field.name, Identifier());
    Consume(':');  // Spark writes "name: TYPE" inside STRUCT<...>; accepted everywhere
    INLET_ASSIGN_OR_RAISE(field.type, ParseType());
    while (true) {
      std::string_view word = PeekWord();
      if (EqualsIgnoreCase(word, "NOT")) {
        size_t not_at = pos_;
        Word();
        if (!EqualsIgnoreCase(Word(), "NULL")) return Error(not_at, "expected NULL after NOT");
        field.nullable = false;
      } else if (EqualsIgnoreCase(word, "COMMENT")) {
        Word();
        INLET_ASSIGN_OR_RAISE(std::string comment, StringLiteral());
        nlohmann::ordered_json metadata;
        metadata["comment"] = comment;
        field.metadata_json =
            metadata.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      } else {
        break;
      }
    }
    return field;
  }

  Result<DataTypePtr> ParseDecimal() {
    int precision = 10;
    int scale = 0;
    if (Consume('(')) {
      SkipSpace();
      size_t at = pos_;
      INLET_ASSIGN_OR_RAISE(precision, Integer());
      if (Consume(',')) {
        INLET_ASSIGN_OR_RAISE(scale, Integer());
      }
      INLET_RETURN_NOT_OK(Expect(')', "to close DECIMAL("));
      if (precision < 1 || precision > 38) {
        return Error(at, fmt::format("decimal precision {} is not within 1..38", precision));
      }
      if (scale > precision) {
        return Error(at, fmt::format("decimal scale {} exceeds precision {}", scale, precision));
      }
    }
    return DataType::Decimal(precision, scale);
  }

  Result<DataTypePtr> ParseType() {
    SkipSpace();
    size_t start = pos_;
    std::string_view name = Word();
    if (name.empty()) return Error(start, "expected a type");
    auto is = [&](std::string_view candidate) { return EqualsIgnoreCase(name, candidate); };
    if (is("STRING")) return DataType::String();
    if (is("VARCHAR") || is("CHAR")) {
      // The length only constrains writes in Spark; the stored type is a string.
      INLET_RETURN_NOT_OK(Expect('(', fmt::format("after {}", name)));
      INLET_RETURN_NOT_OK(Integer().status());
      INLET_RETURN_NOT_OK(Expect(')', fmt::format("to close {}(", name)));
      return DataType::String();
    }
    if (is("BIGINT") || is("LONG")) return DataType::Long();
    if (is("INT") || is("INTEGER")) return DataType::Integer();
    if (is("SMALLINT") || is("SHORT")) return DataType::Short();
    if (is("TINYINT") || is("BYTE")) return DataType::Byte();
    if (is("DOUBLE")) return DataType::Double();
    if (is("FLOAT") || is("REAL")) return DataType::Float();
    if (is("BOOLEAN")) return DataType::Boolean();
    if (is("DECIMAL") || is("DEC") || is("NUMERIC")) return ParseDecimal();
    if (is("DATE")) return DataType::Date();
    if (is("TIMESTAMP") || is("TIMESTAMP_LTZ")) return DataType::Timestamp();
    if (is("BINARY")) return DataType::Binary();
    if (is("VARIANT")) return DataType::Variant();
    if (is("VOID")) return DataType::Null();
    if (is("ARRAY")) {
      INLET_RETURN_NOT_OK(Expect('<', "after ARRAY"));
      INLET_ASSIGN_OR_RAISE(DataTypePtr element, ParseType());
      INLET_RETURN_NOT_OK(Expect('>', "to close ARRAY<"));
      return DataType::Array(std::move(element));
    }
    if (is("MAP")) {
      INLET_RETURN_NOT_OK(Expect('<', "after MAP"));
      INLET_ASSIGN_OR_RAISE(DataTypePtr key, ParseType());
      INLET_RETURN_NOT_OK(Expect(',', "between MAP key and value types"));
      INLET_ASSIGN_OR_RAISE(DataTypePtr value, ParseType());
      INLET_RETURN_NOT_OK(Expect('>', "to close MAP<"));
      return DataType::Map(std::move(key), std::move(value));
    }
    if (is("STRUCT")) {
      INLET_RETURN_NOT_OK(Expect('<', "after STRUCT"));
      std::vector<Field> fields;
      if (!Consume('>')) {
        while (true) {
          INLET_ASSIGN_OR_RAISE(Field field, ParseColumn());
          fields.push_back(std::move(field));
          if (Consume('>')) break;
          SkipSpace();
          size_t at = pos_;
          if (!Consume(',')) return Error(at, "expected ',' or '>' in STRUCT<...>");
        }
      }
      return DataType::Struct(std::move(fields));
    }
    return Error(start, fmt::format("unknown type {}", name));
  }

  std::string_view text_;
  size_t pos_ = 0;
  bool bare_errors_ = false;
  mutable size_t error_offset_ = 0;
};

bool NeedsQuotes(const std::string& name) {
  if (name.empty()) return true;
  if (std::isdigit(static_cast<unsigned char>(name[0]))) return true;
  return !std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string QuoteIfNeeded(const std::string& name) {
  if (!NeedsQuotes(name)) return name;
  std::string quoted = "`";
  for (char c : name) {
    if (c == '`') quoted.push_back('`');
    quoted.push_back(c);
  }
  quoted.push_back('`');
  return quoted;
}

// " COMMENT '...'" when the field's metadata carries a comment, as Spark prints it (with
// backslashes escaped too, so the text reads back unchanged).
std::string CommentClause(const Field& field) {
  if (field.metadata_json.find("\"comment\"") == std::string::npos) return "";
  auto metadata = nlohmann::json::parse(field.metadata_json, nullptr, /*allow_exceptions=*/false);
  if (!metadata.is_object()) return "";
  auto it = metadata.find("comment");
  if (it == metadata.end() || !it->is_string()) return "";
  std::string out = " COMMENT '";
  for (char c : it->get<std::string>()) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string FieldDdl(const Field& field, std::string_view separator) {
  return fmt::format("{}{}{}{}{}", QuoteIfNeeded(field.name), separator, ToDdl(*field.type),
                     field.nullable ? "" : " NOT NULL", CommentClause(field));
}

}  // namespace

Result<Schema> ParseDdlSchema(std::string_view ddl) {
  DdlParser parser(ddl);
  INLET_RETURN_NOT_OK(parser.CheckUtf8(0, ddl.size()));
  return parser.ParseSchema();
}

Result<DataTypePtr> ParseDdlType(std::string_view type_text) {
  DdlParser parser(type_text);
  INLET_RETURN_NOT_OK(parser.CheckUtf8(0, type_text.size()));
  return parser.ParseTypeOnly();
}

Result<DataTypePtr> ParseDdlTypePrefix(std::string_view text, size_t* offset,
                                       size_t* error_offset) {
  DdlParser parser(text, *offset);
  Result<DataTypePtr> type = parser.ParseTypePrefix();
  if (type.ok()) {  // only the bytes of this type: what follows is the caller's
    Status utf8 = parser.CheckUtf8(*offset, parser.position());
    if (!utf8.ok()) type = utf8;
  }
  if (type.ok()) {
    *offset = parser.position();
  } else if (error_offset != nullptr) {
    *error_offset = parser.error_offset();
  }
  return type;
}

std::string ToDdl(const Schema& schema) {
  // Spark's toDDL joins top-level columns with a bare comma.
  std::string out;
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += FieldDdl(schema.fields[i], " ");
  }
  return out;
}

std::string ToDdl(const DataType& type) {
  switch (type.kind) {
    case TypeKind::kNull: return "VOID";
    case TypeKind::kString: return "STRING";
    case TypeKind::kLong: return "BIGINT";
    case TypeKind::kInteger: return "INT";
    case TypeKind::kShort: return "SMALLINT";
    case TypeKind::kByte: return "TINYINT";
    case TypeKind::kDouble: return "DOUBLE";
    case TypeKind::kFloat: return "FLOAT";
    case TypeKind::kBoolean: return "BOOLEAN";
    case TypeKind::kDecimal: return fmt::format("DECIMAL({},{})", type.precision, type.scale);
    case TypeKind::kDate: return "DATE";
    case TypeKind::kTimestamp: return "TIMESTAMP";
    case TypeKind::kBinary: return "BINARY";
    case TypeKind::kVariant: return "VARIANT";
    case TypeKind::kArray: return fmt::format("ARRAY<{}>", ToDdl(*type.element));
    case TypeKind::kMap: return fmt::format("MAP<{}, {}>", ToDdl(*type.key), ToDdl(*type.value));
    case TypeKind::kStruct: {
      std::string out = "STRUCT<";
      for (size_t i = 0; i < type.fields.size(); ++i) {
        if (i > 0) out += ", ";
        out += FieldDdl(type.fields[i], ": ");
      }
      out += ">";
      return out;
    }
  }
  return "STRING";
}

}  // namespace inlet
