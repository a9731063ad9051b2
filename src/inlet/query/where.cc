// The --where parser (recursive descent over a small token list) and its evaluation with
// Arrow compute kernels, which already implement SQL's three-valued AND/OR (kleene).
#include "inlet/query/where.h"
#include "inlet/util/strings.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <vector>

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/compute/initialize.h>
#include <fmt/format.h>

#include "inlet/query/column_path.h"
#include "inlet/schema/arrow_convert.h"

namespace inlet::query {

struct WhereExpr {
  enum class Kind { kColumn, kLiteral, kNot, kAnd, kOr, kCompare, kIsNull };
  enum class Literal { kNull, kBool, kInt, kDouble, kString };

  Kind kind = Kind::kLiteral;
  std::vector<std::string> path;  // kColumn
  Literal literal = Literal::kNull;
  bool bool_value = false;
  int64_t int_value = 0;
  double double_value = 0;
  std::string text;               // kString value, or a number as written
  std::string op;                 // kCompare: =, ==, !=, <>, <, <=, >, >=
  bool negated = false;           // kIsNull: IS NOT NULL
  std::shared_ptr<const WhereExpr> left, right;  // right is unset for kNot / kIsNull
};

namespace {

using ExprPtr = std::shared_ptr<const WhereExpr>;

// ---------------------------------------------------------------------------------------
// Tokens

enum class TokenKind { kWord, kQuotedName, kString, kNumber, kOperator, kLeft, kRight, kDot, kMinus, kEnd };

struct Token {
  TokenKind kind;
  std::string text;  // unescaped for kString / kQuotedName
  size_t position;   // 1-based
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<ExprPtr> Parse() {
    INLET_RETURN_NOT_OK(Tokenize());
    // Parsing, printing and evaluating recurse over the tree, so its size is bounded: a
    // pathological filter is an error, not a stack overflow (found by fuzz/fuzz_where).
    if (tokens_.size() > kMaxTokens) {
      return Error(tokens_[kMaxTokens], fmt::format("more than {} tokens", kMaxTokens));
    }
    INLET_ASSIGN_OR_RAISE(auto expr, ParseOr());
    if (Peek().kind != TokenKind::kEnd) return Error(Peek(), "unexpected " + Describe(Peek()));
    return expr;
  }

 private:
  Status ErrorAt(size_t position, const std::string& message) const {
    return Status::Invalid(fmt::format("--where error at position {} in '{}': {}", position, text_, message));
  }
  Status Error(const Token& token, const std::string& message) const { return ErrorAt(token.position, message); }

  static std::string Describe(const Token& token) {
    switch (token.kind) {
      case TokenKind::kEnd: return "end of expression";
      case TokenKind::kString: return fmt::format("string '{}'", token.text);
      default: return fmt::format("'{}'", token.text);
    }
  }

  // Reads a quoted run starting at text_[i] == quote; a doubled quote is one quote char.
  Result<std::string> ReadQuoted(size_t& i, char quote, const char* what) {
    const size_t start = i;
    std::string value;
    ++i;
    for (;;) {
      if (i >= text_.size()) return ErrorAt(start + 1, fmt::format("unterminated {}", what));
      if (text_[i] == quote) {
        if (i + 1 < text_.size() && text_[i + 1] == quote) {
          value += quote;
          i += 2;
          continue;
        }
        ++i;
        return value;
      }
      value += text_[i++];
    }
  }

