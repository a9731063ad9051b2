// modifiedAfter/modifiedBefore and the temporal options compiled once for a stream.
#include "inlet/stream/reader_options.h"

#include <gtest/gtest.h>

namespace inlet::stream {
namespace {

// Options as the command line gives them.
Result<ReaderOptions> Compile(std::vector<std::string> key_values) {
  IngestOptions options;
  INLET_RETURN_NOT_OK(ApplyIngestOptions(key_values, &options));
  return CompileReaderOptions(options);
}

constexpr int64_t kJune1Noon = 1717243200000;  // 2024-06-01T12:00:00Z in milliseconds

TEST(ReaderOptions, ModifiedBoundsAreSparkTimestampsInTheTimeZone) {
  auto reader = Compile({"modifiedAfter=2024-06-01T12:00:00"});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(reader->modified_after_ms, kJune1Noon);
  EXPECT_FALSE(reader->modified_before_ms.has_value());
  reader = Compile({"modifiedAfter=2024-06-01T12:00:00", "timeZone=Europe/Paris"});  // CEST, +02:00
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->modified_after_ms, kJune1Noon - 2 * 3600 * 1000);
  reader = Compile({"modifiedBefore=2024-06-01T12:00:00Z", "timeZone=Europe/Paris"});  // the text's offset wins
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->modified_before_ms, kJune1Noon);
}

TEST(ReaderOptions, TheWindowIsStrictOnBothSides) {
  ReaderOptions reader;
  EXPECT_TRUE(reader.InModifiedWindow(0));
  reader.modified_after_ms = 100;
  reader.modified_before_ms = 200;
  EXPECT_FALSE(reader.InModifiedWindow(100));
  EXPECT_TRUE(reader.InModifiedWindow(101));
  EXPECT_TRUE(reader.InModifiedWindow(199));
  EXPECT_FALSE(reader.InModifiedWindow(200));
}

TEST(ReaderOptions, BadValuesNameTheirOption) {
  auto reader = Compile({"modifiedBefore=June the first"});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("option modifiedBefore: 'June the first'"), std::string::npos);
  reader = Compile({"timestampFormat=yyyy-MM-dd'T"});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("option timestampFormat"), std::string::npos);
  reader = Compile({"timeZone=Atlantis/Capital"});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("option timeZone"), std::string::npos);
}

}  // namespace
}  // namespace inlet::stream
