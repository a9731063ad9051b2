// cloudFiles.useIncrementalListing: where the next listing of an object-store landing zone
// may start. The cursor is the greatest listed path such that every listed file up to it is
// in the file state (loaded, planned, or deliberately skipped), so a listing that starts
// after it (S3 StartAfter) misses only files whose keys sort before it: files that arrive
// out of lexical order. `auto` therefore lists from the cursor only while the last full
// listing found every new file after it, and makes a full listing every 10th run.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "inlet/options/ingest_options.h"
#include "inlet/source/file_state_store.h"
#include "inlet/util/status.h"

namespace inlet::stream {

struct ListingCursor {
  std::string after;
  bool ordered = false;           // the last full listing found new files only after `after`
  int64_t incremental_runs = 0;   // incremental listings since the last full one

  bool operator==(const ListingCursor&) const = default;
};

// What a listing was, for moving the cursor on.
struct ListingOutcome {
  bool incremental = false;
  std::vector<std::string> paths;           // every file listed (and in the modified window)
  std::optional<std::string> first_new;     // the least path of those not yet in the state
};

Result<std::optional<ListingCursor>> LoadListingCursor(const source::FileStateStore& state);

// The path this run lists after, or nullopt for a full listing.
std::optional<std::string> ListAfter(IncrementalListing mode, const std::optional<ListingCursor>& cursor);

// The cursor once the run's batches are in the state; `in_state` tells whether a path is.
Result<std::optional<ListingCursor>> NextListingCursor(const std::optional<ListingCursor>& cursor,
                                                       ListingOutcome outcome,
                                                       const std::function<Result<bool>(const std::string&)>& in_state);

// Stores `next` when it differs from `cursor` (a remote checkpoint: one change object).
Status SaveListingCursor(source::FileStateStore& state, const std::optional<ListingCursor>& cursor,
                         const std::optional<ListingCursor>& next);

}  // namespace inlet::stream