  Status Tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      const size_t position = i + 1;
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '\'' || c == '"') {
        INLET_ASSIGN_OR_RAISE(auto value, ReadQuoted(i, c, "string"));
        tokens_.push_back({TokenKind::kString, std::move(value), position});
      } else if (c == '`') {
        INLET_ASSIGN_OR_RAISE(auto value, ReadQuoted(i, c, "`quoted` name"));
        tokens_.push_back({TokenKind::kQuotedName, std::move(value), position});
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t j = i;
        while (j < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_')) ++j;
        tokens_.push_back({TokenKind::kWord, std::string(text_.substr(i, j - i)), position});
        i = j;
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 (c == '.' && i + 1 < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i + 1])) &&
                  !PreviousEndsName())) {
        size_t j = i;
        while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
        if (j < text_.size() && text_[j] == '.') {
          ++j;
          while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
        }
        if (j < text_.size() && (text_[j] == 'e' || text_[j] == 'E')) {
          size_t k = j + 1;
          if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) ++k;
          if (k >= text_.size() || !std::isdigit(static_cast<unsigned char>(text_[k]))) {
            return ErrorAt(j + 1, "exponent needs digits");
          }
          while (k < text_.size() && std::isdigit(static_cast<unsigned char>(text_[k]))) ++k;
          j = k;
        }
        tokens_.push_back({TokenKind::kNumber, std::string(text_.substr(i, j - i)), position});
        i = j;
      } else if (c == '(' || c == ')' || c == '.' || c == '-') {
        const TokenKind kind = c == '(' ? TokenKind::kLeft
                               : c == ')' ? TokenKind::kRight
                               : c == '.' ? TokenKind::kDot
                                          : TokenKind::kMinus;
        tokens_.push_back({kind, std::string(1, c), position});
        ++i;
      } else if (c == '=' || c == '!' || c == '<' || c == '>') {
        std::string op(1, c);
        const char next = i + 1 < text_.size() ? text_[i + 1] : '\0';
        if (next == '=' || (c == '<' && next == '>')) op += next;
        if (op == "!") return ErrorAt(position, "'!' must be followed by '=' (use NOT for negation)");
        tokens_.push_back({TokenKind::kOperator, op, position});
        i += op.size();
      } else {
        return ErrorAt(position, fmt::format("unexpected character '{}'", c));
      }
    }
    tokens_.push_back({TokenKind::kEnd, "", text_.size() + 1});
    return Status::OK();
  }

  // "a.5" after a name is a path part, not the number .5.
  bool PreviousEndsName() const {
    return !tokens_.empty() &&
           (tokens_.back().kind == TokenKind::kWord || tokens_.back().kind == TokenKind::kQuotedName);
  }

  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_++]; }
  bool PeekKeyword(const char* keyword) const {
    return Peek().kind == TokenKind::kWord && AsciiUpper(Peek().text) == keyword;
  }

  static ExprPtr Binary(WhereExpr::Kind kind, ExprPtr left, ExprPtr right, std::string op = "") {
    auto node = std::make_shared<WhereExpr>();
    node->kind = kind;
    node->left = std::move(left);
    node->right = std::move(right);
    node->op = std::move(op);
    return node;
  }

  Result<ExprPtr> ParseOr() {
    INLET_ASSIGN_OR_RAISE(auto left, ParseAnd());
    while (PeekKeyword("OR")) {
      Take();
      INLET_ASSIGN_OR_RAISE(auto right, ParseAnd());
      left = Binary(WhereExpr::Kind::kOr, left, right);
    }
    return left;
  }

  Result<ExprPtr> ParseAnd() {
    INLET_ASSIGN_OR_RAISE(auto left, ParseNot());
    while (PeekKeyword("AND")) {
      Take();
      INLET_ASSIGN_OR_RAISE(auto right, ParseNot());
      left = Binary(WhereExpr::Kind::kAnd, left, right);
    }
    return left;
  }

  Status Enter(const Token& token) {
    if (++depth_ > kMaxDepth) return Error(token, fmt::format("nested deeper than {} levels", kMaxDepth));
    return Status::OK();
  }

  Result<ExprPtr> ParseNot() {
    if (PeekKeyword("NOT")) {
      INLET_RETURN_NOT_OK(Enter(Take()));
      INLET_ASSIGN_OR_RAISE(auto operand, ParseNot());
      --depth_;
      return Binary(WhereExpr::Kind::kNot, operand, nullptr);
    }
    return ParseComparison();
  }

  Result<ExprPtr> ParseComparison() {
    INLET_ASSIGN_OR_RAISE(auto left, ParseOperand());
    if (Peek().kind == TokenKind::kOperator) {
      std::string op = Take().text;
      INLET_ASSIGN_OR_RAISE(auto right, ParseOperand());
      return Binary(WhereExpr::Kind::kCompare, left, right, std::move(op));
    }
    if (PeekKeyword("IS")) {
      Take();
      bool negated = false;
      if (PeekKeyword("NOT")) {
        Take();
        negated = true;
      }
      if (!PeekKeyword("NULL")) return Error(Peek(), "expected NULL after IS, found " + Describe(Peek()));
      Take();
      auto node = std::make_shared<WhereExpr>();
      node->kind = WhereExpr::Kind::kIsNull;
      node->negated = negated;
      node->left = left;
      return ExprPtr(node);
    }
    return left;
  }

  Result<ExprPtr> ParseNumber(const Token& token, bool minus) {
    auto node = std::make_shared<WhereExpr>();
    node->kind = WhereExpr::Kind::kLiteral;
    node->text = (minus ? "-" : "") + token.text;
    const char* begin = node->text.data();
    const char* end = begin + node->text.size();
    if (token.text.find_first_of(".eE") == std::string::npos) {
      auto [ptr, ec] = std::from_chars(begin, end, node->int_value);
      if (ec == std::errc() && ptr == end) {
        node->literal = WhereExpr::Literal::kInt;
        return ExprPtr(node);
      }
    }
    // strtod rather than from_chars: it accepts ".5" and overflows to inf like Java.
    node->double_value = std::strtod(node->text.c_str(), nullptr);
    node->literal = WhereExpr::Literal::kDouble;
    return ExprPtr(node);
  }

  Result<ExprPtr> ParseOperand() {
    const Token& token = Take();
    switch (token.kind) {
      case TokenKind::kLeft: {
        INLET_RETURN_NOT_OK(Enter(token));
        INLET_ASSIGN_OR_RAISE(auto inner, ParseOr());
        --depth_;
        if (Peek().kind != TokenKind::kRight) {
          return Error(Peek(), fmt::format("expected ')' to close '(' at position {}, found {}", token.position,
                                           Describe(Peek())));
        }
        Take();
        return inner;
      }
      case TokenKind::kString: {
        auto node = std::make_shared<WhereExpr>();
        node->literal = WhereExpr::Literal::kString;
        node->text = token.text;
        return ExprPtr(node);
      }
      case TokenKind::kNumber: return ParseNumber(token, false);
      case TokenKind::kMinus: {
        if (Peek().kind != TokenKind::kNumber) return Error(Peek(), "expected a number after '-'");
        return ParseNumber(Take(), true);
      }
      case TokenKind::kWord: {
        const std::string upper = AsciiUpper(token.text);
        if (upper == "TRUE" || upper == "FALSE") {
          auto node = std::make_shared<WhereExpr>();
          node->literal = WhereExpr::Literal::kBool;
          node->bool_value = upper == "TRUE";
          return ExprPtr(node);
        }
        if (upper == "NULL") return std::make_shared<const WhereExpr>();
        if (upper == "AND" || upper == "OR" || upper == "NOT" || upper == "IS") {
          return Error(token, fmt::format("expected a column, value or '(' but found keyword {}", upper));
        }
        return ParsePath(token);
      }
      case TokenKind::kQuotedName: return ParsePath(token);
      default:
        return Error(token, "expected a column, value or '(' but found " + Describe(token));
    }
  }

  Result<ExprPtr> ParsePath(const Token& first) {
    auto node = std::make_shared<WhereExpr>();
    node->kind = WhereExpr::Kind::kColumn;
    node->path.push_back(first.text);
    while (Peek().kind == TokenKind::kDot) {
      Take();
      const Token& part = Take();
      if (part.kind != TokenKind::kWord && part.kind != TokenKind::kQuotedName) {
        return Error(part, "expected a field name after '.', found " + Describe(part));
      }
      node->path.push_back(part.text);
    }
    return ExprPtr(node);
  }

  static constexpr size_t kMaxTokens = 4096;  // AND/OR chains: the tree is that deep
  static constexpr int kMaxDepth = 128;        // parentheses and NOTs inside each other

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
  int depth_ = 0;
};

