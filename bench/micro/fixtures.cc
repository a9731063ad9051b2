// Generated benchmark inputs. The JSON mirrors scripts/gen_iot.py's rows (not its exact
// bytes: a C++ RNG instead of Python's) so numbers here match what `bench/run` ingests.
#include "fixtures.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "inlet/schema/ddl.h"

namespace inlet::bench {
namespace {

// splitmix64: tiny, fast and the same on every platform (std distributions are not).
struct Rng {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t Int(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Next() % (hi - lo + 1)); }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
};

struct Country {
  const char *cca2, *cca3, *name;
  int lat, lon;
};
constexpr Country kCountries[] = {
    {"US", "USA", "United States", 38, -97},     {"DE", "DEU", "Germany", 51, 9},
    {"GB", "GBR", "United Kingdom", 54, -2},     {"IN", "IND", "India", 20, 77},
    {"KR", "KOR", "Republic of Korea", 37, 127}, {"CH", "CHE", "Switzerland", 47, 8},
    {"JP", "JPN", "Japan", 36, 138},             {"CA", "CAN", "Canada", 60, -95},
    {"NO", "NOR", "Norway", 62, 10},             {"CY", "CYP", "Cyprus", 35, 33},
    {"BR", "BRA", "Brazil", -10, -55},           {"AU", "AUS", "Australia", -27, 133},
};
constexpr const char* kDeviceTypes[] = {"sensor-pad", "meter-gauge", "sensor-inest",
                                        "sensor-istick", "therm-stick"};
constexpr char kSerialChars[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr int64_t kStartEpochMs = 1458444054093;  // the sample's first reading

// Two-decimal coordinate in hundredths; never integral so the first row infers double.
int64_t DecimalCoordinate(Rng& rng, int centre) {
  int64_t v = centre * 100 + rng.Int(-500, 500);
  return v % 100 == 0 ? v + 1 : v;
}

void AppendRow(Rng& rng, int64_t id, int64_t epoch_ms, bool force_decimals, std::string* out) {
  const Country& c = kCountries[rng.Int(0, 11)];
  auto it = std::back_inserter(*out);
  fmt::format_to(it, R"({{"device_id": {}, "device_serial_number": "{})", id, id);
  for (int64_t n = rng.Int(5, 9); n > 0; --n) out->push_back(kSerialChars[rng.Int(0, 61)]);
  fmt::format_to(it, R"(", "device_type": "{}", "ip": "{}.{}.{}.{}", "cca2": "{}", "cca3": "{}", )",
                 kDeviceTypes[rng.Int(0, 4)], rng.Int(1, 254), rng.Int(1, 254), rng.Int(1, 254),
                 rng.Int(1, 254), c.cca2, c.cca3);
  if (rng.Unit() < 0.12) {
    out->append(R"("cn": null, )");
  } else {
    fmt::format_to(it, R"("cn": "{}", )", c.name);
  }
  // Integral literals (38, -97, 77) are kept on purpose: the reader must widen them.
  if (force_decimals || rng.Unit() < 0.6) {
    fmt::format_to(it, R"("coordinates": {{"latitude": {}, "longitude": {}}}, )",
                   DecimalCoordinate(rng, c.lat) / 100.0, DecimalCoordinate(rng, c.lon) / 100.0);
  } else {
    fmt::format_to(it, R"("coordinates": {{"latitude": {}, "longitude": {}}}, )", c.lat, c.lon);
  }
  int64_t celsius = rng.Int(8, 34);
  bool fahrenheit = rng.Unit() < 0.85;
  int64_t tenths = fahrenheit ? celsius * 18 + 320 : celsius * 10 + 5 * rng.Int(0, 1);
  if (force_decimals && tenths % 10 == 0) ++tenths;
  std::string temp = tenths % 10 == 0 ? fmt::format("{}", tenths / 10)
                                      : fmt::format("{}.{}", tenths / 10, tenths % 10);
  int64_t c02 = rng.Int(800, 1600);
  const char* alarm = c02 < 1000 ? "green" : c02 <= 1400 ? "yellow" : "red";
  time_t secs = static_cast<time_t>(epoch_ms / 1000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char day[16], clock[16];
  std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
  std::strftime(clock, sizeof clock, "%H:%M:%S", &tm);
  fmt::format_to(it,
                 R"("scale": "{}", "temp": {}, "humidity": {}, "battery_level": {}, )"
                 R"("c02_level": {}, "alarm_status": "{}", "epoch_time_milliseconds": {}, )"
                 R"("timestamp": "{} {}.{:03d}", "date": "{}"}})"
                 "\n",
                 fahrenheit ? "Fahrenheit" : "Celsius", temp, rng.Int(25, 99), rng.Int(0, 9), c02,
                 alarm, epoch_ms, day, clock, epoch_ms % 1000, day);
}

void WriteWhole(const std::string& path, const std::string& data) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(data.data(), 1, data.size(), f) != data.size() || std::fclose(f) != 0) {
    throw std::runtime_error("cannot write " + path);
  }
}

}  // namespace

