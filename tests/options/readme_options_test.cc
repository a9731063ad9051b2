// The README's option table is generated from the option table in code; this keeps the
// two from drifting apart. INLET_UPDATE_README=1 rewrites the README's table instead.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "inlet/options/ingest_options.h"

namespace inlet {
namespace {

TEST(ReadmeOptions, TableMatchesTheOptionTableInCode) {
  std::ifstream in(std::string(INLET_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found under " << INLET_SOURCE_DIR;
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::string begin = "<!-- options:begin -->\n", end = "<!-- options:end -->";
  size_t from = readme.find(begin), to = readme.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  std::string table = readme.substr(from + begin.size(), to - from - begin.size());
  if (std::getenv("INLET_UPDATE_README") != nullptr) {
    std::string updated = readme.substr(0, from + begin.size()) + IngestOptionsMarkdown() + readme.substr(to);
    std::ofstream(std::string(INLET_SOURCE_DIR) + "/README.md") << updated;
    return;
  }
  EXPECT_EQ(table, IngestOptionsMarkdown())
      << "regenerate the README table from IngestOptionsMarkdown()";
}

}  // namespace
}  // namespace inlet
