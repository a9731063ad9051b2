// --where parsing (grammar, precedence, errors) and evaluation with SQL's null semantics.
#include "inlet/query/where.h"

#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

namespace inlet::query {
namespace {

std::string Parsed(const std::string& text) {
  auto expr = ParseWhere(text);
  EXPECT_TRUE(expr.ok()) << expr.status().ToString();
  return expr.ok() ? ToString(**expr) : "";
}

std::string ParseError(const std::string& text) {
  auto expr = ParseWhere(text);
  EXPECT_FALSE(expr.ok()) << text;
  return expr.ok() ? "" : expr.status().message();
}

// id long, name string, score double, ok boolean, coordinates struct<lat double, lon double>.
std::shared_ptr<arrow::Table> SampleTable() {
  auto type = arrow::struct_({arrow::field("lat", arrow::float64()), arrow::field("lon", arrow::float64())});
  auto schema = arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8()),
                               arrow::field("score", arrow::float64()), arrow::field("ok", arrow::boolean()),
                               arrow::field("coordinates", type)});
  auto id = arrow::json::ArrayFromJSONString(arrow::int64(), "[1, 2, 3, 4, 5]").ValueOrDie();
  auto name = arrow::json::ArrayFromJSONString(arrow::utf8(), R"(["ann", null, "bob", "it's", "ann"])").ValueOrDie();
  auto score = arrow::json::ArrayFromJSONString(arrow::float64(), "[1.5, 2.0, null, 10.0, 0.5]").ValueOrDie();
  auto ok = arrow::json::ArrayFromJSONString(arrow::boolean(), "[true, false, null, true, null]").ValueOrDie();
  auto coordinates = arrow::json::ArrayFromJSONString(
                         type, R"([{"lat": 38.0, "lon": -97.0}, null, {"lat": null, "lon": 1.5},
                                   {"lat": 51.8, "lon": 0.1}, {"lat": 38.0, "lon": 2.0}])")
                         .ValueOrDie();
  return arrow::Table::Make(schema, {id, name, score, ok, coordinates});
}

// The ids of the rows that pass `where`.
std::vector<int64_t> Ids(const std::string& where) {
  auto expr = ParseWhere(where);
  EXPECT_TRUE(expr.ok()) << expr.status().ToString();
  if (!expr.ok()) return {};
  auto filtered = FilterTable(SampleTable(), **expr);
  EXPECT_TRUE(filtered.ok()) << where << ": " << filtered.status().ToString();
  if (!filtered.ok()) return {};
  std::vector<int64_t> ids;
  for (const auto& chunk : (*filtered)->GetColumnByName("id")->chunks()) {
    const auto& values = static_cast<const arrow::Int64Array&>(*chunk);
    for (int64_t i = 0; i < values.length(); ++i) ids.push_back(values.Value(i));
  }
  return ids;
}

std::string FilterError(const std::string& where) {
  auto expr = ParseWhere(where);
  EXPECT_TRUE(expr.ok()) << expr.status().ToString();
  if (!expr.ok()) return "";
  auto filtered = FilterTable(SampleTable(), **expr);
  EXPECT_FALSE(filtered.ok()) << where;
  return filtered.ok() ? "" : filtered.status().message();
}

TEST(WhereParse, AndBindsTighterThanOr) {
  EXPECT_EQ(Parsed("a = 1 OR b = 2 AND c = 3"), "((a = 1) OR ((b = 2) AND (c = 3)))");
  EXPECT_EQ(Parsed("a = 1 and b = 2 or c = 3"), "(((a = 1) AND (b = 2)) OR (c = 3))");
}

TEST(WhereParse, ParenthesesOverridePrecedence) {
  EXPECT_EQ(Parsed("(a = 1 OR b = 2) AND c = 3"), "(((a = 1) OR (b = 2)) AND (c = 3))");
}

TEST(WhereParse, NotAppliesToTheFollowingComparison) {
  EXPECT_EQ(Parsed("NOT a = 1 AND b"), "((NOT (a = 1)) AND b)");
  EXPECT_EQ(Parsed("not not ok"), "(NOT (NOT ok))");
}

TEST(WhereParse, IsNullAndIsNotNull) {
  EXPECT_EQ(Parsed("a IS NULL or b.c is not null"), "((a IS NULL) OR (b.c IS NOT NULL))");
}

