// Per-stream object-store options: Hadoop's spellings become the client's config keys, a
// bucket's or account's own settings win over the general ones, and nothing an error says
// repeats a secret.
#include "inlet/storage/store_options.h"

#include <gtest/gtest.h>

namespace inlet::storage {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

StoreSetting Parsed(std::string_view key, std::string_view value) {
  auto setting = ParseStoreOption(key, value);
  EXPECT_TRUE(setting.ok()) << key << ": " << setting.status().message();
  return setting.ok() ? *setting : StoreSetting{};
}

class StoreOptionsTest : public ::testing::Test {
 protected:
  void TearDown() override { UseStoreOptions({}); }
};

TEST_F(StoreOptionsTest, HadoopS3aNamesBecomeTheClientsKeys) {
  StoreSetting key = Parsed("fs.s3a.access.key", "AKIA1");
  EXPECT_EQ(key.backend, Backend::kS3);
  EXPECT_EQ(key.scope, "");
  EXPECT_EQ(key.key, "aws_access_key_id");
  EXPECT_EQ(Parsed("FS.S3A.Secret.Key", "s").key, "aws_secret_access_key");
  EXPECT_EQ(Parsed("fs.s3a.endpoint.region", "eu-west-1").key, "aws_region");
  StoreSetting path_style = Parsed("fs.s3a.path.style.access", "true");
  EXPECT_EQ(path_style.key, "aws_virtual_hosted_style_request");
  EXPECT_EQ(path_style.value, "false");
}

TEST_F(StoreOptionsTest, APerBucketNameKeepsTheBucketEvenWithDotsInIt) {
  StoreSetting s = Parsed("fs.s3a.bucket.logs.acme.com.endpoint.region", "us-west-2");
  EXPECT_EQ(s.scope, "logs.acme.com");
  EXPECT_EQ(s.key, "aws_region");
  EXPECT_EQ(Parsed("fs.s3a.bucket.b1.endpoint", "http://x").key, "aws_endpoint");
}

TEST_F(StoreOptionsTest, TheBucketsOwnSettingWinsAndOtherBucketsDoNotSeeIt) {
  UseStoreOptions({{Parsed("fs.s3a.bucket.landing.secret.key", "landing-secret"),
                    Parsed("fs.s3a.secret.key", "general-secret"), Parsed("fs.s3a.access.key", "AKIA1")}});
  EXPECT_EQ(StoreConfigFor(Backend::kS3, "s3://landing"),
            (Pairs{{"aws_secret_access_key", "general-secret"},
                   {"aws_access_key_id", "AKIA1"},
                   {"aws_secret_access_key", "landing-secret"}}));
  EXPECT_EQ(StoreConfigFor(Backend::kS3, "s3a://lake"),
            (Pairs{{"aws_secret_access_key", "general-secret"}, {"aws_access_key_id", "AKIA1"}}));
  EXPECT_TRUE(StoreConfigFor(Backend::kAzure, "abfss://c@acct.dfs.core.windows.net").empty());
}

TEST_F(StoreOptionsTest, AzureSettingsAreForTheAccountTheirNameOrConnectionStringGives) {
  StoreSetting key = Parsed("fs.azure.account.key.acct1.dfs.core.windows.net", "a2V5");
  EXPECT_EQ(key.scope, "acct1");
  EXPECT_EQ(key.key, "azure_storage_account_key");
  EXPECT_EQ(Parsed("fs.azure.sas.fixed.token.acct1.blob.core.windows.net", "sv=1").key, "azure_storage_sas_key");
  StoreSetting tenant = Parsed("fs.azure.account.oauth2.client.endpoint.acct1.dfs.core.windows.net",
                               "https://login.microsoftonline.com/tenant-42/oauth2/token");
  EXPECT_EQ(tenant.key, "azure_tenant_id");
  EXPECT_EQ(tenant.value, "tenant-42");
  StoreSetting connection = Parsed("cloudFiles.connectionString", "AccountName=Acct2;AccountKey=a2V5");
  EXPECT_EQ(connection.scope, "acct2");
  EXPECT_EQ(connection.key, "azure_storage_connection_string");

  UseStoreOptions({{key, connection}});
  EXPECT_EQ(StoreConfigFor(Backend::kAzure, "abfss://c@acct1.dfs.core.windows.net"),
            (Pairs{{"azure_storage_account_key", "a2V5"}}));
  EXPECT_EQ(StoreConfigFor(Backend::kAzure, "abfss://c@acct2.dfs.core.windows.net"),
            (Pairs{{"azure_storage_connection_string", "AccountName=Acct2;AccountKey=a2V5"}}));
}

TEST_F(StoreOptionsTest, AnAzUrlWithoutAnAccountTakesTheOneAccountTheOptionsName) {
  unsetenv("AZURE_STORAGE_ACCOUNT_NAME");
  unsetenv("AZURE_STORAGE_ACCOUNT");
  UseStoreOptions({{Parsed("fs.azure.account.key.acct1.dfs.core.windows.net", "a2V5")}});
  EXPECT_EQ(StoreConfigFor(Backend::kAzure, "az://container"),
            (Pairs{{"azure_storage_account_name", "acct1"}, {"azure_storage_account_key", "a2V5"}}));
}

TEST_F(StoreOptionsTest, UnknownStoreOptionsAreRefusedByNameWithoutTheirValue) {
  for (std::string_view key : {"fs.s3a.connection.maximum", "fs.s3a.bucket..secret.key", "fs.azure.account.keyprovider",
                               "fs.azure.account.key.a.b.dfs.core.windows.net", "fs.gs.project.id"}) {
    EXPECT_TRUE(IsStoreOptionKey(key)) << key;
    auto setting = ParseStoreOption(key, "s3cr3t-value");
    ASSERT_FALSE(setting.ok()) << key;
    EXPECT_NE(setting.status().message().find(std::string(key)), std::string::npos) << setting.status().message();
    EXPECT_EQ(setting.status().message().find("s3cr3t-value"), std::string::npos) << setting.status().message();
  }
  EXPECT_FALSE(IsStoreOptionKey("cloudFiles.format"));
}

TEST_F(StoreOptionsTest, GcsKeyFileInEitherConnectorSpelling) {
  EXPECT_EQ(Parsed("google.cloud.auth.service.account.json.keyfile", "/k.json").key, "google_service_account");
  EXPECT_EQ(Parsed("fs.gs.auth.service.account.json.keyfile", "/k.json").backend, Backend::kGcs);
}

}  // namespace
}  // namespace inlet::storage
