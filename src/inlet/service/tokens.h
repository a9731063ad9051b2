// Personal access tokens of the jobs service: created by `inlet tokens create` (shown once),
// stored as salt + SHA-256(salt || token) in DIR/inlet.db, checked in constant time,
// revocable. Tokens are 128 random bits, so a fast hash is enough: nothing to brute-force.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "inlet/service/sqlite_db.h"
#include "inlet/util/status.h"

namespace inlet::service {

struct TokenInfo {
  std::string token_id;  // public handle for list/revoke, never the secret
  std::string comment;
  int64_t created_time = 0;  // ms since the epoch
  int64_t revoked_time = 0;  // 0 while valid
};

struct NewToken {
  TokenInfo info;
  std::string secret;  // "dapi" + 32 hex digits, as Databricks tokens look
};

class TokenStore {
 public:
  static Result<std::unique_ptr<TokenStore>> Open(const std::string& data_dir);

  Result<NewToken> Create(const std::string& comment, int64_t now_ms);
  Result<std::vector<TokenInfo>> List();
  // False when no valid token has that id.
  Result<bool> Revoke(const std::string& token_id, int64_t now_ms);
  // True when `presented` is a valid (unrevoked) token. Reads the table each time, so
  // tokens created or revoked by another process count at once.
  Result<bool> Verify(std::string_view presented);

 private:
  explicit TokenStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  std::unique_ptr<SqliteDb> db_;
};

// SHA-256 of `data` (32 raw bytes), via nettle.
std::string Sha256(std::string_view data);
// Equal-length comparison whose time does not depend on where the bytes differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// `bytes` cryptographically random bytes from the kernel (getrandom).
Result<std::string> RandomBytes(size_t bytes);
std::string HexEncode(std::string_view bytes);

}  // namespace inlet::service
