// Credentials and endpoints given per stream with --option, in the spellings Spark users
// already have in their Hadoop configuration (fs.s3a.*, fs.azure.*, the GCS connector's
// keyfile), plus Auto Loader's cloudFiles.connectionString. They add to what the
// environment gives the clients (README "Object storage") and win over it.
//
// The command line's edge parses them once (ParseStoreOption) and hands them to this
// process's stores (UseStoreOptions) before the first store opens; the object-store
// backend then gives each store the settings that apply to its bucket or account.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inlet/storage/location.h"
#include "inlet/util/status.h"

namespace inlet::storage {

struct StoreSetting {
  Backend backend = Backend::kS3;
  // The bucket (S3) or storage account (Azure) it is for; empty: every one.
  std::string scope;
  std::string key;  // the client's config key, e.g. "aws_secret_access_key"
  std::string value;
  std::string option;  // the --option name it came from, for messages
};

struct StoreOptions {
  std::vector<StoreSetting> settings;
};

// One row per family of store options, for --help and the README.
struct StoreOptionSpec {
  std::string_view name;  // e.g. "fs.s3a.bucket.BUCKET.secret.key"
  std::string_view doc;
};
const std::vector<StoreOptionSpec>& StoreOptionTable();

// Whether `key` (case-insensitive) names a store option: fs.s3a.*, fs.azure.*,
// fs.gs.* / google.cloud.auth.*, cloudFiles.connectionString.
bool IsStoreOptionKey(std::string_view key);

// The setting `key`=`value` makes. Invalid for a store option inlet does not know or a
// malformed value; errors name the option, never the value (it may be a secret).
Result<StoreSetting> ParseStoreOption(std::string_view key, std::string_view value);

// The settings every store this process opens from now on gets.
void UseStoreOptions(const StoreOptions& options);

// The client config pairs for the store at `root` ("s3://bucket",
// "abfss://container@account.dfs.core.windows.net"): the settings for every store of its
// cloud first, then those for its bucket or account, so the narrower wins.
std::vector<std::pair<std::string, std::string>> StoreConfigFor(Backend backend, std::string_view root);

}  // namespace inlet::storage
