// Tokens: SHA-256 matches the standard vectors; tokens verify until revoked; only salted
// hashes are stored.
#include "inlet/service/tokens.h"

#include <fstream>

#include <gtest/gtest.h>

#include "service_test_util.h"

namespace inlet::service {
namespace {

TEST(Tokens, Sha256MatchesKnownVectors) {
  EXPECT_EQ(HexEncode(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Tokens, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(Tokens, CreatedTokenVerifiesUntilRevoked) {
  testing::TempDir dir;
  auto store = TokenStore::Open(dir.path()).ValueOrDie();
  auto token = store->Create("ci", 5).ValueOrDie();
  EXPECT_TRUE(token.secret.starts_with("dapi"));
  EXPECT_EQ(token.secret.size(), 36u);
  EXPECT_TRUE(store->Verify(token.secret).ValueOrDie());
  EXPECT_FALSE(store->Verify(token.secret + "x").ValueOrDie());
  EXPECT_FALSE(store->Verify("").ValueOrDie());
  auto listed = store->List().ValueOrDie();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].comment, "ci");
  EXPECT_TRUE(store->Revoke(token.info.token_id, 6).ValueOrDie());
  EXPECT_FALSE(store->Revoke(token.info.token_id, 7).ValueOrDie());
  EXPECT_FALSE(store->Verify(token.secret).ValueOrDie());
}

TEST(Tokens, DatabaseHoldsNoSecret) {
  testing::TempDir dir;
  std::string secret;
  {
    auto store = TokenStore::Open(dir.path()).ValueOrDie();
    secret = store->Create("", 1).ValueOrDie().secret;
  }
  // Another process (a second open) sees the token; the file never holds its text.
  auto again = TokenStore::Open(dir.path()).ValueOrDie();
  EXPECT_TRUE(again->Verify(secret).ValueOrDie());
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(bytes.find(secret.substr(4)), std::string::npos);
}

}  // namespace
}  // namespace inlet::service
