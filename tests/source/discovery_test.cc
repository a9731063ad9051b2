// Tests for landing-zone listing: globs, recursion, pathGlobFilter, hidden files, ordering.
#include "inlet/source/discovery.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace inlet::source {
namespace {

namespace fs = std::filesystem;

class DiscoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "inlet-discovery-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    root_ = templ;
    // World-readable, so the unprivileged child in the permission test can reach it.
    fs::permissions(root_, fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(root_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(root_, ec);
  }

  // Writes `size` bytes at root/rel with the given mtime (seconds since epoch).
  std::string Write(const std::string& rel, int64_t mtime_s = 1700000000, size_t size = 3) {
    fs::path p = fs::path(root_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << std::string(size, 'x');
    struct timespec times[2] = {{mtime_s, 0}, {mtime_s, 0}};
    EXPECT_EQ(::utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
    return p.string();
  }

  // Relative paths of ListFiles(pattern relative to root), in result order.
  std::vector<std::string> List(const std::string& pattern, bool recursive = false,
                                std::optional<std::string> filter = std::nullopt) {
    DiscoveryOptions options;
    options.pattern = root_ + "/" + pattern;
    options.recursive = recursive;
    options.path_glob_filter = std::move(filter);
    auto result = ListFiles(options);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    std::vector<std::string> rel;
    if (!result.ok()) return rel;
    for (const DiscoveredFile& f : *result) rel.push_back(f.path.substr(root_.size() + 1));
    return rel;
  }

  std::string root_;
};

using Paths = std::vector<std::string>;

TEST(GlobMatch, StarQuestionClassesAndBraces) {
  EXPECT_TRUE(GlobMatch("*.json", "a.json"));
  EXPECT_FALSE(GlobMatch("*.json", "a.jsonl"));
  EXPECT_TRUE(GlobMatch("part-?.json", "part-1.json"));
  EXPECT_FALSE(GlobMatch("part-?.json", "part-12.json"));
  EXPECT_TRUE(GlobMatch("[abc].json", "b.json"));
  EXPECT_FALSE(GlobMatch("[abc].json", "d.json"));
  EXPECT_TRUE(GlobMatch("[!a].json", "b.json"));
  EXPECT_FALSE(GlobMatch("[!a].json", "a.json"));
  EXPECT_TRUE(GlobMatch("*.{json,csv}", "x.csv"));
  EXPECT_TRUE(GlobMatch("*.{json,csv}", "x.json"));
  EXPECT_FALSE(GlobMatch("*.{json,csv}", "x.txt"));
  EXPECT_TRUE(GlobMatch("{a,b{1,2}}.json", "b2.json"));
  EXPECT_FALSE(GlobMatch("{a,b{1,2}}.json", "b3.json"));
  EXPECT_TRUE(GlobMatch("{a,}x", "x"));
  EXPECT_TRUE(GlobMatch("a{b", "a{b"));  // unmatched brace is literal
  EXPECT_TRUE(GlobMatch("\\*.json", "*.json"));
  EXPECT_FALSE(GlobMatch("\\*.json", "a.json"));
}

TEST_F(DiscoveryTest, PlainDirectoryListsItsRegularFilesOnly) {
  Write("in/a.json");
  Write("in/b.json");
  Write("in/sub/c.json");
  fs::create_symlink(root_ + "/in/sub", root_ + "/in/link-to-dir");
  ASSERT_EQ(::mkfifo((root_ + "/in/pipe.json").c_str(), 0644), 0);
  EXPECT_EQ(List("in"), (Paths{"in/a.json", "in/b.json"}));
  EXPECT_EQ(List("in/"), (Paths{"in/a.json", "in/b.json"}));
}

TEST_F(DiscoveryTest, ResultsAreAbsoluteNormalizedWithSizeAndMtime) {
  Write("in/a.json", 1700000123, 42);
  DiscoveryOptions options;
  options.pattern = root_ + "/in/../in/./*.json";
  auto files = ListFiles(options);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, root_ + "/in/a.json");
  EXPECT_EQ((*files)[0].size, 42);
  EXPECT_EQ((*files)[0].modification_time_ms, 1700000123000);
}

TEST_F(DiscoveryTest, RelativePatternIsMadeAbsolute) {
  Write("in/a.json");
  std::string cwd = fs::current_path();
  fs::current_path(root_);
  DiscoveryOptions options;
  options.pattern = "in/*.json";
  auto files = ListFiles(options);
  fs::current_path(cwd);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, root_ + "/in/a.json");
}

TEST_F(DiscoveryTest, StarQuestionAndBracesInFileNames) {
  Write("in/a.json");
  Write("in/b.csv");
  Write("in/c.txt");
  Write("in/part-1.json");
  Write("in/part-22.json");
  EXPECT_EQ(List("in/*.json"), (Paths{"in/a.json", "in/part-1.json", "in/part-22.json"}));
  EXPECT_EQ(List("in/part-?.json"), (Paths{"in/part-1.json"}));
  EXPECT_EQ(List("in/*.{json,csv}"),
            (Paths{"in/a.json", "in/b.csv", "in/part-1.json", "in/part-22.json"}));
  EXPECT_EQ(List("in/[ab].*"), (Paths{"in/a.json", "in/b.csv"}));
  EXPECT_EQ(List("in/[!ab].*"), (Paths{"in/c.txt"}));
}

TEST_F(DiscoveryTest, GlobsInDirectoryComponents) {
  Write("land/iot/2024-01/a.json");
  Write("land/iot/2024-02/b.json");
  Write("land/iot/2023-12/c.json");
  Write("land/web/2024-01/d.json");
  Write("land/web/2024-01/e.txt");
  EXPECT_EQ(List("land/*/2024-*/*.json"),
            (Paths{"land/iot/2024-01/a.json", "land/iot/2024-02/b.json",
                   "land/web/2024-01/d.json"}));
  EXPECT_EQ(List("land/{iot,web}/2024-01/*"),
            (Paths{"land/iot/2024-01/a.json", "land/web/2024-01/d.json",
                   "land/web/2024-01/e.txt"}));
  // A glob matching directories lists the files directly inside them.
  EXPECT_EQ(List("land/iot/202?-1*"), (Paths{"land/iot/2023-12/c.json"}));
}

TEST_F(DiscoveryTest, BraceAlternativesMatchingTheSameFileListItOnce) {
  Write("in/a.json");
  EXPECT_EQ(List("in/{a,a,*}.json"), (Paths{"in/a.json"}));
  EXPECT_EQ(List("{in,in}"), (Paths{"in/a.json"}));
}

TEST_F(DiscoveryTest, RecursiveDescendsAndAppliesLastGlobToNamesAtAnyDepth) {
  Write("in/a.json");
  Write("in/x/b.json");
  Write("in/x/y/c.json");
  Write("in/x/y/d.txt");
  EXPECT_EQ(List("in/*.json"), (Paths{"in/a.json"}));
  EXPECT_EQ(List("in/*.json", /*recursive=*/true),
            (Paths{"in/a.json", "in/x/b.json", "in/x/y/c.json"}));
  EXPECT_EQ(List("in", /*recursive=*/true),
            (Paths{"in/a.json", "in/x/b.json", "in/x/y/c.json", "in/x/y/d.txt"}));
}

TEST_F(DiscoveryTest, RecursiveWithTrailingSlashTreatsLastGlobAsDirectories) {
  Write("in/2024-01/a.json");
  Write("in/2024-01/deep/b.json");
  Write("in/2023-12/c.json");
  EXPECT_EQ(List("in/2024-*/", /*recursive=*/true),
            (Paths{"in/2024-01/a.json", "in/2024-01/deep/b.json"}));
}

TEST_F(DiscoveryTest, RecursiveSurvivesSymlinkCycles) {
  Write("in/a.json");
  Write("in/sub/b.json");
  fs::create_directory_symlink(root_ + "/in", root_ + "/in/sub/loop");
  EXPECT_EQ(List("in", /*recursive=*/true), (Paths{"in/a.json", "in/sub/b.json"}));
}

TEST_F(DiscoveryTest, PathGlobFilterMatchesFileNameOnly) {
  Write("in/a.json");
  Write("in/b.txt");
  Write("in/json/c.txt");
  Write("in/json/d.json");
  EXPECT_EQ(List("in", false, "*.json"), (Paths{"in/a.json"}));
  EXPECT_EQ(List("in", true, "*.json"), (Paths{"in/a.json", "in/json/d.json"}));
  // A filter that would only match a directory's name takes nothing from inside it.
  EXPECT_EQ(List("in", true, "json"), (Paths{}));
  EXPECT_EQ(List("in", true, "*.{txt,json}"),
            (Paths{"in/a.json", "in/b.txt", "in/json/c.txt", "in/json/d.json"}));
  // Combined with a glob in the pattern, both must match.
  EXPECT_EQ(List("in/*", false, "a*"), (Paths{"in/a.json"}));
}

TEST_F(DiscoveryTest, HiddenUnderscoreAndInFlightFilesAreSkipped) {
  Write("in/a.json");
  Write("in/.hidden.json");
  Write("in/_SUCCESS");
  Write("in/_tmp.json");
  Write("in/b.json._COPYING_");
  Write("in/.git/c.json");
  Write("in/_staging/d.json");
  Write("in/date=1/e.json");
  Write("in/_col=1/f.json");  // Spark keeps '_' partition directories
  EXPECT_EQ(List("in"), (Paths{"in/a.json"}));
  // in/* also matches the visible directories, whose files are listed one level down.
  EXPECT_EQ(List("in/*"), (Paths{"in/_col=1/f.json", "in/a.json", "in/date=1/e.json"}));
  EXPECT_EQ(List("in/*.json"), (Paths{"in/a.json"}));
  EXPECT_EQ(List("in", true), (Paths{"in/_col=1/f.json", "in/a.json", "in/date=1/e.json"}));
  EXPECT_EQ(List("in/*.json", true), (Paths{"in/_col=1/f.json", "in/a.json", "in/date=1/e.json"}));
}

TEST_F(DiscoveryTest, SortedByMtimeThenPath) {
  Write("in/c.json", 1700000300);
  Write("in/a.json", 1700000300);
  Write("in/b.json", 1700000100);
  Write("in/d.json", 1700000200);
  EXPECT_EQ(List("in"), (Paths{"in/b.json", "in/d.json", "in/a.json", "in/c.json"}));
}

TEST_F(DiscoveryTest, MillisecondMtimesOrderFiles) {
  std::string a = Write("in/a.json");
  std::string b = Write("in/b.json");
  struct timespec ta[2] = {{1700000000, 900000000}, {1700000000, 900000000}};
  struct timespec tb[2] = {{1700000000, 100000000}, {1700000000, 100000000}};
  ASSERT_EQ(::utimensat(AT_FDCWD, a.c_str(), ta, 0), 0);
  ASSERT_EQ(::utimensat(AT_FDCWD, b.c_str(), tb, 0), 0);
  DiscoveryOptions options;
  options.pattern = root_ + "/in";
  auto files = ListFiles(options);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].path, b);
  EXPECT_EQ((*files)[0].modification_time_ms, 1700000000100);
  EXPECT_EQ((*files)[1].modification_time_ms, 1700000000900);
}