TEST(WhereParse, NestedAndBackquotedPaths) {
  EXPECT_EQ(Parsed("coordinates.latitude >= 38"), "(coordinates.latitude >= 38)");
  EXPECT_EQ(Parsed("`my col`.`a.b` = 'x'"), "(`my col`.`a.b` = 'x')");
  EXPECT_EQ(Parsed("`and` = 1"), "(`and` = 1)");
}

TEST(WhereParse, StringLiteralsInEitherQuoteWithDoubledEscapes) {
  EXPECT_EQ(Parsed("name = 'it''s'"), "(name = 'it''s')");
  EXPECT_EQ(Parsed("name = \"say \"\"hi\"\"\""), "(name = 'say \"hi\"')");
}

TEST(WhereParse, NumbersKeepTheirTextAndSign) {
  EXPECT_EQ(Parsed("x > -97.5 AND y < 1.5e3 AND z <> 42 AND w != .5"),
            "((((x > -97.5) AND (y < 1.5e3)) AND (z <> 42)) AND (w != .5))");
}

TEST(WhereParse, LiteralsAreCaseInsensitiveKeywords) {
  EXPECT_EQ(Parsed("ok = true Or x = False AND y = null"), "((ok = TRUE) OR ((x = FALSE) AND (y = NULL)))");
}

TEST(WhereParse, MissingOperandReportsPositionAndText) {
  EXPECT_EQ(ParseError("a >"), "--where error at position 4 in 'a >': expected a column, value or '(' but "
                               "found end of expression");
}

TEST(WhereParse, UnclosedParenthesisPointsAtTheEnd) {
  EXPECT_EQ(ParseError("(a = 1"),
            "--where error at position 7 in '(a = 1': expected ')' to close '(' at position 1, found end of "
            "expression");
}

TEST(WhereParse, UnterminatedStringPointsAtItsQuote) {
  EXPECT_EQ(ParseError("name = 'abc"), "--where error at position 8 in 'name = 'abc': unterminated string");
}

TEST(WhereParse, TrailingTokensAreRejected) {
  EXPECT_EQ(ParseError("a = 1 b"), "--where error at position 7 in 'a = 1 b': unexpected 'b'");
  EXPECT_EQ(ParseError("a = 1 = 2"), "--where error at position 7 in 'a = 1 = 2': unexpected '='");
}

TEST(WhereParse, IsMustBeFollowedByNull) {
  EXPECT_EQ(ParseError("a IS 3"), "--where error at position 6 in 'a IS 3': expected NULL after IS, found '3'");
}

TEST(WhereParse, KeywordWhereOperandExpected) {
  EXPECT_EQ(ParseError("a = 1 AND OR b"),
            "--where error at position 11 in 'a = 1 AND OR b': expected a column, value or '(' but found keyword OR");
}

