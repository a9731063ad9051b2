// Where `inlet jobs` finds the server and its token: flags, INLET_* and DATABRICKS_* env
// variables, then a profile in ~/.databrickscfg — the same places the Databricks tools look.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "inlet/util/status.h"

namespace inlet::jobsclient {

// Values given on the command line; empty means "not given".
struct ConfigFlags {
  std::string host;
  std::string token;
  std::string profile;  // --profile NAME
};

// A resolved connection: host normalized ("http://h:p", no trailing slash) and a token.
struct ClientConfig {
  std::string host;
  std::string token;
  // Where host and token came from, e.g. "--host" or "profile DEFAULT in /home/a/.databrickscfg";
  // shown by --debug and in errors so people can tell which setting won.
  std::string host_source;
  std::string token_source;
};

// Reads an environment variable; nullopt when unset. Injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
// The process environment (std::getenv); empty values count as unset.
std::optional<std::string> ProcessEnv(const std::string& name);

// One INI file as the Databricks tools read it: section -> key -> value. Keys are lower-cased,
// values trimmed; '#' and ';' start comment lines. Keys before any section go to "DEFAULT".
using ProfileFile = std::map<std::string, std::map<std::string, std::string>>;
Result<ProfileFile> ParseProfileFile(const std::string& text, const std::string& path);

// The config file path: $DATABRICKS_CONFIG_FILE, else $HOME/.databrickscfg (empty if no HOME).
std::string ProfileFilePath(const EnvLookup& env);

// Resolves host and token, each from the first place that sets it: flags, INLET_HOST /
// INLET_TOKEN, DATABRICKS_HOST / DATABRICKS_TOKEN, then the profile (--profile, else
// $DATABRICKS_CONFIG_PROFILE, else DEFAULT). Like the Databricks SDK, an implicit DEFAULT
// profile is only read when neither host nor token was given otherwise, so a token from the
// file is never sent to a host from somewhere else; a named profile fills whatever is missing
// and must exist. A host without a scheme gets https:// as in the SDK (and this build then
// rejects it: no TLS); trailing slashes are dropped.
Result<ClientConfig> ResolveConfig(const ConfigFlags& flags, const EnvLookup& env = ProcessEnv);

// "localhost:8080/" -> "https://localhost:8080"; "HTTP://h" -> "http://h".
std::string NormalizeHost(const std::string& host);

}  // namespace inlet::jobsclient
