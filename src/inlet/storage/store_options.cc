#include "inlet/storage/store_options.h"

#include <array>
#include <cstdlib>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "inlet/util/strings.h"

namespace inlet::storage {
namespace {

struct Property {
  std::string_view name;        // after the family's prefix (and bucket)
  std::string_view config_key;  // the client's
  enum Kind { kText, kNegatedBoolean, kTenantFromEndpoint } kind = kText;
};

// Hadoop S3A's names: fs.s3a.NAME, or fs.s3a.bucket.BUCKET.NAME for one bucket. Longest
// first, since a bucket name may contain dots.
constexpr std::array<Property, 7> kS3Properties{{
    {"connection.ssl.enabled", "aws_allow_http", Property::kNegatedBoolean},
    {"endpoint.region", "aws_region"},
    {"path.style.access", "aws_virtual_hosted_style_request", Property::kNegatedBoolean},
    {"session.token", "aws_session_token"},
    {"access.key", "aws_access_key_id"},
    {"secret.key", "aws_secret_access_key"},
    {"endpoint", "aws_endpoint"},
}};

// Hadoop ABFS's names: fs.azure.NAME.ACCOUNT.dfs.core.windows.net (or .blob.), or
// fs.azure.NAME for every account.
constexpr std::array<Property, 5> kAzureProperties{{
    {"account.oauth2.client.endpoint", "azure_tenant_id", Property::kTenantFromEndpoint},
    {"account.oauth2.client.secret", "azure_client_secret"},
    {"account.oauth2.client.id", "azure_client_id"},
    {"sas.fixed.token", "azure_storage_sas_key"},
    {"account.key", "azure_storage_account_key"},
}};
constexpr std::array<std::string_view, 2> kAzureHostSuffixes{".dfs.core.windows.net", ".blob.core.windows.net"};

// The GCS connector's names (2.x, 3.x) for a service-account key file.
constexpr std::array<std::string_view, 2> kGcsKeyFileOptions{"google.cloud.auth.service.account.json.keyfile",
                                                             "fs.gs.auth.service.account.json.keyfile"};

constexpr std::string_view kConnectionStringOption = "cloudfiles.connectionstring";

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Status Unknown(std::string_view key) {
  return Status::Invalid(fmt::format(
      "unknown store option '{}' (inlet ingest --help lists the fs.s3a.*, fs.azure.* and GCS keyfile options it "
      "takes)",
      key));
}

Result<std::string> ValueOf(const Property& property, std::string_view option, std::string_view value) {
  switch (property.kind) {
    case Property::kText:
      if (value.empty()) return Status::Invalid(fmt::format("option {}: expected a value, got none", option));
      return std::string(value);
    case Property::kNegatedBoolean:
      if (EqualsIgnoreCase(value, "true")) return std::string("false");
      if (EqualsIgnoreCase(value, "false")) return std::string("true");
      return Status::Invalid(fmt::format("option {}: expected true or false, got '{}'", option, value));
    case Property::kTenantFromEndpoint: {
      // https://login.microsoftonline.com/TENANT/oauth2/token (or /oauth2/v2.0/token)
      const size_t host = value.find("://");
      const size_t from = host == std::string_view::npos ? std::string_view::npos : value.find('/', host + 3);
      const size_t to = from == std::string_view::npos ? std::string_view::npos : value.find('/', from + 1);
      if (to == std::string_view::npos || to == from + 1) {
        return Status::Invalid(fmt::format(
            "option {}: expected https://login.microsoftonline.com/TENANT/oauth2/token, got '{}'", option, value));
      }
      return std::string(value.substr(from + 1, to - from - 1));
    }
  }
  return Status::Invalid("unreachable");
}

Result<StoreSetting> ParseS3(std::string_view lower, std::string_view option, std::string_view value) {
  const std::string_view rest = lower.substr(std::string_view("fs.s3a.").size());
  for (const Property& property : kS3Properties) {
    std::string scope;
    if (rest == property.name) {
      scope = "";
    } else if (StartsWith(rest, "bucket.") && EndsWith(rest, fmt::format(".{}", property.name)) &&
               rest.size() > 7 + property.name.size() + 1) {
      scope = std::string(rest.substr(7, rest.size() - 7 - property.name.size() - 1));
    } else {
      continue;
    }
    INLET_ASSIGN_OR_RAISE(std::string config_value, ValueOf(property, option, value));
    return StoreSetting{Backend::kS3, scope, std::string(property.config_key), config_value, std::string(option)};
  }
  return Unknown(option);
}

Result<StoreSetting> ParseAzure(std::string_view lower, std::string_view option, std::string_view value) {
  const std::string_view rest = lower.substr(std::string_view("fs.azure.").size());
  for (const Property& property : kAzureProperties) {
    if (!StartsWith(rest, property.name)) continue;
    std::string_view after = rest.substr(property.name.size());
    std::string scope;
    if (!after.empty()) {
      if (after[0] != '.') continue;
      after.remove_prefix(1);
      for (std::string_view suffix : kAzureHostSuffixes) {
        if (EndsWith(after, suffix)) after.remove_suffix(suffix.size());
      }
      if (after.empty() || after.find('.') != std::string_view::npos) return Unknown(option);
      scope = std::string(after);
    }
    INLET_ASSIGN_OR_RAISE(std::string config_value, ValueOf(property, option, value));
    return StoreSetting{Backend::kAzure, scope, std::string(property.config_key), config_value, std::string(option)};
  }
  return Unknown(option);
}

// A connection string is for the account it names.
std::string AccountOfConnectionString(std::string_view text) {
  const std::string lower = AsciiLower(text);
  size_t at = 0;
  while (at < lower.size()) {
    size_t end = lower.find(';', at);
    if (end == std::string::npos) end = lower.size();
    std::string_view part = std::string_view(lower).substr(at, end - at);
    if (StartsWith(part, "accountname=")) return std::string(part.substr(12));
    at = end + 1;
  }
  return "";
}

std::mutex& RegistryMutex() {
  static std::mutex mutex;
  return mutex;
}
StoreOptions& Registry() {
  static auto* options = new StoreOptions();
  return *options;
}

// The bucket or account a store root names; for az://container, the account the
// environment names, if any.
std::string ScopeOf(Backend backend, std::string_view root) {
  const size_t scheme_end = root.find("://");
  const std::string_view authority = scheme_end == std::string_view::npos ? root : root.substr(scheme_end + 3);
  if (backend == Backend::kS3) return AsciiLower(authority);
  if (backend == Backend::kAzure) {
    const size_t at = authority.find('@');
    if (at != std::string_view::npos) return AsciiLower(authority.substr(at + 1, authority.find('.', at) - at - 1));
    for (const char* variable : {"AZURE_STORAGE_ACCOUNT_NAME", "AZURE_STORAGE_ACCOUNT"}) {
      if (const char* account = std::getenv(variable); account != nullptr && *account != '\0') return AsciiLower(account);
    }
  }
  return "";
}

}  // namespace

const std::vector<StoreOptionSpec>& StoreOptionTable() {
  static const std::vector<StoreOptionSpec> kTable{
      {"fs.s3a.access.key", "S3 access key id"},
      {"fs.s3a.secret.key", "S3 secret access key"},
      {"fs.s3a.session.token", "S3 session token (temporary credentials)"},
      {"fs.s3a.endpoint", "S3 endpoint URL, for S3-compatible stores"},
      {"fs.s3a.endpoint.region", "S3 region"},
      {"fs.s3a.path.style.access", "true: path-style requests (bucket in the path), as S3-compatible stores want"},
      {"fs.s3a.connection.ssl.enabled", "false: plain http:// to the endpoint (a local S3-compatible store)"},
      {"fs.s3a.bucket.BUCKET.<any of the above>", "the same for one bucket only; wins over the general one"},
      {"fs.azure.account.key.ACCOUNT.dfs.core.windows.net", "Azure storage account key"},
      {"fs.azure.sas.fixed.token.ACCOUNT.dfs.core.windows.net", "Azure SAS token"},
      {"fs.azure.account.oauth2.client.id.ACCOUNT.dfs.core.windows.net", "Azure service principal's client id"},
      {"fs.azure.account.oauth2.client.secret.ACCOUNT.dfs.core.windows.net", "Azure service principal's secret"},
      {"fs.azure.account.oauth2.client.endpoint.ACCOUNT.dfs.core.windows.net",
       "Azure token endpoint https://login.microsoftonline.com/TENANT/oauth2/token"},
      {"cloudFiles.connectionString", "Azure storage connection string (for the account it names)"},
      {"google.cloud.auth.service.account.json.keyfile", "GCS service-account key file (also fs.gs.auth...)"},
  };
  return kTable;
}

bool IsStoreOptionKey(std::string_view key) {
  const std::string lower = AsciiLower(key);
  return StartsWith(lower, "fs.s3a.") || StartsWith(lower, "fs.azure.") || StartsWith(lower, "fs.gs.") ||
         StartsWith(lower, "google.cloud.auth.") || lower == kConnectionStringOption;
}

Result<StoreSetting> ParseStoreOption(std::string_view key, std::string_view value) {
  const std::string lower = AsciiLower(key);
  if (StartsWith(lower, "fs.s3a.")) return ParseS3(lower, key, value);
  if (StartsWith(lower, "fs.azure.")) return ParseAzure(lower, key, value);
  if (lower == kConnectionStringOption) {
    if (value.empty()) return Status::Invalid(fmt::format("option {}: expected a value, got none", key));
    return StoreSetting{Backend::kAzure, AccountOfConnectionString(value), "azure_storage_connection_string",
                        std::string(value), std::string(key)};
  }
  for (std::string_view name : kGcsKeyFileOptions) {
    if (lower != name) continue;
    if (value.empty()) return Status::Invalid(fmt::format("option {}: expected a file, got none", key));
    return StoreSetting{Backend::kGcs, "", "google_service_account", std::string(value), std::string(key)};
  }
  return Unknown(key);
}

void UseStoreOptions(const StoreOptions& options) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  Registry() = options;
}

std::vector<std::pair<std::string, std::string>> StoreConfigFor(Backend backend, std::string_view root) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  const std::vector<StoreSetting>& settings = Registry().settings;
  std::string scope = ScopeOf(backend, root);
  std::vector<std::pair<std::string, std::string>> config;
  if (backend == Backend::kAzure && scope.empty()) {
    // az://container with no account in the environment: the one account the options name.
    std::set<std::string> accounts;
    for (const StoreSetting& s : settings) {
      if (s.backend == backend && !s.scope.empty()) accounts.insert(s.scope);
    }
    if (accounts.size() == 1) {
      scope = *accounts.begin();
      config.emplace_back("azure_storage_account_name", scope);
    }
  }
  for (bool narrow : {false, true}) {
    for (const StoreSetting& s : settings) {
      if (s.backend != backend || s.scope.empty() == narrow) continue;
      if (narrow && s.scope != scope) continue;
      config.emplace_back(s.key, s.value);
    }
  }
  return config;
}

}  // namespace inlet::storage