TEST(WhereFilter, ComparesLongColumnWithDoubleLiteral) {
  EXPECT_EQ(Ids("id > 2.5"), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(Ids("score >= 2"), (std::vector<int64_t>{2, 4}));
}

TEST(WhereFilter, NullComparisonsDropTheRow) {
  // name is null in row 2: neither = nor != is true there.
  EXPECT_EQ(Ids("name = 'ann'"), (std::vector<int64_t>{1, 5}));
  EXPECT_EQ(Ids("name != 'ann'"), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(Ids("NOT name = 'ann'"), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(Ids("name = NULL"), (std::vector<int64_t>{}));
}

TEST(WhereFilter, KleeneLogicKeepsTrueOrNull) {
  // ok is null in rows 3 and 5: null OR true is true, null AND true is null.
  EXPECT_EQ(Ids("ok OR id = 5"), (std::vector<int64_t>{1, 4, 5}));
  EXPECT_EQ(Ids("ok AND id >= 1"), (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(Ids("NOT ok"), (std::vector<int64_t>{2}));
}

TEST(WhereFilter, IsNullOnTopLevelAndNestedColumns) {
  EXPECT_EQ(Ids("name IS NULL"), (std::vector<int64_t>{2}));
  // A null struct makes its fields null too.
  EXPECT_EQ(Ids("coordinates.lat IS NULL"), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Ids("coordinates IS NOT NULL AND coordinates.lat IS NULL"), (std::vector<int64_t>{3}));
}

TEST(WhereFilter, NestedFieldComparison) {
  EXPECT_EQ(Ids("coordinates.lat = 38 AND coordinates.lon < 0"), (std::vector<int64_t>{1}));
  EXPECT_EQ(Ids("Coordinates.LAT > 40"), (std::vector<int64_t>{4}));  // case-insensitive as Spark
}

TEST(WhereFilter, StringEscapesMatchValues) { EXPECT_EQ(Ids("name = 'it''s'"), (std::vector<int64_t>{4})); }

TEST(WhereFilter, ConstantConditions) {
  EXPECT_EQ(Ids("TRUE"), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(Ids("1 = 2"), (std::vector<int64_t>{}));
  EXPECT_EQ(Ids("NULL IS NULL"), (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

TEST(WhereFilter, UnknownColumnNamesThePath) {
  EXPECT_EQ(FilterError("nope = 1"),
            "--where: unknown column 'nope' (columns: id, name, score, ok, coordinates)");
  EXPECT_EQ(FilterError("coordinates.alt > 1"),
            "--where: unknown column 'coordinates.alt' (struct 'coordinates' has fields: lat, lon)");
  EXPECT_EQ(FilterError("id.x = 1"), "--where: unknown column 'id.x': 'id' is int64, not a struct");
}

TEST(WhereFilter, StringColumnAgainstNumberIsAnError) {
  EXPECT_EQ(FilterError("name = 5"), "--where: cannot compare string column 'name' with number 5");
  EXPECT_EQ(FilterError("1.5 < name"), "--where: cannot compare number 1.5 with string column 'name'");
}

TEST(WhereFilter, NonBooleanConditionIsAnError) {
  EXPECT_EQ(FilterError("id"), "--where: the --where expression needs a true/false condition, got long column 'id'");
  EXPECT_EQ(FilterError("ok AND name"), "--where: AND needs a true/false condition, got string column 'name'");
}

TEST(WhereFilter, WorksAcrossChunks) {
  // ReadTable concatenates one table per data file, so columns arrive in several chunks.
  auto table = arrow::ConcatenateTables({SampleTable(), SampleTable()}).ValueOrDie();
  ASSERT_EQ(table->column(0)->num_chunks(), 2);
  auto expr = ParseWhere("coordinates.lat = 38");
  ASSERT_TRUE(expr.ok());
  auto filtered = FilterTable(table, **expr);
  ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
  EXPECT_EQ((*filtered)->num_rows(), 4);
}

TEST(WhereFilter, TimestampColumnAgainstStringLiteral) {
  auto ts = arrow::json::ArrayFromJSONString(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                                             R"(["2016-03-20 03:20:54", "2020-01-01 00:00:00", null])")
                .ValueOrDie();
  auto table = arrow::Table::Make(arrow::schema({arrow::field("ts", ts->type())}), {ts});
  auto expr = ParseWhere("ts > '2017-01-01'");
  ASSERT_TRUE(expr.ok());
  auto filtered = FilterTable(table, **expr);
  ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
  EXPECT_EQ((*filtered)->num_rows(), 1);
}

// Found by fuzz/fuzz_where: a few thousand '(' overflowed the stack of the recursive
// descent; nesting and size are now bounded with an error naming the position.
TEST(WhereParse, DeepNestingIsAnErrorNotAStackOverflow) {
  auto parens = ParseWhere(std::string(1000, '(') + "a = 1" + std::string(1000, ')'));
  ASSERT_FALSE(parens.ok());
  EXPECT_NE(parens.status().message().find("position 129 "), std::string::npos)
      << parens.status().message().substr(0, 80);
  EXPECT_NE(parens.status().message().find("nested deeper than 128 levels"), std::string::npos);

  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "NOT ";
  EXPECT_FALSE(ParseWhere(nots + "a").ok());

  std::string chain = "a = 1";
  for (int i = 0; i < 50000; ++i) chain += " AND a = 1";
  auto long_chain = ParseWhere(chain);
  ASSERT_FALSE(long_chain.ok());
  EXPECT_NE(long_chain.status().message().find("more than 4096 tokens"), std::string::npos);
}

TEST(WhereParse, NestingUpToTheLimitParses) {
  auto parsed = ParseWhere(std::string(128, '(') + "a = 1" + std::string(128, ')'));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(ToString(**parsed), "(a = 1)");
}

}  // namespace
}  // namespace inlet::query
