// A stream's first schema inferred in the same pass that loads the first batch, instead of
// a pass of its own over the whole sample (up to 1000 files / 50 GB) before it.
//
// The guess is what InferJsonSchema infers from the first bytes of every sampled file. The
// batch is read with it, and the reader hands InferenceCheck every record that could make
// the whole sample infer something else: the converter flags each value that is not plainly
// of its column's type and each key that is not a column (json_convert.h), and anything
// unflagged can only be a subtype of the guess in the inference lattice. A flagged record is
// folded into the guess the way inference would fold it. When every sampled file was read
// and no record changed the outcome, the guess is exactly InferJsonSchema's answer; when one
// did, the caller throws the read away and infers again (InferAfterRefutedGuess), reading
// only the files not checked whole.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "inlet/formats/format.h"
#include "inlet/formats/json/json_inference.h"
#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet::json {

struct JsonLine;

class InferenceGuess final : public formats::InferenceGuess,
                             public std::enable_shared_from_this<InferenceGuess> {
 public:
  // Infers from the head of each file the sample takes (a 32nd of it, 64 KB to 1 MB; a small
  // file whole). nullptr when a guess cannot stand for the sample: multiLine files, a
  // sample of more than `max_sample_files` files (the read that checks the guess takes no
  // more) or that ends inside a file (sampleSize.numBytes), decimal columns (a fraction
  // fits one without being flagged), no record in the heads, or a head inference proper
  // would fail on (a file gone, FAILFAST's malformed record).
  static Result<std::shared_ptr<const InferenceGuess>> Make(const std::vector<std::string>& paths,
                                                            const InferenceOptions& options,
                                                            size_t max_sample_files);

  // What InferJsonSchema(paths, options) returns if the guess holds.
  const Schema& schema() const override { return schema_; }
  // The first paths of Make's list that the sample takes: every record of these must be
  // checked.
  size_t sample_files() const override { return sample_files_; }
  std::unique_ptr<formats::InferenceCheck> NewCheck() const override;
  bool Holds(const std::vector<DataTypePtr>& folded) const override;
  Result<Schema> InferAfterRefuted(const std::vector<DataTypePtr>& folded,
                                   const std::vector<std::string>& unchecked_paths) const override;
  // Leaves the guess reads as string only because every value the heads held there was
  // null (arrays: the "element" path): any other value there must be checked.
  const std::vector<FieldPath>& null_only_paths() const { return null_only_paths_; }

  const DataTypePtr& root() const { return root_; }
  const InferenceOptions& options() const { return options_; }

 private:
  InferenceGuess() = default;

  InferenceOptions options_;
  DataTypePtr root_;  // the heads' records folded, before null -> string and sorting
  Schema schema_;
  size_t sample_files_ = 0;
  std::vector<FieldPath> null_only_paths_;
};

// One reading thread's checks against a guess. Not thread-safe: one per thread.
class InferenceCheck : public formats::InferenceCheck {
 public:
  explicit InferenceCheck(std::shared_ptr<const InferenceGuess> guess);
  ~InferenceCheck() override;

  // Folds one NDJSON record (a line as NdjsonLineReader hands it out, oversized or not) as
  // inference samples it: false when the sample would then infer another schema than the
  // guess. A malformed record folds nothing, as in inference.
  bool Admit(const JsonLine& line);

  const InferenceGuess& guess() const { return *guess_; }
  // The guess's records with every admitted record folded in.
  const DataTypePtr& folded() const override { return folded_; }

 private:
  struct Parser;
  std::shared_ptr<const InferenceGuess> guess_;
  std::unique_ptr<Parser> parser_;
  DataTypePtr folded_;
};

// Whether the records every thread admitted, together, still infer the guess. Each check
// passed on its own, but the join of two can differ ({"a":{}} and {"a":[{}]} each infer no
// column a; together they infer a string a).
bool GuessHolds(const InferenceGuess& guess, const std::vector<DataTypePtr>& folded);

// InferJsonSchema's answer after a refuted guess: the guess and what the threads admitted,
// joined with a fresh inference of `unchecked_paths` (the sampled files not every record of
// which was checked). Same options as the guess.
Result<Schema> InferAfterRefutedGuess(const InferenceGuess& guess, const std::vector<DataTypePtr>& folded,
                                      const std::vector<std::string>& unchecked_paths);

}  // namespace inlet::json