TEST_F(DiscoveryTest, MissingDirectoryIsEmptyNotAnError) {
  EXPECT_EQ(List("not-yet"), (Paths{}));
  EXPECT_EQ(List("not-yet/*.json"), (Paths{}));
  EXPECT_EQ(List("not-yet/*/x/*.json", true), (Paths{}));
}

TEST_F(DiscoveryTest, ExplicitFileIsListed) {
  Write("in/a.json", 1700000000, 5);
  EXPECT_EQ(List("in/a.json"), (Paths{"in/a.json"}));
}

TEST_F(DiscoveryTest, UnreadableDirectoryIsSkippedWithAWarningNamingIt) {
  Write("in/a.json");
  Write("ok/b.json");
  fs::permissions(root_ + "/in", fs::perms::all, fs::perm_options::remove);
  // Root reads anything, so the listing runs in a child that drops to an unprivileged user.
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(2);
    DiscoveryOptions options;
    for (std::string pattern : {root_ + "/in", root_ + "/in/*.json", root_ + "/*/*.json"}) {
      options.pattern = pattern;
      std::vector<std::string> skipped;
      auto files = ListFiles(options, &skipped);
      if (!files.ok()) ::_exit(3);
      if (skipped.size() != 1 || skipped[0].find(root_ + "/in") == std::string::npos) ::_exit(4);
      const bool wants_ok = pattern == root_ + "/*/*.json";
      if (files->size() != (wants_ok ? 1U : 0U)) ::_exit(5);
    }
    ::_exit(0);
  }
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0) << "2: cannot drop privileges, 3: listing failed, "
                                        "4: no one warning naming the directory, 5: wrong files";
}

