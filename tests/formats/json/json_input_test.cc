// NdjsonLineReader: line splitting across small read chunks, CRLF, BOM, blanks, padding.
#include "inlet/formats/json/json_input.h"

#include <gtest/gtest.h>

#include "json_test_util.h"

namespace inlet::json {
namespace {

struct Line {
  std::string text;
  int64_t number;
};

std::vector<Line> ReadAll(const std::string& path, size_t chunk) {
  NdjsonLineReader reader;
  EXPECT_TRUE(reader.Open(path, chunk).ok());
  std::vector<Line> lines;
  JsonLine line;
  while (true) {
    auto more = reader.Next(&line);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    EXPECT_GE(line.capacity, line.size + simdjson::SIMDJSON_PADDING);
    lines.push_back({std::string(line.data, line.size), line.number});
  }
  return lines;
}

TEST(NdjsonLineReader, SplitsLinesAcrossSmallChunksWithLineNumbers) {
  testing::TempDir dir;
  std::string content = "\xEF\xBB\xBF";
  std::vector<std::string> expected;
  for (int i = 0; i < 200; ++i) {
    std::string line = "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(i % 150, 'p') + "\"}";
    expected.push_back(line);
    content += line + (i % 3 == 0 ? "\r\n" : "\n");
    if (i % 50 == 0) content += "\n";  // a blank line
  }
  content.pop_back();  // the last line ends without a newline
  auto path = dir.Write("a.json", content);
  for (size_t chunk : {64u, 100u, 4096u}) {
    auto lines = ReadAll(path, chunk);
    ASSERT_EQ(lines.size(), expected.size()) << chunk;
    int64_t number = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      ++number;
      EXPECT_EQ(lines[i].text, expected[i]) << "chunk " << chunk << " line " << i;
      EXPECT_EQ(lines[i].number, number);
      if (i % 50 == 0) ++number;
    }
  }
}

// Every way of cutting the file into ranges reads each line exactly once, in order, with
// the file's line numbers.
TEST(NdjsonLineReader, RangesThatTileAFileReadEachLineOnce) {
  testing::TempDir dir;
  std::string content = "\xEF\xBB\xBF";
  std::vector<std::string> expected;
  for (int i = 0; i < 120; ++i) {
    std::string line = "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string((i * 37) % 300, 'p') + "\"}";
    expected.push_back(line);
    content += line + (i % 4 == 0 ? "\r\n" : "\n");
    if (i % 30 == 0) content += "\n";
  }
  content.pop_back();
  auto path = dir.Write("a.json", content);
  const int64_t size = static_cast<int64_t>(content.size());
  for (int64_t step : std::vector<int64_t>{1, 7, 100, 333, 4096, size}) {
    std::vector<std::string> got;
    for (int64_t begin = 0; begin < size; begin += step) {
      NdjsonLineReader reader;
      ASSERT_TRUE(reader.Open(path, 64, begin, std::min(size, begin + step)).ok());
      JsonLine line;
      while (true) {
        auto more = reader.Next(&line);
        ASSERT_TRUE(more.ok());
        if (!*more) break;
        got.emplace_back(line.data, line.size);
        const int index = static_cast<int>(got.size()) - 1;
        auto number = reader.FileLineNumber(line.number);
        ASSERT_TRUE(number.ok());
        EXPECT_EQ(*number, index + 1 + (index + 29) / 30) << "step " << step << " line " << index;
      }
    }
    EXPECT_EQ(got, expected) << "step " << step;
  }
}

TEST(NdjsonLineReader, FileOfOnlyBomOrBlanksHasNoLines) {
  testing::TempDir dir;
  EXPECT_TRUE(ReadAll(dir.Write("a.json", "\xEF\xBB\xBF"), 64).empty());
  EXPECT_TRUE(ReadAll(dir.Write("b.json", " \r\n\t\n"), 64).empty());
  EXPECT_TRUE(ReadAll(dir.Write("c.json", ""), 64).empty());
}

struct LimitedLine {
  std::string text;
  int64_t number;
  int64_t offset;
  bool oversized;
  int64_t full_size;
};

std::vector<LimitedLine> ReadLimited(const std::string& path, size_t chunk, int64_t limit, size_t keep) {
  NdjsonLineReader reader;
  EXPECT_TRUE(reader.Open(path, chunk).ok());
  reader.SetLineLimit(limit, keep);
  std::vector<LimitedLine> lines;
  JsonLine line;
  while (true) {
    auto more = reader.Next(&line);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    lines.push_back({std::string(line.data, line.size), line.number, line.offset, line.oversized, line.full_size});
  }
  return lines;
}

// Whether the long line is still in the buffer when its newline is found (large chunk)
// or is skipped chunk by chunk (small chunk), it comes out the same.
TEST(NdjsonLineReader, LinesOverTheLimitComeOutFlaggedWithOnlyTheirPrefix) {
  testing::TempDir dir;
  const std::string long_line = "{\"x\":\"" + std::string(1000, 'z') + "\"}";
  auto path = dir.Write("a.json", "{\"a\":1}\r\n" + long_line + "\r\n\n{\"a\":3}\n" + long_line);
  for (size_t chunk : {64u, 4096u}) {
    auto lines = ReadLimited(path, chunk, 100, 10);
    ASSERT_EQ(lines.size(), 4u) << chunk;
    EXPECT_FALSE(lines[0].oversized);
    EXPECT_TRUE(lines[1].oversized);
    EXPECT_EQ(lines[1].text, long_line.substr(0, 10));
    EXPECT_EQ(lines[1].full_size, static_cast<int64_t>(long_line.size()));
    EXPECT_EQ(lines[1].number, 2);
    EXPECT_EQ(lines[1].offset, 9);
    EXPECT_EQ(lines[2].text, "{\"a\":3}");
    EXPECT_EQ(lines[2].number, 4);
    EXPECT_EQ(lines[2].offset, static_cast<int64_t>(9 + long_line.size() + 3));
    EXPECT_TRUE(lines[3].oversized) << chunk;  // the last line, without a newline
    EXPECT_EQ(lines[3].number, 5);
    EXPECT_EQ(lines[3].full_size, static_cast<int64_t>(long_line.size()));
  }
  // A line of exactly the limit is not over it.
  auto exact = ReadLimited(dir.Write("b.json", std::string(100, ' ') + "{}\n"), 64, 102, 0);
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_FALSE(exact[0].oversized);
}

TEST(NdjsonLineReader, RangedReadSkipsALongPartialLineWithoutBufferingIt) {
  testing::TempDir dir;
  const std::string long_line = "{\"x\":\"" + std::string(100000, 'z') + "\"}";
  auto path = dir.Write("a.json", long_line + "\n{\"a\":2}\n");
  NdjsonLineReader reader;
  ASSERT_TRUE(reader.Open(path, 64, 10).ok());
  JsonLine line;
  ASSERT_TRUE(*reader.Next(&line));
  EXPECT_EQ(std::string(line.data, line.size), "{\"a\":2}");
  EXPECT_LE(reader.buffer_size(), 4096u);
}

TEST(FindTooDeepNesting, CountsLevelsOutsideStrings) {
  const std::string ok = "{\"a\":[[1]],\"s\":\"[[[[[[[[[[\\\"{{{{{{{\"}";
  EXPECT_EQ(FindTooDeepNesting(ok.data(), ok.size(), 3), -1);
  EXPECT_EQ(FindTooDeepNesting(ok.data(), ok.size(), 2), 6);
  std::string deep = std::string(40, '[') + std::string(40, ']');
  EXPECT_EQ(FindTooDeepNesting(deep.data(), deep.size(), 40), -1);
  EXPECT_EQ(FindTooDeepNesting(deep.data(), deep.size(), 39), 39);
  deep = "{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_EQ(FindTooDeepNesting(deep.data(), deep.size(), 256), 5 + 255);
}

TEST(LineOfOffset, CountsNewlinesBeforeTheOffset) {
  EXPECT_EQ(LineOfOffset("a\nb\nc", 0), 1);
  EXPECT_EQ(LineOfOffset("a\nb\nc", 2), 2);
  EXPECT_EQ(LineOfOffset("a\nb\nc", 99), 3);
}

}  // namespace
}  // namespace inlet::json