// ---------------------------------------------------------------------------------------
// Evaluation: every node becomes an Array (one value per row) or a Scalar (a literal).

struct Value {
  arrow::Datum datum;
  std::string description;  // for errors: "string column 'name'", "number 5"
};

Status EnsureComputeInitialized() {
  // Arrow 26 registers its compute kernels only on request.
  static const Status status = arrow::compute::Initialize();
  return status;
}

std::string SparkTypeName(const arrow::DataType& type) {
  auto converted = FromArrowType(type);
  return converted.ok() ? (*converted)->TypeName() : type.ToString();
}

std::string QuoteString(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

bool IsNumeric(const arrow::DataType& type) {
  return arrow::is_integer(type.id()) || arrow::is_floating(type.id()) || arrow::is_decimal(type.id());
}
bool IsString(const arrow::DataType& type) {
  return type.id() == arrow::Type::STRING || type.id() == arrow::Type::LARGE_STRING;
}
bool IsTemporal(const arrow::DataType& type) {
  return type.id() == arrow::Type::DATE32 || type.id() == arrow::Type::TIMESTAMP;
}

class Evaluator {
 public:
  explicit Evaluator(const arrow::Table& table) : table_(table) {}

  Result<Value> Eval(const WhereExpr& expr) {
    switch (expr.kind) {
      case WhereExpr::Kind::kColumn: return EvalColumn(expr);
      case WhereExpr::Kind::kLiteral: return EvalLiteral(expr);
      case WhereExpr::Kind::kNot: {
        INLET_ASSIGN_OR_RAISE(auto operand, EvalCondition(*expr.left, "NOT"));
        INLET_ASSIGN_OR_RAISE(auto result, arrow::compute::CallFunction("invert", {operand.datum}));
        return Value{result, "NOT " + operand.description};
      }
      case WhereExpr::Kind::kAnd:
      case WhereExpr::Kind::kOr: {
        const char* name = expr.kind == WhereExpr::Kind::kAnd ? "AND" : "OR";
        INLET_ASSIGN_OR_RAISE(auto left, EvalCondition(*expr.left, name));
        INLET_ASSIGN_OR_RAISE(auto right, EvalCondition(*expr.right, name));
        INLET_ASSIGN_OR_RAISE(auto result,
                              arrow::compute::CallFunction(expr.kind == WhereExpr::Kind::kAnd ? "and_kleene" : "or_kleene",
                                                           {left.datum, right.datum}));
        return Value{result, "condition"};
      }
      case WhereExpr::Kind::kIsNull: {
        INLET_ASSIGN_OR_RAISE(auto operand, Eval(*expr.left));
        if (operand.datum.is_scalar()) {
          const bool is_null = !operand.datum.scalar()->is_valid;
          return Value{arrow::Datum(std::make_shared<arrow::BooleanScalar>(is_null != expr.negated)), "condition"};
        }
        INLET_ASSIGN_OR_RAISE(auto result,
                              arrow::compute::CallFunction(expr.negated ? "is_valid" : "is_null", {operand.datum}));
        return Value{result, "condition"};
      }
      case WhereExpr::Kind::kCompare: return EvalCompare(expr);
    }
    return Status::Invalid("unknown --where node");
  }

  // A value that must be boolean (operands of AND/OR/NOT and the whole expression).
  Result<Value> EvalCondition(const WhereExpr& expr, const std::string& context) {
    INLET_ASSIGN_OR_RAISE(auto value, Eval(expr));
    const auto& type = *value.datum.type();
    if (type.id() == arrow::Type::NA) {
      INLET_ASSIGN_OR_RAISE(value.datum, arrow::compute::Cast(value.datum, arrow::boolean()));
    } else if (type.id() != arrow::Type::BOOL) {
      return Status::Invalid(fmt::format("--where: {} needs a true/false condition, got {}", context,
                                         value.description));
    }
    return value;
  }

 private:
  Result<Value> EvalColumn(const WhereExpr& expr) {
    auto resolved = ResolveColumnPath(table_, expr.path);
    if (!resolved.ok()) return Status::Invalid("--where: ", resolved.status().message());
    std::shared_ptr<arrow::ChunkedArray> column = *resolved;
    std::shared_ptr<arrow::Array> array;
    if (column->num_chunks() == 1) {
      array = column->chunk(0);
    } else if (column->num_chunks() == 0) {
      INLET_ASSIGN_OR_RAISE(array, arrow::MakeEmptyArray(column->type()));
    } else {
      INLET_ASSIGN_OR_RAISE(array, arrow::Concatenate(column->chunks()));
    }
    return Value{arrow::Datum(array), fmt::format("{} column '{}'", SparkTypeName(*column->type()),
                                                  FormatColumnPath(expr.path))};
  }

  static Result<Value> EvalLiteral(const WhereExpr& expr) {
    switch (expr.literal) {
      case WhereExpr::Literal::kNull: return Value{arrow::Datum(std::make_shared<arrow::NullScalar>()), "NULL"};
      case WhereExpr::Literal::kBool:
        return Value{arrow::Datum(std::make_shared<arrow::BooleanScalar>(expr.bool_value)),
                     expr.bool_value ? "TRUE" : "FALSE"};
      case WhereExpr::Literal::kInt:
        return Value{arrow::Datum(std::make_shared<arrow::Int64Scalar>(expr.int_value)), "number " + expr.text};
      case WhereExpr::Literal::kDouble:
        return Value{arrow::Datum(std::make_shared<arrow::DoubleScalar>(expr.double_value)), "number " + expr.text};
      case WhereExpr::Literal::kString:
        return Value{arrow::Datum(std::make_shared<arrow::StringScalar>(expr.text)), "string " + QuoteString(expr.text)};
    }
    return Status::Invalid("unknown --where literal");
  }

  // A string literal compared with a date/timestamp column is read as that type.
  static Status CastLiteralTo(Value& literal, const Value& column) {
    const auto& target = column.datum.type();
    auto cast = arrow::compute::Cast(literal.datum, target);
    if (!cast.ok() && target->id() == arrow::Type::TIMESTAMP) {
      // Arrow wants an explicit offset in text cast to a zoned timestamp; Spark reads a
      // zoneless '2017-01-01' in the session zone, which inlet's tables keep as UTC.
      const auto& timestamp = static_cast<const arrow::TimestampType&>(*target);
      auto naive = arrow::compute::Cast(literal.datum, arrow::timestamp(timestamp.unit()));
      if (naive.ok()) cast = arrow::compute::Cast(*naive, target);
    }
    if (!cast.ok()) {
      return Status::Invalid(fmt::format("--where: cannot read {} as {} for {}", literal.description,
                                         SparkTypeName(*column.datum.type()), column.description));
    }
    literal.datum = *cast;
    return Status::OK();
  }

  Result<Value> EvalCompare(const WhereExpr& expr) {
    INLET_ASSIGN_OR_RAISE(auto left, Eval(*expr.left));
    INLET_ASSIGN_OR_RAISE(auto right, Eval(*expr.right));
    const auto& lt = *left.datum.type();
    const auto& rt = *right.datum.type();
    // Anything compared with NULL is NULL (SQL), whatever its type.
    if (lt.id() == arrow::Type::NA || rt.id() == arrow::Type::NA) {
      if (left.datum.is_scalar() && right.datum.is_scalar()) {
        return Value{arrow::Datum(arrow::MakeNullScalar(arrow::boolean())), "condition"};
      }
      INLET_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(arrow::boolean(), table_.num_rows()));
      return Value{arrow::Datum(nulls), "condition"};
    }
    const bool numeric = IsNumeric(lt) && IsNumeric(rt);
    if (numeric) {
      // Arrow finds a common type for ints and floats, but not for decimal vs others.
      if ((arrow::is_decimal(lt.id()) || arrow::is_decimal(rt.id())) && !lt.Equals(rt)) {
        INLET_ASSIGN_OR_RAISE(left.datum, arrow::compute::Cast(left.datum, arrow::float64()));
        INLET_ASSIGN_OR_RAISE(right.datum, arrow::compute::Cast(right.datum, arrow::float64()));
      }
    } else if (IsTemporal(lt) && IsString(rt) && right.datum.is_scalar()) {
      INLET_RETURN_NOT_OK(CastLiteralTo(right, left));
    } else if (IsTemporal(rt) && IsString(lt) && left.datum.is_scalar()) {
      INLET_RETURN_NOT_OK(CastLiteralTo(left, right));
    } else {
      const bool same_family = (IsString(lt) && IsString(rt)) ||
                               (lt.id() == arrow::Type::BOOL && rt.id() == arrow::Type::BOOL) ||
                               (IsTemporal(lt) && IsTemporal(rt)) ||
                               (lt.id() == rt.id() && (lt.id() == arrow::Type::BINARY));
      if (!same_family) {
        return Status::Invalid(fmt::format("--where: cannot compare {} with {}", left.description,
                                           right.description));
      }
    }
    static const std::map<std::string, std::string> kFunctions = {
        {"=", "equal"},  {"==", "equal"},       {"!=", "not_equal"}, {"<>", "not_equal"},
        {"<", "less"},   {"<=", "less_equal"},  {">", "greater"},    {">=", "greater_equal"}};
    auto result = arrow::compute::CallFunction(kFunctions.at(expr.op), {left.datum, right.datum});
    if (!result.ok()) {
      return Status::Invalid(fmt::format("--where: cannot compare {} with {}: {}", left.description,
                                         right.description, result.status().message()));
    }
    return Value{*result, "condition"};
  }

  const arrow::Table& table_;
};

