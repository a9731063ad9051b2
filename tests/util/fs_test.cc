// Durable file helpers: atomic replace and put-if-absent.
#include "inlet/util/fs.h"

#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

namespace inlet {
namespace {

namespace fs = std::filesystem;

class FsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("inlet-fs-" + NewUuid());
    ASSERT_TRUE(CreateDirs(dir_.string()).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(FsTest, WriteFileAtomicReplacesWholeContentAndLeavesNoTempFile) {
  std::string path = (dir_ / "f").string();
  ASSERT_TRUE(WriteFileAtomic(path, "first version").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "second").ok());
  EXPECT_EQ(ReadFileToString(path).ValueOrDie(), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(FsTest, WriteFileIfAbsentRefusesAnExistingFileAndKeepsIt) {
  std::string path = (dir_ / "00000000000000000000.json").string();
  ASSERT_TRUE(WriteFileIfAbsent(path, "winner").ok());
  Status second = WriteFileIfAbsent(path, "loser");
  EXPECT_TRUE(second.IsAlreadyExists()) << second.ToString();
  EXPECT_EQ(ReadFileToString(path).ValueOrDie(), "winner");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(FsTest, ReadingAMissingFileNamesIt) {
  auto result = ReadFileToString((dir_ / "nope").string());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("nope"), std::string::npos);
}

TEST(Uuid, IsVersion4AndUnique) {
  std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::string a = NewUuid(), b = NewUuid();
  EXPECT_TRUE(std::regex_match(a, shape)) << a;
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace inlet
