// Host/token resolution for `inlet jobs` (see config.h for the order and why).
#include "inlet/jobsclient/config.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "inlet/util/ids.h"
#include "inlet/util/strings.h"
#include "inlet/storage/file_system.h"

namespace inlet::jobsclient {
namespace {

std::string Trim(const std::string& text) {
  const char* kSpace = " \t\r\n";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

// Sets *value from the first candidate that has one, recording where it came from.
struct Pick {
  std::string* value;
  std::string* source;
  void From(const std::optional<std::string>& candidate, const std::string& where) {
    if (!value->empty() || !candidate || candidate->empty()) return;
    *value = *candidate;
    *source = where;
  }
};

std::optional<std::string> NonEmpty(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

Result<ProfileFile> ParseProfileFile(const std::string& text, const std::string& path) {
  ProfileFile profiles;
  std::string section = "DEFAULT";
  std::istringstream lines(text);
  std::string line;
  int line_number = 0;
  while (std::getline(lines, line)) {
    ++line_number;
    std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') continue;
    if (trimmed[0] == '[') {
      if (trimmed.back() != ']' || trimmed.size() < 3) {
        return Status::Invalid(fmt::format("{}:{}: bad section header '{}'", path, line_number, trimmed));
      }
      section = Trim(trimmed.substr(1, trimmed.size() - 2));
      profiles[section];  // an empty section still names a profile
      continue;
    }
    size_t separator = trimmed.find_first_of("=:");
    if (separator == std::string::npos) {
      return Status::Invalid(fmt::format("{}:{}: expected 'key = value' in profile [{}], got '{}'", path,
                                         line_number, section, trimmed));
    }
    profiles[section][AsciiLower(Trim(trimmed.substr(0, separator)))] = Trim(trimmed.substr(separator + 1));
  }
  return profiles;
}

std::string ProfileFilePath(const EnvLookup& env) {
  if (auto file = env("DATABRICKS_CONFIG_FILE")) {
    if (file->rfind("~/", 0) == 0) {
      if (auto home = env("HOME")) return *home + file->substr(1);
    }
    return *file;
  }
  if (auto home = env("HOME")) return *home + "/.databrickscfg";
  return "";
}

std::string NormalizeHost(const std::string& host) {
  std::string normalized = Trim(host);
  while (!normalized.empty() && normalized.back() == '/') normalized.pop_back();
  size_t scheme_end = normalized.find("://");
  if (scheme_end == std::string::npos) return normalized.empty() ? normalized : "https://" + normalized;
  return AsciiLower(normalized.substr(0, scheme_end)) + normalized.substr(scheme_end);
}

Result<ClientConfig> ResolveConfig(const ConfigFlags& flags, const EnvLookup& env) {
  ClientConfig config;
  Pick host{&config.host, &config.host_source};
  Pick token{&config.token, &config.token_source};
  host.From(NonEmpty(flags.host), "--host");
  token.From(NonEmpty(flags.token), "--token");
  host.From(env("INLET_HOST"), "INLET_HOST");
  token.From(env("INLET_TOKEN"), "INLET_TOKEN");
  host.From(env("DATABRICKS_HOST"), "DATABRICKS_HOST");
  token.From(env("DATABRICKS_TOKEN"), "DATABRICKS_TOKEN");

  std::string profile = flags.profile;
  if (profile.empty()) profile = env("DATABRICKS_CONFIG_PROFILE").value_or("");
  bool explicit_profile = !profile.empty();
  if (!explicit_profile) profile = "DEFAULT";
  bool need_file = explicit_profile ? (config.host.empty() || config.token.empty())
                                    : (config.host.empty() && config.token.empty());
  std::string path = ProfileFilePath(env);
  if (need_file && !path.empty() && std::filesystem::exists(path)) {
    INLET_ASSIGN_OR_RAISE(auto text, storage::Local()->ReadFile(path));
    INLET_ASSIGN_OR_RAISE(auto profiles, ParseProfileFile(text, path));
    auto found = profiles.find(profile);
    if (found == profiles.end()) {
      if (explicit_profile) return Status::KeyError(fmt::format("{} has no profile [{}]", path, profile));
    } else {
      std::string where = fmt::format("profile {} in {}", profile, path);
      auto value = [&](const char* key) -> std::optional<std::string> {
        auto it = found->second.find(key);
        if (it == found->second.end()) return std::nullopt;
        return it->second;
      };
      host.From(value("host"), where);
      token.From(value("token"), where);
    }
  } else if (need_file && explicit_profile) {
    return Status::IOError(fmt::format("--profile {}: config file {} does not exist", profile,
                                       path.empty() ? "~/.databrickscfg (HOME is not set)" : path));
  }

  if (config.host.empty()) {
    return Status::Invalid(
        "no server configured: pass --host, set INLET_HOST or DATABRICKS_HOST, or add host = ... to a "
        "profile "
        "in ~/.databrickscfg (--profile)");
  }
  if (config.token.empty()) {
    return Status::Invalid(
        fmt::format("no token configured for {} (host from {}): pass --token, set INLET_TOKEN or "
                    "DATABRICKS_TOKEN, or add "
                    "token = ... to a profile in ~/.databrickscfg",
                    config.host, config.host_source));
  }
  config.host = NormalizeHost(config.host);
  return config;
}

}  // namespace inlet::jobsclient