TEST_F(DiscoveryTest, SymlinkLoopIsSkippedAndReportedOnlyWhenThePatternWouldTakeIt) {
  Write("in/a.json");
  fs::create_symlink(root_ + "/in/loop.json", root_ + "/in/loop.json");  // ELOOP when followed
  fs::create_symlink(root_ + "/in/self", root_ + "/in/self");
  std::vector<std::string> skipped;
  auto files = ListFiles(DiscoveryOptions{root_ + "/in/*.json", std::nullopt, false, std::nullopt}, &skipped);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 1U);
  ASSERT_EQ(skipped.size(), 1U);
  EXPECT_NE(skipped[0].find(root_ + "/in/loop.json"), std::string::npos) << skipped[0];
  EXPECT_NE(skipped[0].find("symbolic links"), std::string::npos) << skipped[0];

  // The plain directory takes every name; pathGlobFilter narrows what is reported.
  skipped.clear();
  files = ListFiles(DiscoveryOptions{root_ + "/in", std::string("*.json"), false, std::nullopt}, &skipped);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->size(), 1U);
  EXPECT_EQ(skipped.size(), 1U);
  // Recursive: any entry could be a directory of wanted files, so both are reported.
  skipped.clear();
  files = ListFiles(DiscoveryOptions{root_ + "/in", std::string("*.json"), true, std::nullopt}, &skipped);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->size(), 1U);
  EXPECT_EQ(skipped.size(), 2U);
}

