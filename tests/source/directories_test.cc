// The tree one flat listing shows (incremental listing) answers List and Stat as the store
// itself would for what was listed, and listing many directories at once keeps each
// directory's own answer in its place.
#include "inlet/source/directories.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace inlet::source {
namespace {

storage::FileInfo File(std::string path, int64_t size) {
  storage::FileInfo info;
  info.name = path.substr(path.find_last_of('/') + 1);
  info.path = std::move(path);
  info.size = size;
  return info;
}

std::vector<std::string> Names(const std::vector<storage::FileInfo>& entries) {
  std::vector<std::string> names;
  for (const auto& e : entries) names.push_back(e.name + (e.is_directory() ? "/" : ""));
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ListedDirectories, DirectoriesExistWhereAFileIsBelowThem) {
  auto dirs = ListedDirectories("s3://b/landing", {File("s3://b/landing/2026/12/a.json", 3),
                                                   File("s3://b/landing/2026/12/b.json", 4),
                                                   File("s3://b/landing/2026/11/c.json", 5),
                                                   File("s3://b/landing/top.json", 6), File("s3://b/other/x.json", 1)});
  EXPECT_EQ(Names(*dirs->List("s3://b/landing")), (std::vector<std::string>{"2026/", "top.json"}));
  EXPECT_EQ(Names(*dirs->List("s3://b/landing/2026/")), (std::vector<std::string>{"11/", "12/"}));
  EXPECT_EQ(Names(*dirs->List("s3://b/landing/2026/12")), (std::vector<std::string>{"a.json", "b.json"}));
  EXPECT_TRUE(dirs->List("s3://b/landing/2025")->empty());
  auto file = dirs->Stat("s3://b/landing/2026/12/b.json");
  ASSERT_TRUE(file.ok() && file->has_value());
  EXPECT_EQ((*file)->size, 4);
  auto dir = dirs->Stat("s3://b/landing/2026");
  ASSERT_TRUE(dir.ok() && dir->has_value());
  EXPECT_TRUE((*dir)->is_directory());
  EXPECT_FALSE(dirs->Stat("s3://b/other/x.json")->has_value()) << "outside the base";
}

TEST(LiveDirectories, ListingManyAtOnceGivesEachDirectoryItsOwnEntries) {
  const auto root = std::filesystem::temp_directory_path() / ("inlet-dirs-" + std::to_string(::getpid()));
  std::vector<std::string> paths;
  for (int d = 0; d < 20; ++d) {
    const auto dir = root / std::to_string(d);
    std::filesystem::create_directories(dir);
    for (int f = 0; f <= d % 3; ++f) std::ofstream(dir / (std::to_string(f) + ".json")) << "{}\n";
    paths.push_back(dir.string());
  }
  paths.push_back((root / "missing").string());
  auto dirs = LiveDirectories(storage::Local());
  auto listed = dirs->ListAll(paths);
  ASSERT_EQ(listed.size(), paths.size());
  for (int d = 0; d < 20; ++d) {
    ASSERT_TRUE(listed[d].ok());
    EXPECT_EQ(listed[d]->size(), static_cast<size_t>(d % 3 + 1)) << paths[d];
    for (const auto& e : *listed[d]) EXPECT_EQ(e.path.rfind(paths[d] + "/", 0), 0u) << e.path;
  }
  EXPECT_TRUE(listed.back().ok() && listed.back()->empty());
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace inlet::source
