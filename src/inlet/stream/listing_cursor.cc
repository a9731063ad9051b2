#include "inlet/stream/listing_cursor.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace inlet::stream {
namespace {

constexpr std::string_view kMetaName = "listing_cursor";
// auto: a full listing after this many incremental ones, to see whether files still
// arrive in order (one that did not is found then).
constexpr int64_t kIncrementalRunsBetweenFullListings = 9;

}  // namespace

Result<std::optional<ListingCursor>> LoadListingCursor(const source::FileStateStore& state) {
  INLET_ASSIGN_OR_RAISE(auto text, state.GetMeta(kMetaName));
  if (!text) return std::optional<ListingCursor>();
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.value("after", nlohmann::json()).is_string()) {
    return Status::IOError(fmt::format("the checkpoint's listing cursor is not readable: {}", *text));
  }
  return std::optional<ListingCursor>(ListingCursor{json["after"].get<std::string>(), json.value("ordered", false),
                                                    json.value("incremental_runs", int64_t{0})});
}

std::optional<std::string> ListAfter(IncrementalListing mode, const std::optional<ListingCursor>& cursor) {
  if (!cursor || mode == IncrementalListing::kOff) return std::nullopt;
  if (mode == IncrementalListing::kOn) return cursor->after;
  if (cursor->ordered && cursor->incremental_runs < kIncrementalRunsBetweenFullListings) return cursor->after;
  return std::nullopt;
}

Result<std::optional<ListingCursor>> NextListingCursor(const std::optional<ListingCursor>& cursor,
                                                       ListingOutcome outcome,
                                                       const std::function<Result<bool>(const std::string&)>& in_state) {
  std::sort(outcome.paths.begin(), outcome.paths.end());
  std::optional<std::string> after = cursor ? std::optional<std::string>(cursor->after) : std::nullopt;
  for (const std::string& path : outcome.paths) {
    if (after && path <= *after) continue;  // a full listing also shows what is behind the cursor
    INLET_ASSIGN_OR_RAISE(bool taken, in_state(path));
    if (!taken) break;
    after = path;
  }
  if (!after) return std::optional<ListingCursor>();
  ListingCursor next;
  next.after = *after;
  if (outcome.incremental) {
    next.ordered = cursor && cursor->ordered;
    next.incremental_runs = (cursor ? cursor->incremental_runs : 0) + 1;
  } else {
    // Ordered while every file this full listing found new sorts after the old cursor.
    const bool none_new = !outcome.first_new.has_value();
    next.ordered = cursor && (none_new ? cursor->ordered : *outcome.first_new > cursor->after);
    next.incremental_runs = 0;
  }
  return std::optional<ListingCursor>(next);
}

Status SaveListingCursor(source::FileStateStore& state, const std::optional<ListingCursor>& cursor,
                         const std::optional<ListingCursor>& next) {
  if (!next || cursor == next) return Status::OK();
  nlohmann::json json = {{"after", next->after}, {"ordered", next->ordered}, {"incremental_runs", next->incremental_runs}};
  return state.PutMeta(kMetaName, json.dump());
}

}  // namespace inlet::stream