TEST_F(DiscoveryTest, SymlinkLoopInADirectoryComponentDoesNotStopTheListing) {
  Write("in/2024/a.json");
  fs::create_symlink(root_ + "/in/2025", root_ + "/in/2025");
  std::vector<std::string> skipped;
  auto files = ListFiles(DiscoveryOptions{root_ + "/in/*/*.json", std::nullopt, false, std::nullopt}, &skipped);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->size(), 1U);
  ASSERT_EQ(skipped.size(), 1U);
  EXPECT_NE(skipped[0].find("/in/2025"), std::string::npos) << skipped[0];
  // A literal path through the loop names it too, and lists nothing.
  skipped.clear();
  files = ListFiles(DiscoveryOptions{root_ + "/in/2025/x.json", std::nullopt, false, std::nullopt}, &skipped);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_TRUE(files->empty());
  EXPECT_EQ(skipped.size(), 1U);
}

TEST_F(DiscoveryTest, DanglingLinksAndFifosAreSkippedQuietly) {
  Write("in/a.json");
  fs::create_symlink(root_ + "/in/nowhere", root_ + "/in/dangling.json");
  ASSERT_EQ(::mkfifo((root_ + "/in/pipe.json").c_str(), 0644), 0);
  std::vector<std::string> skipped;
  auto files = ListFiles(DiscoveryOptions{root_ + "/in/*.json", std::nullopt, false, std::nullopt}, &skipped);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->size(), 1U);
  EXPECT_TRUE(skipped.empty());
}

TEST_F(DiscoveryTest, EmptyPatternIsInvalid) {
  DiscoveryOptions options;
  EXPECT_TRUE(ListFiles(options).status().IsInvalid());
}

TEST_F(DiscoveryTest, StatFileReportsWhatListingReportsAndNamesAMissingFile) {
  std::string path = Write("in/a.json", 1700000123, 42);
  auto listed = ListFiles(DiscoveryOptions{root_ + "/in", std::nullopt, false, std::nullopt});
  ASSERT_TRUE(listed.ok());
  auto stat = StatFile(path);
  ASSERT_TRUE(stat.ok()) << stat.status().ToString();
  EXPECT_EQ(stat->size, (*listed)[0].size);
  EXPECT_EQ(stat->modification_time_ms, (*listed)[0].modification_time_ms);
  auto missing = StatFile(root_ + "/in/gone.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("gone.json"), std::string::npos) << missing.status().message();
}

}  // namespace
}  // namespace inlet::source
