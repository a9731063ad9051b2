// Terms of a lease as numbered files; see expiring_lease.h for the protocol.
#include "inlet/storage/expiring_lease.h"

#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "inlet/util/ids.h"

namespace inlet::storage {
namespace {

using nlohmann::json;

struct Term {
  int64_t number = 0;
  int64_t modified_ms = 0;
};

std::string TermPath(const std::string& dir, int64_t number) { return fmt::format("{}/{}", dir, number); }

Result<std::optional<Term>> LatestTerm(FileSystem& fs, const std::string& dir) {
  INLET_ASSIGN_OR_RAISE(auto entries, fs.ListDir(dir));
  std::optional<Term> latest;
  for (const FileInfo& entry : entries) {
    const std::optional<int64_t> number = NumberedName(entry.name);
    if (!number || !entry.is_file()) continue;
    if (!latest || *number > latest->number) latest = Term{*number, entry.modification_time_ms};
  }
  return latest;
}

std::string Holder() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return fmt::format("{} pid {} ({})", host, ::getpid(), NewUuid().substr(0, 8));
}

std::string TermText(const std::string& holder, bool released) {
  return json{{"holder", holder}, {"released", released}}.dump() + "\n";
}

class ExpiringLease final : public Lease {
 public:
  ExpiringLease(FileSystem& fs, std::string dir, int64_t term, std::string holder, ExpiringLeaseOptions options)
      : fs_(fs), dir_(std::move(dir)), term_(term), holder_(std::move(holder)), options_(options) {
    renewer_ = std::thread([this] { RenewUntilStopped(); });
  }

  ~ExpiringLease() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    renewer_.join();
    if (lost_) return;
    // Released: the next run need not wait for the term to expire.
    if (fs_.WriteFile(TermPath(dir_, term_ + 1), TermText(holder_, true), WriteMode::kCreateIfAbsent).ok()) {
      (void)fs_.Delete(TermPath(dir_, term_));
    }
  }

 private:
  void RenewUntilStopped() {
    const auto interval = options_.time_to_live / std::max(1, options_.renewals_per_term);
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      Status st = fs_.WriteFile(TermPath(dir_, term_ + 1), TermText(holder_, false), WriteMode::kCreateIfAbsent);
      if (st.ok()) {
        (void)fs_.Delete(TermPath(dir_, term_));
        ++term_;
      } else if (st.IsAlreadyExists()) {
        // Another run took over a term this one failed to renew in time: from here on its
        // writes win (every checkpoint and Delta write is create-if-absent).
        spdlog::error("lease '{}' was taken over by another run; this run no longer holds it", dir_);
        lost_ = true;
        return;
      } else {
        spdlog::warn("lease '{}' not renewed ({}); trying again", dir_, st.message());
      }
    }
  }

  FileSystem& fs_;
  const std::string dir_;
  int64_t term_;
  const std::string holder_;
  const ExpiringLeaseOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool lost_ = false;
  std::thread renewer_;
};

}  // namespace

ExpiringLeaseOptions ExpiringLeaseOptionsFromEnvironment() {
  ExpiringLeaseOptions options;
  if (const char* seconds = std::getenv("INLET_LEASE_SECONDS"); seconds && *seconds) {
    char* end = nullptr;
    const double value = std::strtod(seconds, &end);
    if (end && *end == '\0' && value > 0) {
      options.time_to_live = std::chrono::milliseconds(static_cast<int64_t>(value * 1000));
    }
  }
  return options;
}

Result<std::unique_ptr<Lease>> AcquireExpiringLease(FileSystem& fs, const std::string& dir, std::string_view what,
                                                    const ExpiringLeaseOptions& options) {
  INLET_ASSIGN_OR_RAISE(std::optional<Term> latest, LatestTerm(fs, dir));
  int64_t next = 0;
  if (latest) {
    next = latest->number + 1;
    auto text = fs.ReadFile(TermPath(dir, latest->number));
    json term = text.ok() ? json::parse(*text, nullptr, /*allow_exceptions=*/false) : json();
    const bool released = term.is_object() && term.value("released", false);
    const int64_t age_ms = NowMillis() - latest->modified_ms;
    const int64_t ttl_ms = options.time_to_live.count();
    if (!released && age_ms < ttl_ms) {
      const std::string holder = term.is_object() ? term.value("holder", std::string("?")) : std::string("?");
      return Status::IOError(fmt::format(
          "{} is in use by {}: its lease '{}' was renewed {:.1f} s ago, and is free once released or {:.0f} s "
          "after its last renewal",
          what, holder, dir, age_ms / 1000.0, ttl_ms / 1000.0));
    }
  }
  const std::string holder = Holder();
  Status st = fs.WriteFile(TermPath(dir, next), TermText(holder, false), WriteMode::kCreateIfAbsent);
  if (st.IsAlreadyExists()) {
    return Status::IOError(fmt::format("{} was just taken by another run (lease '{}')", what, dir));
  }
  INLET_RETURN_NOT_OK(st);
  if (latest) (void)fs.Delete(TermPath(dir, latest->number));
  return std::unique_ptr<Lease>(new ExpiringLease(fs, dir, next, holder, options));
}

}  // namespace inlet::storage
