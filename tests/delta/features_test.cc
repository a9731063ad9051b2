// The protocol gate: every table feature inlet cannot handle is refused by name, for
// reading and for appending; those it handles pass.
#include "inlet/delta/features.h"

#include <gtest/gtest.h>

namespace inlet::delta {
namespace {

Metadata WithSchema(const std::string& fields_json) {
  Metadata metadata;
  metadata.schema_string = R"({"type":"struct","fields":[)" + fields_json + "]}";
  return metadata;
}

const char* const kPlainFields =
    R"({"name":"id","type":"long","nullable":true,"metadata":{}},)"
    R"({"name":"name","type":"string","nullable":true,"metadata":{}})";

Protocol Features(std::vector<std::string> reader, std::vector<std::string> writer) {
  return Protocol{reader.empty() ? 1 : 3, 7, std::move(reader), std::move(writer)};
}

void ExpectRefused(const Status& status, const std::string& feature, const std::string& detail = "") {
  ASSERT_FALSE(status.ok()) << "expected '" << feature << "' to be refused";
  EXPECT_TRUE(status.IsNotImplemented()) << status.ToString();
  EXPECT_NE(status.message().find("'" + feature + "'"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("'t'"), std::string::npos) << status.message();  // the table
  if (!detail.empty()) {
    EXPECT_NE(status.message().find(detail), std::string::npos) << status.message();
  }
}

TEST(DeltaFeatures, LegacyWriterVersionsImplyTheirFeatures) {
  EXPECT_EQ(EnabledWriterFeatures(Protocol{1, 2, {}, {}}), (std::vector<std::string>{"appendOnly", "invariants"}));
  EXPECT_EQ(EnabledWriterFeatures(Protocol{1, 4, {}, {}}),
            (std::vector<std::string>{"appendOnly", "changeDataFeed", "checkConstraints", "generatedColumns",
                                      "invariants"}));
  EXPECT_EQ(EnabledWriterFeatures(Protocol{2, 6, {}, {}}).size(), 7u);
  EXPECT_EQ(EnabledReaderFeatures(Protocol{2, 5, {}, {}}), (std::vector<std::string>{"columnMapping"}));
  EXPECT_EQ(EnabledWriterFeatures(Features({}, {"deletionVectors"})), (std::vector<std::string>{"deletionVectors"}));
}

TEST(DeltaFeatures, MovingToTableFeaturesListsWhatTheOldVersionsImplied) {
  // As Spark writes a new table with a VARIANT column: writer 2's features listed.
  const Protocol variant = WithReaderWriterFeature(Protocol{1, 2, {}, {}}, "variantType");
  EXPECT_EQ(variant.min_reader_version, 3);
  EXPECT_EQ(variant.min_writer_version, 7);
  EXPECT_EQ(variant.reader_features, (std::vector<std::string>{"variantType"}));
  EXPECT_EQ(variant.writer_features, (std::vector<std::string>{"appendOnly", "invariants", "variantType"}));
  // Reader 2 implied columnMapping; writer 5 checkConstraints and the rest.
  const Protocol mapped = WithReaderWriterFeature(Protocol{2, 5, {}, {}}, "typeWidening");
  EXPECT_EQ(mapped.reader_features, (std::vector<std::string>{"columnMapping", "typeWidening"}));
  EXPECT_TRUE(mapped.HasWriterFeature("columnMapping"));
  EXPECT_TRUE(mapped.HasWriterFeature("checkConstraints"));
  // Already on table features: the lists are kept, the feature added once.
  const Protocol twice = WithReaderWriterFeature(variant, "variantType");
  EXPECT_EQ(twice.writer_features, variant.writer_features);
}

TEST(DeltaFeatures, VariantTablesAreReadAndAppendedTo) {
  const Metadata metadata = WithSchema(R"({"name":"v","type":"variant","nullable":true,"metadata":{}})");
  for (const char* feature : {"variantType", "variantType-preview"}) {
    const Protocol protocol = Features({feature}, {feature, "appendOnly", "invariants"});
    EXPECT_TRUE(CheckReadable(protocol, metadata, "/t").ok()) << feature;
    EXPECT_TRUE(CheckAppendable(protocol, metadata, "/t").ok()) << feature;
  }
}

TEST(DeltaFeatures, PlainTablesAreReadAndAppendedTo) {
  const Metadata metadata = WithSchema(kPlainFields);
  for (const Protocol& protocol : {Protocol{1, 2, {}, {}}, Protocol{1, 4, {}, {}}, Protocol{1, 6, {}, {}}}) {
    EXPECT_TRUE(CheckReadable(protocol, metadata, "t").ok());
    EXPECT_TRUE(CheckAppendable(protocol, metadata, "t").ok()) << protocol.min_writer_version;
  }
}

TEST(DeltaFeatures, AppendOnlyChangeDataFeedDeletionVectorsAndTypeWideningAllowAppends) {
  const Metadata metadata = WithSchema(kPlainFields);
  const Protocol protocol = Features({"deletionVectors", "typeWidening"},
                                     {"appendOnly", "invariants", "changeDataFeed", "deletionVectors",
                                      "typeWidening", "checkConstraints", "generatedColumns"});
  EXPECT_TRUE(CheckReadable(protocol, metadata, "t").ok());
  EXPECT_TRUE(CheckAppendable(protocol, metadata, "t").ok());
}

// Enforced by the stream on every batch (tests/stream/table_constraints_test.cc).
TEST(DeltaFeatures, CheckConstraintsAndInvariantsPassTheGateForTheStreamToEnforce) {
  Metadata metadata = WithSchema(
      R"({"name":"id","type":"long","nullable":true,)"
      R"("metadata":{"delta.invariants":"{\"expression\":{\"expression\":\"id > 0\"}}"}})");
  metadata.configuration["delta.constraints.id_positive"] = "id > 0";
  EXPECT_TRUE(CheckAppendable(Protocol{1, 3, {}, {}}, metadata, "t").ok());
  EXPECT_TRUE(CheckAppendable(Features({}, {"checkConstraints", "invariants"}), metadata, "t").ok());
}

TEST(DeltaFeatures, GeneratedAndIdentityColumnsAreRefusedForAppend) {
  const Metadata generated = WithSchema(
      std::string(kPlainFields) +
      R"(,{"name":"id2","type":"long","nullable":true,"metadata":{"delta.generationExpression":"id * 2"}})");
  ExpectRefused(CheckAppendable(Protocol{1, 4, {}, {}}, generated, "t"), "generatedColumns", "column 'id2'");
  const Metadata identity = WithSchema(
      R"({"name":"rid","type":"long","nullable":true,"metadata":{"delta.identity.start":1,"delta.identity.step":1}})");
  ExpectRefused(CheckAppendable(Features({}, {"identityColumns"}), identity, "t"), "identityColumns",
                "column 'rid'");
}

TEST(DeltaFeatures, ColumnMappedTablesAreReadButNotAppendedTo) {
  Metadata metadata = WithSchema(kPlainFields);
  metadata.configuration["delta.columnMapping.mode"] = "name";
  const Protocol legacy{2, 5, {}, {}};
  EXPECT_EQ(ColumnMappingMode(legacy, metadata), "name");
  EXPECT_TRUE(CheckReadable(legacy, metadata, "t").ok());
  ExpectRefused(CheckAppendable(legacy, metadata, "t"), "columnMapping", "mode=name");
  metadata.configuration["delta.columnMapping.mode"] = "id";
  ExpectRefused(CheckAppendable(Features({"columnMapping"}, {"columnMapping"}), metadata, "t"), "columnMapping");
  metadata.configuration["delta.columnMapping.mode"] = "none";
  EXPECT_EQ(ColumnMappingMode(legacy, metadata), "");
  EXPECT_TRUE(CheckAppendable(legacy, metadata, "t").ok());
}

TEST(DeltaFeatures, TimestampNtzColumnsAreRefused) {
  const Metadata metadata = WithSchema(R"({"name":"ts","type":"timestamp_ntz","nullable":true,"metadata":{}})");
  const Protocol protocol = Features({"timestampNtz"}, {"timestampNtz"});
  ExpectRefused(CheckReadable(protocol, metadata, "t"), "timestampNtz");
  ExpectRefused(CheckAppendable(protocol, metadata, "t"), "timestampNtz");
}

TEST(DeltaFeatures, V2CheckpointsPassAndUnknownFeaturesAreRefused) {
  const Metadata metadata = WithSchema(kPlainFields);
  EXPECT_TRUE(CheckReadable(Features({"v2Checkpoint"}, {"v2Checkpoint"}), metadata, "t").ok());
  EXPECT_TRUE(CheckAppendable(Features({"v2Checkpoint"}, {"v2Checkpoint", "appendOnly"}), metadata, "t").ok());
  ExpectRefused(CheckReadable(Features({"someFutureFeature"}, {}), metadata, "t"), "someFutureFeature");
  ExpectRefused(CheckAppendable(Features({}, {"rowTracking", "domainMetadata"}), metadata, "t"), "domainMetadata");
  ExpectRefused(CheckAppendable(Features({"collations"}, {"collations"}), metadata, "t"), "collations");
  EXPECT_TRUE(CheckReadable(Features({}, {"rowTracking", "domainMetadata"}), metadata, "t").ok());
  EXPECT_FALSE(CheckReadable(Protocol{4, 7, {}, {}}, metadata, "t").ok());
  EXPECT_FALSE(CheckAppendable(Protocol{1, 8, {}, {}}, metadata, "t").ok());
}

TEST(DeltaFeatures, InletCheckpointsOnlyTablesItCanCheckpointWhole) {
  EXPECT_TRUE(InletCheckpointPreserves(Protocol{1, 2, {}, {}}));
  EXPECT_TRUE(InletCheckpointPreserves(Protocol{1, 4, {}, {}}));
  EXPECT_FALSE(InletCheckpointPreserves(Features({"deletionVectors"}, {"deletionVectors"})));
  EXPECT_FALSE(InletCheckpointPreserves(Features({}, {"domainMetadata"})));
  EXPECT_FALSE(InletCheckpointPreserves(Features({"v2Checkpoint"}, {"v2Checkpoint"})));
}

}  // namespace
}  // namespace inlet::delta
