// Paths users give, by URI scheme: local (plain or file:), object stores (refused for now,
// never read as local paths), unknown schemes (a usage error naming the known ones).
#include "inlet/storage/location.h"

#include <gtest/gtest.h>

namespace inlet::storage {
namespace {

TEST(StorageLocation, PlainPathsAndFileUrisAreLocal) {
  struct Case {
    const char* text;
    const char* path;
  };
  for (const Case& c : {Case{"landing/*.json", "landing/*.json"}, Case{"/data/t", "/data/t"},
                        Case{"file:///data/t", "/data/t"}, Case{"file:/data/t", "/data/t"},
                        Case{"FILE:///data/t", "/data/t"}, Case{"file://localhost/data/t", "/data/t"},
                        Case{"C:\\data", "C:\\data"}, Case{"./a:b/c", "./a:b/c"}}) {
    auto location = ParseLocation("--table", c.text);
    ASSERT_TRUE(location.ok()) << c.text << ": " << location.status().ToString();
    EXPECT_EQ(location->backend, Backend::kLocal) << c.text;
    EXPECT_EQ(location->path, c.path) << c.text;
  }
}

TEST(StorageLocation, ObjectStoreSchemesAreKnownButNotLocal) {
  struct Case {
    const char* text;
    Backend backend;
  };
  for (const Case& c : {Case{"s3://bucket/landing/*.json", Backend::kS3}, Case{"s3a://bucket/t", Backend::kS3},
                        Case{"abfss://c@account.dfs.core.windows.net/t", Backend::kAzure},
                        Case{"az://container/t", Backend::kAzure}, Case{"gs://bucket/t", Backend::kGcs}}) {
    auto location = ParseLocation("--source", c.text);
    ASSERT_TRUE(location.ok()) << c.text;
    EXPECT_EQ(location->backend, c.backend) << c.text;
    EXPECT_EQ(location->path, c.text);
    auto local = LocalPath("--source", c.text);
    ASSERT_TRUE(local.status().IsNotImplemented()) << c.text;
    EXPECT_EQ(local.status().message().find(std::string("--source: '") + c.text + "' is on object storage"), 0u)
        << local.status().message();
  }
}

TEST(StorageLocation, UnknownSchemesAndOtherHostsAreUsageErrorsNamingWhatIsKnown) {
  auto hdfs = ParseLocation("--table", "hdfs://namenode/t");
  ASSERT_TRUE(hdfs.status().IsInvalid());
  EXPECT_EQ(hdfs.status().message(),
            "--table: unknown URI scheme 'hdfs:' in 'hdfs://namenode/t'; inlet knows file://, s3://, s3a://, abfss://, "
            "az://, gs:// and plain paths");
  EXPECT_TRUE(ParseLocation("--table", "file://otherhost/t").status().IsInvalid());
  EXPECT_TRUE(ParseLocation("--table", "file:").status().IsInvalid());
  EXPECT_TRUE(ParseLocation("--table", "").status().IsInvalid());
  EXPECT_EQ(ParseLocation("", "").status().message(), "the path is empty");
}

}  // namespace
}  // namespace inlet::storage
