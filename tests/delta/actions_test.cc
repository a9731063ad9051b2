// Delta log actions as JSON lines: field names, order, round trips and error messages.
#include "inlet/delta/actions.h"

#include <gtest/gtest.h>

namespace inlet::delta {
namespace {

CommitActions FullCommit() {
  CommitActions actions;
  actions.commit_info = CommitInfo{1700000000123, "STREAMING UPDATE",
                                   {{"outputMode", "Append"}, {"queryId", "q-1"}},
                                   {{"numAddedFiles", "1"}, {"numOutputRows", "3"}},
                                   "inlet/0.1.0"};
  actions.protocol = Protocol{1, 2, {}, {}};
  Metadata metadata;
  metadata.id = "0b4b2c4e-51a8-4c5f-9a38-2b63c1f4c7a1";
  metadata.schema_string = R"({"type":"struct","fields":[]})";
  metadata.partition_columns = {"day"};
  metadata.configuration = {{"delta.appendOnly", "true"}};
  metadata.created_time = 1700000000000;
  actions.metadata = metadata;
  actions.txn = Txn{"stream-1", 4, 1700000000100};
  actions.removes.push_back(RemoveFile{"old.parquet", 1700000000050, true});
  actions.adds.push_back(AddFile{"part-00000-x-c000.snappy.parquet",
                                 {{"day", "2024-01-01"}},
                                 1234,
                                 1700000000001,
                                 true,
                                 R"({"numRecords":3})"});
  return actions;
}

TEST(DeltaActions, SerializesOneActionPerLineInProtocolOrder) {
  std::string text = SerializeCommit(FullCommit());
  EXPECT_EQ(text,
            R"({"commitInfo":{"timestamp":1700000000123,"operation":"STREAMING UPDATE",)"
            R"("operationParameters":{"outputMode":"Append","queryId":"q-1"},)"
            R"("operationMetrics":{"numAddedFiles":"1","numOutputRows":"3"},"engineInfo":"inlet/0.1.0"}})"
            "\n"
            R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})"
            "\n"
            R"({"metaData":{"id":"0b4b2c4e-51a8-4c5f-9a38-2b63c1f4c7a1",)"
            R"("format":{"provider":"parquet","options":{}},)"
            R"("schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":["day"],)"
            R"("configuration":{"delta.appendOnly":"true"},"createdTime":1700000000000}})"
            "\n"
            R"({"txn":{"appId":"stream-1","version":4,"lastUpdated":1700000000100}})"
            "\n"
            R"({"remove":{"path":"old.parquet","deletionTimestamp":1700000000050,"dataChange":true}})"
            "\n"
            R"({"add":{"path":"part-00000-x-c000.snappy.parquet","partitionValues":{"day":"2024-01-01"},)"
            R"("size":1234,"modificationTime":1700000000001,"dataChange":true,"stats":"{\"numRecords\":3}"}})"
            "\n");
}

TEST(DeltaActions, ParseInvertsSerialize) {
  CommitActions original = FullCommit();
  auto parsed = ParseCommit(SerializeCommit(original), "00000000000000000000.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(SerializeCommit(*parsed), SerializeCommit(original));
  ASSERT_TRUE(parsed->txn.has_value());
  EXPECT_EQ(parsed->txn->last_updated, 1700000000100);
  EXPECT_EQ(parsed->adds.at(0).partition_values.at("day"), "2024-01-01");
  EXPECT_EQ(parsed->metadata->configuration.at("delta.appendOnly"), "true");
}

TEST(DeltaActions, ParseKeepsSparkStyleNonStringMetricsAsText) {
  std::string spark_line =
      R"({"commitInfo":{"timestamp":5,"operation":"WRITE","operationParameters":)"
      R"({"mode":"Append","partitionBy":"[]"},"operationMetrics":{"numFiles":"2"},)"
      R"("isBlindAppend":true,"engineInfo":"Apache-Spark/3.5.0 Delta-Lake/3.1.0"}})"
      "\n"
      R"({"cdc":{"path":"x"}})"
      "\n";
  auto parsed = ParseCommit(spark_line, "v.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->commit_info->operation, "WRITE");
  EXPECT_EQ(parsed->commit_info->operation_metrics.at("numFiles"), "2");
  EXPECT_TRUE(parsed->adds.empty());  // the unknown cdc action is skipped
}

TEST(DeltaActions, MalformedLineNamesSourceAndLine) {
  auto parsed = ParseCommit("{\"protocol\":{}}\n{not json\n", "_delta_log/00000000000000000007.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("_delta_log/00000000000000000007.json:2"),
            std::string::npos)
      << parsed.status().message();
}

TEST(DeltaActions, CommitFileNameIsZeroPaddedToTwentyDigits) {
  EXPECT_EQ(CommitFileName(0), "_delta_log/00000000000000000000.json");
  EXPECT_EQ(CommitFileName(12), "_delta_log/00000000000000000012.json");
}

TEST(DeltaActions, TableFeaturesRoundTripFromReaderThreeWriterSeven) {
  CommitActions actions;
  actions.protocol = Protocol{3, 7, {"typeWidening"}, {"appendOnly", "typeWidening"}};
  std::string text = SerializeCommit(actions);
  EXPECT_NE(text.find(R"("readerFeatures":["typeWidening"])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("minReaderVersion":3)"), std::string::npos) << text;
  auto parsed = ParseCommit(text, "00000000000000000001.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->protocol.has_value());
  EXPECT_EQ(parsed->protocol->min_writer_version, 7);
  EXPECT_TRUE(parsed->protocol->HasReaderFeature("typeWidening"));
  EXPECT_TRUE(parsed->protocol->HasWriterFeature("typeWidening"));
}

TEST(DeltaActions, OldProtocolsCarryNoFeatureLists) {
  CommitActions actions;
  actions.protocol = Protocol{1, 2, {}, {}};
  EXPECT_EQ(SerializeCommit(actions).find("Features"), std::string::npos);
}

// Found by fuzz/fuzz_delta_log: a float beyond int64 (8.9e101) in an integer field was
// converted with undefined behaviour.
TEST(DeltaActions, FloatNumbersBeyondInt64InIntegerFieldsAreIgnored) {
  auto parsed = ParseCommit(
      R"({"commitInfo":{"timestamp":8.9e101,"operation":"WRITE"}})" "\n"
      R"({"txn":{"appId":"a","version":-1e300,"lastUpdated":1e19}})" "\n"
      R"({"add":{"path":"f.parquet","partitionValues":{},"size":1.2e3,"modificationTime":1e19,"dataChange":true}})",
      "00000000000000000000.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->commit_info->timestamp, 0);
  EXPECT_EQ(parsed->txn->version, 0);
  EXPECT_FALSE(parsed->txn->last_updated.has_value());
  EXPECT_EQ(parsed->adds.at(0).size, 1200);  // a float that fits is still read
  EXPECT_EQ(parsed->adds.at(0).modification_time, 0);
}

}  // namespace
}  // namespace inlet::delta
