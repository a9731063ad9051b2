// The listing cursor moves past the files the state holds and no further, and `auto` lists
// from it only while the files arrive in lexical order, with a full listing every 10th run.
#include "inlet/stream/listing_cursor.h"

#include <set>

#include <gtest/gtest.h>

namespace inlet::stream {
namespace {

std::function<Result<bool>(const std::string&)> InState(std::set<std::string> paths) {
  return [paths](const std::string& path) -> Result<bool> { return paths.count(path) > 0; };
}

ListingCursor Next(const std::optional<ListingCursor>& cursor, ListingOutcome outcome, std::set<std::string> state) {
  auto next = NextListingCursor(cursor, std::move(outcome), InState(std::move(state)));
  EXPECT_TRUE(next.ok() && next->has_value());
  return next.ok() && next->has_value() ? **next : ListingCursor{};
}

TEST(ListingCursor, StopsBeforeTheFirstListedFileTheStateDoesNotHold) {
  ListingOutcome outcome{false, {"s3://b/l/c.json", "s3://b/l/a.json", "s3://b/l/b.json", "s3://b/l/d.json"}, {}};
  // c was left for later (still being written): the cursor must not pass it.
  ListingCursor next = Next(std::nullopt, outcome, {"s3://b/l/a.json", "s3://b/l/b.json", "s3://b/l/d.json"});
  EXPECT_EQ(next.after, "s3://b/l/b.json");
  auto none = NextListingCursor(std::nullopt, outcome, InState({}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(ListingCursor, AutoListsFromTheCursorOnlyAfterAFullListingFoundNewFilesInOrder) {
  // First run: nothing to compare with.
  ListingCursor first = Next(std::nullopt, {false, {"k/001", "k/002"}, "k/001"}, {"k/001", "k/002"});
  EXPECT_FALSE(first.ordered);
  EXPECT_EQ(ListAfter(IncrementalListing::kAuto, first), std::nullopt);
  EXPECT_EQ(ListAfter(IncrementalListing::kOn, first), "k/002");
  EXPECT_EQ(ListAfter(IncrementalListing::kOff, first), std::nullopt);
  // A full listing whose new files all sort after the cursor: ordered.
  ListingCursor second = Next(first, {false, {"k/001", "k/002", "k/003"}, "k/003"}, {"k/001", "k/002", "k/003"});
  EXPECT_TRUE(second.ordered);
  EXPECT_EQ(second.after, "k/003");
  EXPECT_EQ(ListAfter(IncrementalListing::kAuto, second), "k/003");
  // One that arrived out of order (k/0025 sorts before k/003): no longer ordered.
  ListingCursor third = Next(second, {false, {"k/001", "k/002", "k/0025", "k/003"}, "k/0025"},
                             {"k/001", "k/002", "k/0025", "k/003"});
  EXPECT_FALSE(third.ordered);
  EXPECT_EQ(ListAfter(IncrementalListing::kAuto, third), std::nullopt);
}

TEST(ListingCursor, AutoMakesAFullListingEveryTenthRun) {
  std::optional<ListingCursor> cursor = ListingCursor{"k/000", true, 0};
  int incremental = 0;
  for (int run = 1; run <= 10; ++run) {
    const bool from_cursor = ListAfter(IncrementalListing::kAuto, cursor).has_value();
    incremental += from_cursor ? 1 : 0;
    std::string path = "k/" + std::to_string(100 + run);
    cursor = Next(cursor, {from_cursor, {path}, path}, {path});
    if (run == 10) {
      EXPECT_FALSE(from_cursor) << "the 10th run lists in full";
    }
  }
  EXPECT_EQ(incremental, 9);
  EXPECT_TRUE(cursor->ordered);
}

}  // namespace
}  // namespace inlet::stream