const std::string& ScratchDir() {
  // Never destroyed: the atexit cleanup below runs after static destructors would have.
  static const std::string* dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    auto* path = new std::string(std::string(tmp && *tmp ? tmp : "/tmp") + "/inlet-micro-XXXXXX");
    if (!::mkdtemp(path->data())) throw std::runtime_error("mkdtemp failed: " + *path);
    // Removing 1M files takes a while, but leaving them would fill /tmp run after run.
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(ScratchDir(), ignored);
    });
    return path;
  }();
  return *dir;
}

const IotFile& IotJson() {
  static const IotFile file = [] {
    const char* mb = std::getenv("INLET_MICRO_JSON_MB");
    int64_t target = (mb && *mb ? std::atoll(mb) : 20) << 20;
    std::string data;
    data.reserve(static_cast<size_t>(target) + 1024);
    Rng rng{42};
    IotFile f{ScratchDir() + "/iot.json", 0, 0};
    int64_t epoch_ms = kStartEpochMs;
    while (static_cast<int64_t>(data.size()) < target) {
      AppendRow(rng, f.rows + 1, epoch_ms, f.rows == 0, &data);
      ++f.rows;
      epoch_ms += rng.Int(3, 11);
    }
    WriteWhole(f.path, data);
    f.bytes = static_cast<int64_t>(data.size());
    return f;
  }();
  return file;
}

const Schema& IotSchema(bool rescued) {
  static const std::string kDdl =
      "alarm_status STRING, battery_level BIGINT, c02_level BIGINT, cca2 STRING, cca3 STRING, "
      "cn STRING, coordinates STRUCT<latitude: DOUBLE, longitude: DOUBLE>, date STRING, "
      "device_id BIGINT, device_serial_number STRING, device_type STRING, "
      "epoch_time_milliseconds BIGINT, humidity BIGINT, ip STRING, scale STRING, temp DOUBLE, "
      "timestamp STRING";
  static const Schema plain = ParseDdlSchema(kDdl).ValueOrDie();
  static const Schema with_rescue = ParseDdlSchema(kDdl + ", _rescued_data STRING").ValueOrDie();
  return rescued ? with_rescue : plain;
}

std::string TinyFileFolder(int64_t count, std::string* why) {
  static std::map<int64_t, std::string> made;
  if (auto it = made.find(count); it != made.end()) return it->second;
  const char* keep = std::getenv("INLET_MICRO_DIR");
  const std::string base = keep && *keep ? keep : ScratchDir();
  std::string dir = fmt::format("{}/files-{}", base, count);
  // Written last, and skipped by ListFiles like every name starting with '_'.
  std::string marker = dir + "/_complete";
  if (std::filesystem::exists(marker)) return made[count] = dir;
  std::filesystem::create_directories(dir);
  struct statvfs fs;
  if (::statvfs(dir.c_str(), &fs) == 0) {
    // A tiny file costs one inode and one block; keep a margin for everyone else on /tmp.
    uint64_t inodes_needed = static_cast<uint64_t>(count) * 2 + 100000;
    uint64_t bytes_needed = static_cast<uint64_t>(count) * 2 * fs.f_frsize + (1ULL << 30);
    if (fs.f_favail < inodes_needed || fs.f_bavail * fs.f_frsize < bytes_needed) {
      *why = fmt::format("skipped: {} files need ~{} free inodes and ~{} MB on {}; have {} and {} MB",
                         count, inodes_needed, bytes_needed >> 20, dir, fs.f_favail,
                         (fs.f_bavail * fs.f_frsize) >> 20);
      return "";
    }
  }
  if (count >= 100000) {
    std::fprintf(stderr, "creating %lld files in %s\n", static_cast<long long>(count), dir.c_str());
  }
  // Raw open/write/close: iostreams would make the 1M case minutes instead of seconds.
  char line[64];
  for (int64_t i = 0; i < count; ++i) {
    int len = std::snprintf(line, sizeof line, "{\"device_id\": %lld}\n", static_cast<long long>(i));
    std::string path = fmt::format("{}/iot-{:07d}.json", dir, i);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || ::write(fd, line, static_cast<size_t>(len)) != len || ::close(fd) != 0) {
      *why = "cannot create " + path;
      return "";
    }
  }
  WriteWhole(marker, "");
  return made[count] = dir;
}

}  // namespace inlet::bench