void Print(const WhereExpr& expr, std::string& out) {
  switch (expr.kind) {
    case WhereExpr::Kind::kColumn: out += FormatColumnPath(expr.path); return;
    case WhereExpr::Kind::kLiteral:
      switch (expr.literal) {
        case WhereExpr::Literal::kNull: out += "NULL"; return;
        case WhereExpr::Literal::kBool: out += expr.bool_value ? "TRUE" : "FALSE"; return;
        case WhereExpr::Literal::kString: out += QuoteString(expr.text); return;
        default: out += expr.text; return;
      }
    case WhereExpr::Kind::kNot:
      out += "(NOT ";
      Print(*expr.left, out);
      out += ')';
      return;
    case WhereExpr::Kind::kIsNull:
      out += '(';
      Print(*expr.left, out);
      out += expr.negated ? " IS NOT NULL)" : " IS NULL)";
      return;
    case WhereExpr::Kind::kAnd:
    case WhereExpr::Kind::kOr:
    case WhereExpr::Kind::kCompare: {
      const std::string op = expr.kind == WhereExpr::Kind::kAnd ? "AND"
                             : expr.kind == WhereExpr::Kind::kOr ? "OR"
                                                                  : expr.op;
      out += '(';
      Print(*expr.left, out);
      out += ' ' + op + ' ';
      Print(*expr.right, out);
      out += ')';
      return;
    }
  }
}

}  // namespace

Result<std::shared_ptr<const WhereExpr>> ParseWhere(std::string_view text) {
  Parser parser(text);
  return parser.Parse();
}

Result<std::shared_ptr<arrow::Table>> FilterTable(const std::shared_ptr<arrow::Table>& table,
                                                  const WhereExpr& expr) {
  INLET_RETURN_NOT_OK(EnsureComputeInitialized());
  Evaluator evaluator(*table);
  INLET_ASSIGN_OR_RAISE(auto mask, evaluator.EvalCondition(expr, "the --where expression"));
  arrow::Datum selection = mask.datum;
  if (selection.is_scalar()) {
    INLET_ASSIGN_OR_RAISE(auto array, arrow::MakeArrayFromScalar(*selection.scalar(), table->num_rows()));
    selection = arrow::Datum(array);
  }
  // DROP: rows where the condition is null are filtered out, as SQL's WHERE does.
  INLET_ASSIGN_OR_RAISE(auto filtered, arrow::compute::Filter(table, selection,
                                                             arrow::compute::FilterOptions::Defaults()));
  return filtered.table();
}

std::string ToString(const WhereExpr& expr) {
  std::string out;
  Print(expr, out);
  return out;
}

}  // namespace inlet::query
