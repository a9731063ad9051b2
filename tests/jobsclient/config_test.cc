// Host/token resolution of `inlet jobs`: flags, env, ~/.databrickscfg profiles and their order.
#include "inlet/jobsclient/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace inlet::jobsclient {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "inlet-jobscfg-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    home_ = templ;
    env_["HOME"] = home_.string();
  }
  void TearDown() override { fs::remove_all(home_); }

  void WriteProfiles(const std::string& text) { std::ofstream(home_ / ".databrickscfg") << text; }

  Result<ClientConfig> Resolve(const ConfigFlags& flags = {}) {
    return ResolveConfig(flags, [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    });
  }

  fs::path home_;
  std::map<std::string, std::string> env_;
};

TEST_F(ConfigTest, FlagsWinOverEverything) {
  env_["INLET_HOST"] = "http://inlet-env:1";
  env_["INLET_TOKEN"] = "inlet-env-token";
  WriteProfiles("[DEFAULT]\nhost = http://file:3\ntoken = file-token\n");
  auto config = Resolve({"http://flag:9/", "flag-token", ""});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "http://flag:9");
  EXPECT_EQ(config->token, "flag-token");
  EXPECT_EQ(config->host_source, "--host");
}

TEST_F(ConfigTest, InletEnvWinsOverDatabricksEnv) {
  env_["INLET_HOST"] = "http://inlet-env:1";
  env_["INLET_TOKEN"] = "inlet-token";
  env_["DATABRICKS_HOST"] = "http://dbx-env:2";
  env_["DATABRICKS_TOKEN"] = "dbx-token";
  auto config = Resolve();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "http://inlet-env:1");
  EXPECT_EQ(config->token, "inlet-token");
  EXPECT_EQ(config->token_source, "INLET_TOKEN");
}

TEST_F(ConfigTest, DatabricksEnvIsUsedWhenNoInletEnv) {
  env_["DATABRICKS_HOST"] = "http://dbx-env:2";
  env_["DATABRICKS_TOKEN"] = "dbx-token";
  WriteProfiles("[DEFAULT]\nhost = http://file:3\ntoken = file-token\n");
  auto config = Resolve();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "http://dbx-env:2");
  EXPECT_EQ(config->token, "dbx-token");
}

TEST_F(ConfigTest, DefaultProfileFromHomeDatabrickscfg) {
  WriteProfiles(
      "; comment\n[DEFAULT]\nHost = http://file:3/\ntoken: file-token\n\n[other]\nhost = http://o:4\n");
  auto config = Resolve();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "http://file:3");
  EXPECT_EQ(config->token, "file-token");
  EXPECT_EQ(config->host_source, "profile DEFAULT in " + (home_ / ".databrickscfg").string());
}

TEST_F(ConfigTest, NamedProfileIsSelectedWithFlag) {
  WriteProfiles(
      "[DEFAULT]\nhost = http://default:1\ntoken = d\n[staging]\nhost = http://staging:2\ntoken = s\n");
  auto config = Resolve({"", "", "staging"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "http://staging:2");
  EXPECT_EQ(config->token, "s");
}

TEST_F(ConfigTest, NamedProfileFromEnvVariable) {
  env_["DATABRICKS_CONFIG_PROFILE"] = "staging";
  WriteProfiles("[staging]\nhost = http://staging:2\ntoken = s\n");
  auto config = Resolve();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "http://staging:2");
}

TEST_F(ConfigTest, NamedProfileOnlyFillsWhatEnvLeftOpen) {
  env_["INLET_TOKEN"] = "env-token";
  WriteProfiles("[staging]\nhost = http://staging:2\ntoken = s\n");
  auto config = Resolve({"", "", "staging"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "http://staging:2");
  EXPECT_EQ(config->token, "env-token");
}

TEST_F(ConfigTest, ImplicitDefaultProfileIsNotMixedWithEnvHost) {
  // A token from the file must not be sent to a host named elsewhere (the SDK's rule too).
  env_["INLET_HOST"] = "http://elsewhere:1";
  WriteProfiles("[DEFAULT]\nhost = http://file:3\ntoken = file-token\n");
  auto config = Resolve();
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("no token configured for http://elsewhere:1"), std::string::npos)
      << config.status();
}

TEST_F(ConfigTest, MissingNamedProfileIsAnError) {
  WriteProfiles("[DEFAULT]\nhost = http://file:3\ntoken = t\n");
  auto config = Resolve({"", "", "prod"});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("has no profile [prod]"), std::string::npos) << config.status();
}

TEST_F(ConfigTest, NamedProfileDoesNotInheritDefaultKeys) {
  WriteProfiles("[DEFAULT]\ntoken = default-token\n[dev]\nhost = http://dev:1\n");
  auto config = Resolve({"", "", "dev"});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("no token configured"), std::string::npos) << config.status();
}

TEST_F(ConfigTest, ConfigFileEnvOverridesHome) {
  fs::path other = home_ / "elsewhere.cfg";
  std::ofstream(other) << "[DEFAULT]\nhost = http://other:5\ntoken = o\n";
  env_["DATABRICKS_CONFIG_FILE"] = other.string();
  auto config = Resolve();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->host, "http://other:5");
}

TEST_F(ConfigTest, NothingConfiguredSaysWhereToConfigure) {
  auto config = Resolve();
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("INLET_HOST"), std::string::npos);
}

TEST(ProfileFile, BadLineNamesFileAndLine) {
  auto parsed = ParseProfileFile("[DEFAULT]\nhost = x\njust words\n", "/h/.databrickscfg");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("/h/.databrickscfg:3"), std::string::npos) << parsed.status();
}

TEST(ProfileFile, KeysBeforeAnySectionBelongToDefault) {
  auto parsed = ParseProfileFile("host = http://a\n[x]\n", "f");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["DEFAULT"]["host"], "http://a");
  EXPECT_TRUE(parsed->count("x"));
}

TEST(NormalizeHost, BareHostMeansHttpsLikeTheSdk) {
  EXPECT_EQ(NormalizeHost("adb-1.azuredatabricks.net/"), "https://adb-1.azuredatabricks.net");
  EXPECT_EQ(NormalizeHost("HTTP://127.0.0.1:8080//"), "http://127.0.0.1:8080");
}

}  // namespace
}  // namespace inlet::jobsclient
