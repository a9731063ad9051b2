// Token creation, listing, revocation and verification over the tokens table.
#include "inlet/service/tokens.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <nettle/sha2.h>

namespace inlet::service {

namespace {
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS tokens (
  token_id TEXT PRIMARY KEY,
  comment TEXT NOT NULL,
  created_time INTEGER NOT NULL,
  revoked_time INTEGER NOT NULL DEFAULT 0,
  salt BLOB NOT NULL,
  hash BLOB NOT NULL
);
)sql";

constexpr std::string_view kTokenPrefix = "dapi";
}  // namespace

std::string Sha256(std::string_view data) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, data.size(), reinterpret_cast<const uint8_t*>(data.data()));
  std::string digest(SHA256_DIGEST_SIZE, '\0');
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, reinterpret_cast<uint8_t*>(digest.data()));
  return digest;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  volatile unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
  return diff == 0;
}

Result<std::string> RandomBytes(size_t bytes) {
  std::string out(bytes, '\0');
  size_t filled = 0;
  while (filled < bytes) {
    ssize_t got = getrandom(out.data() + filled, bytes - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(fmt::format("getrandom failed: {}", std::strerror(errno)));
    }
    filled += static_cast<size_t>(got);
  }
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

Result<std::unique_ptr<TokenStore>> TokenStore::Open(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::IOError(fmt::format("cannot create data directory '{}': {}", data_dir, ec.message()));
  INLET_ASSIGN_OR_RAISE(auto db, SqliteDb::Open((std::filesystem::path(data_dir) / "inlet.db").string()));
  INLET_RETURN_NOT_OK(db->Exec(kSchema));
  return std::unique_ptr<TokenStore>(new TokenStore(std::move(db)));
}

Result<NewToken> TokenStore::Create(const std::string& comment, int64_t now_ms) {
  INLET_ASSIGN_OR_RAISE(std::string secret_bytes, RandomBytes(16));
  INLET_ASSIGN_OR_RAISE(std::string id_bytes, RandomBytes(8));
  INLET_ASSIGN_OR_RAISE(std::string salt, RandomBytes(16));
  NewToken token;
  token.secret = std::string(kTokenPrefix) + HexEncode(secret_bytes);
  token.info.token_id = HexEncode(id_bytes);
  token.info.comment = comment;
  token.info.created_time = now_ms;
  std::string hash = Sha256(salt + token.secret);
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare("INSERT INTO tokens(token_id, comment, created_time, salt, hash) "
                                                "VALUES (?, ?, ?, ?, ?)"));
  INLET_RETURN_NOT_OK(stmt.Bind(1, std::string_view(token.info.token_id))
                          .Bind(2, std::string_view(comment))
                          .Bind(3, now_ms)
                          .BindBlob(4, salt)
                          .BindBlob(5, hash)
                          .Run());
  return token;
}

Result<std::vector<TokenInfo>> TokenStore::List() {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare("SELECT token_id, comment, created_time, revoked_time FROM tokens "
                                                "ORDER BY created_time, token_id"));
  std::vector<TokenInfo> tokens;
  while (true) {
    INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
    if (!row) break;
    tokens.push_back(TokenInfo{stmt.Text(0), stmt.Text(1), stmt.Int64(2), stmt.Int64(3)});
  }
  return tokens;
}

Result<bool> TokenStore::Revoke(const std::string& token_id, int64_t now_ms) {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt,
                        db_->Prepare("UPDATE tokens SET revoked_time = ? WHERE token_id = ? AND revoked_time = 0"));
  INLET_RETURN_NOT_OK(stmt.Bind(1, now_ms).Bind(2, std::string_view(token_id)).Run());
  return db_->Changes() > 0;
}

Result<bool> TokenStore::Verify(std::string_view presented) {
  if (presented.empty()) return false;
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare("SELECT salt, hash FROM tokens WHERE revoked_time = 0"));
  bool match = false;
  // Every valid token is checked, even after a match, so timing does not tell which one.
  while (true) {
    INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
    if (!row) break;
    std::string salt = stmt.Text(0);
    std::string expected = stmt.Text(1);
    std::string salted = salt;
    salted.append(presented);
    match = ConstantTimeEquals(Sha256(salted), expected) || match;
  }
  return match;
}

}  // namespace inlet::service
