// CHECK constraints and invariants of a Delta table checked on the rows inlet appends.
#include "inlet/stream/table_constraints.h"

#include <arrow/api.h>
#include <arrow/compute/initialize.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

namespace inlet::stream {
namespace {

std::shared_ptr<arrow::RecordBatch> Batch(const std::string& ids, const std::string& names) {
  auto schema = arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
  return arrow::RecordBatch::Make(schema, arrow::json::ArrayFromJSONString(arrow::int64(), ids).ValueOrDie()->length(),
                                  {arrow::json::ArrayFromJSONString(arrow::int64(), ids).ValueOrDie(),
                                   arrow::json::ArrayFromJSONString(arrow::utf8(), names).ValueOrDie()});
}

delta::Metadata WithConstraint(const std::string& expression) {
  delta::Metadata metadata;
  metadata.schema_string = R"({"type":"struct","fields":[]})";
  metadata.configuration["delta.constraints.id_positive"] = expression;
  metadata.configuration["delta.appendOnly"] = "false";
  return metadata;
}

class TableConstraintsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(arrow::compute::Initialize().ok()); }
};

TEST_F(TableConstraintsTest, RowsMeetingEveryConstraintPass) {
  auto constraints = TableConstraints(WithConstraint("id > 0 AND name IS NOT NULL"), "t");
  ASSERT_TRUE(constraints.ok()) << constraints.status().ToString();
  ASSERT_EQ(constraints->size(), 1u);
  EXPECT_TRUE(CheckRows(*constraints, *Batch("[1, 2]", R"(["a", "b"])"), "t").ok());
}

TEST_F(TableConstraintsTest, ABatchWithAFalseOrNullRowFailsNamingTheConstraint) {
  auto constraints = TableConstraints(WithConstraint("id > 0"), "t");
  ASSERT_TRUE(constraints.ok());
  for (const std::string ids : {"[1, -1, 2]", "[1, null]"}) {
    Status status = CheckRows(*constraints, *Batch(ids, R"(["a", "b", "c"])"), "t");
    ASSERT_FALSE(status.ok()) << ids;
    EXPECT_NE(status.message().find("CHECK constraint 'id_positive' (id > 0)"), std::string::npos)
        << status.message();
    EXPECT_NE(status.message().find("1 of"), std::string::npos) << status.message();
  }
}

TEST_F(TableConstraintsTest, ConstraintsBeyondTheWhereLanguageAreRefusedUpFront) {
  auto constraints = TableConstraints(WithConstraint("length(name) > 0"), "t");
  ASSERT_FALSE(constraints.ok());
  EXPECT_TRUE(constraints.status().IsNotImplemented());
  EXPECT_NE(constraints.status().message().find("id_positive"), std::string::npos);
  EXPECT_NE(constraints.status().message().find("length(name) > 0"), std::string::npos);
}

TEST_F(TableConstraintsTest, ColumnInvariantsAreCheckedToo) {
  delta::Metadata metadata;
  metadata.schema_string =
      R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,)"
      R"("metadata":{"delta.invariants":"{\"expression\":{\"expression\":\"id < 10\"}}"}}]})";
  auto constraints = TableConstraints(metadata, "t");
  ASSERT_TRUE(constraints.ok()) << constraints.status().ToString();
  ASSERT_EQ(constraints->size(), 1u);
  EXPECT_TRUE(CheckRows(*constraints, *Batch("[1]", R"(["a"])"), "t").ok());
  Status status = CheckRows(*constraints, *Batch("[11]", R"(["a"])"), "t");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("invariant on column 'id' (id < 10)"), std::string::npos) << status.message();
}

TEST_F(TableConstraintsTest, AColumnTheBatchLacksFailsTheCheckNamingIt) {
  auto constraints = TableConstraints(WithConstraint("missing > 0"), "t");
  ASSERT_TRUE(constraints.ok());
  Status status = CheckRows(*constraints, *Batch("[1]", R"(["a"])"), "t");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("id_positive"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace inlet::stream
