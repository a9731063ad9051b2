# Crash-consistency harness: a generated data set whose every record has a unique id, runs of
# `inlet ingest` that are SIGKILLed at random instants or hit injected failures, and a checker
# that proves each source record ends up in the table exactly once (or rescued, or bad).
import json
import os
import random
import re
import shutil
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from inlet_testlib import (Stream, active_files, check_delta_log,  # noqa: E402
                           delta_commits, duckdb_delta_connection, gen_iot, run_inlet_binary)

# Exit codes of `inlet ingest` (src/inlet/cli/commands.h).
EXIT_OK, EXIT_FAILURE, EXIT_SCHEMA_CHANGED = 0, 1, 3
KILLED = -signal.SIGKILL

# The hooks of src/inlet/util/fault.h.
CRASH_POINTS = ["after_plan", "mid_parse", "after_parquet", "after_commit", "after_schema_version"]
FAIL_POINTS = ["parquet_write", "delta_commit", "checkpoint_write", "state_store_write",
               "schema_write"]

# Hints pin the two columns the mismatched values target, so inference over files that hold
# "n/a-17" in humidity still types it BIGINT and the value is rescued, as in Auto Loader.
SCHEMA_HINTS = "humidity BIGINT, temp DOUBLE"
NEW_COLUMN = "firmware"  # only the late files have it: the stream stops (exit 3) and evolves
ID_IN_RAW = re.compile(r'"device_id":\s*(\d+)')


@dataclass(frozen=True)
class DataSpec:
    """Shape of the generated data set. Defaults keep one trial well under a second."""
    initial_files: int = 10
    late_files: int = 4  # land during or between runs; carry the NEW_COLUMN
    rows_per_file: int = 150
    mismatch_every: int = 23  # every n-th row (never a file's first) has a wrongly typed value
    # Every n-th row is written as a truncated JSON line; 0 is off (the default for now;
    # on unless INLET_CHAOS_MALFORMED=0, see MalformedAccounting).
    malformed_every: int = 0
    seed: int = 1


@dataclass
class SourceRecord:
    id: int
    file: str  # name in the landing folder
    kind: str  # "clean", "rescued" or "malformed"
    humidity: object
    temp: object
    rescued: dict = None  # field -> the value that did not fit, for kind "rescued"
    firmware: str = None


@dataclass(frozen=True)
class MalformedAccounting:
    """Where malformed lines must end up. Each configured place holds each one exactly once:
    the corrupt-record column (PERMISSIVE with columnNameOfCorruptRecord) and/or the
    badRecordsPath folder."""
    mode: str = "PERMISSIVE"
    corrupt_column: str = "_corrupt_record"
    bad_records: bool = True

    def options(self, bad_records_dir):
        opts = [f"mode={self.mode}"]
        if self.corrupt_column:
            opts.append(f"columnNameOfCorruptRecord={self.corrupt_column}")
        if self.bad_records:
            opts.append(f"badRecordsPath={bad_records_dir}")
        return opts


class DataSet:
    """The files, written once into `pool`; a trial hard-links them into its landing folder,
    so a file appears there whole, in one step, as an upload's final rename would."""

    def __init__(self, pool, spec=DataSpec()):
        self.pool = Path(pool)
        self.spec = spec
        self.records = {}
        self.initial, self.late = [], []
        self.pool.mkdir(parents=True, exist_ok=True)
        rng = random.Random(f"chaos-data:{spec.seed}")
        next_id = 1
        epoch_ms = gen_iot.START_EPOCH_MS
        for index in range(spec.initial_files + spec.late_files):
            late = index >= spec.initial_files
            name = gen_iot.file_name(index + 1, prefix="late-" if late else "iot-")
            lines = []
            for r in range(spec.rows_per_file):
                row = gen_iot.make_row(rng, next_id, epoch_ms, force_decimals=(r == 0))
                lines.append(self._line(rng, row, name, r, late))
                next_id += 1
                epoch_ms += rng.randint(3, 11)
            (self.pool / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            (self.late if late else self.initial).append(name)

    def _line(self, rng, row, name, position, late):
        spec = self.spec
        record = SourceRecord(row["device_id"], name, "clean", row["humidity"], row["temp"])
        if late:
            row[NEW_COLUMN] = record.firmware = f"fw-{row['device_id']}"
        self.records[record.id] = record
        if position > 0 and spec.malformed_every and position % spec.malformed_every == 0:
            record.kind = "malformed"
            text = json.dumps(row, separators=(", ", ": "))
            # Cut after the id (so the checker can find the line again), before the closing
            # brace (so it is never valid JSON).
            keep_from = text.index(",") + 2
            return text[:rng.randint(keep_from, len(text) - 2)]
        if position > 0 and spec.mismatch_every and position % spec.mismatch_every == 0:
            column = "humidity" if (position // spec.mismatch_every) % 2 else "temp"
            bad = f"n/a-{record.id}" if column == "humidity" else f"hot-{record.id}"
            row[column] = bad
            record.kind = "rescued"
            record.rescued = {column: bad}
            setattr(record, column, None)
        return json.dumps(row, separators=(", ", ": "))

    @property
    def files(self):
        return self.initial + self.late

    def land(self, names, landing):
        for name in names:
            target = Path(landing) / name
            if not target.exists():
                os.link(self.pool / name, target)

    def records_in(self, names):
        names = set(names)
        return {i: r for i, r in self.records.items() if r.file in names}


def malformed_enabled():
    """Truncated JSON lines in the data set, checked in the corrupt-record column and
    badRecordsPath; on unless INLET_CHAOS_MALFORMED=0."""
    return os.environ.get("INLET_CHAOS_MALFORMED", "1") not in ("", "0", "false")


def ingest_options(malformed=None, bad_records_dir=None, max_files_per_trigger=1):
    opts = [f"cloudFiles.maxFilesPerTrigger={max_files_per_trigger}", "inlet.threads=2",
            f"cloudFiles.schemaHints={SCHEMA_HINTS}"]
    if malformed:
        opts += malformed.options(bad_records_dir)
    return [arg for opt in opts for arg in ("--option", opt)]


class TrialFailure(AssertionError):
    pass


# ---- the checker ----

def log_versions(table):
    return [c["version"] for c in delta_commits(table)]


def table_columns(table):
    from deltalake import DeltaTable

    return [f.name for f in DeltaTable(str(table)).schema().fields]


def read_three_ways(table, columns):
    """The rows (as tuples of `columns`, sorted) read by delta-rs, DuckDB's delta_scan and
    DuckDB's read_parquet over the files our own replay of the log finds active; all three
    must agree."""
    from deltalake import DeltaTable

    def canonical(rows):
        return sorted((tuple(row) for row in rows), key=_sort_key)

    dt = DeltaTable(str(table))
    by_deltars = canonical(tuple(r[c] for c in columns)
                           for r in dt.to_pyarrow_table(columns=columns).to_pylist())
    select = ", ".join(f'"{c}"' for c in columns)
    con = duckdb_delta_connection()
    by_delta_scan = canonical(con.sql(f"SELECT {select} FROM delta_scan('{table}')").fetchall())
    files = [str(Path(table) / p) for p in active_files(table)]
    by_parquet = canonical(con.sql(f"SELECT {select} FROM read_parquet({files!r}, "
                                   f"union_by_name=true)").fetchall()) if files else []
    if by_deltars != by_delta_scan:
        raise TrialFailure(f"delta-rs and DuckDB delta_scan disagree: {len(by_deltars)} vs "
                           f"{len(by_delta_scan)} rows")
    if by_deltars != by_parquet:
        raise TrialFailure(f"delta-rs and read_parquet over the log's active files disagree: "
                           f"{len(by_deltars)} vs {len(by_parquet)} rows")
    return [dict(zip(columns, r)) for r in by_deltars]


def _sort_key(row):
    return tuple((value is None, str(value)) for value in row)


def rescued_fields(text):
    """The rescued JSON without its "_file_path" (which names the file, not a field)."""
    value = json.loads(text)
    path = value.pop("_file_path", None)
    return value, path


def ids_in_bad_records(folder):
    """Ids of the raw lines saved under badRecordsPath, one per bad-record JSON line."""
    found = Counter()
    for path in Path(folder).rglob("*"):
        if not path.is_file() or path.name.startswith("."):
            continue
        for line in path.read_text(errors="replace").splitlines():
            if not line.strip():
                continue
            entry = json.loads(line)
            raw = " ".join(str(v) for v in entry.values() if isinstance(v, str))
            match = ID_IN_RAW.search(raw)
            if match:
                found[int(match.group(1))] += 1
    return found


def check_table(table, landing, expected, malformed=None, bad_records_dir=None,
                single_stream=True):
    """Every expected record exactly once: clean rows with their values, mismatched values in
    _rescued_data (naming their file), malformed lines where MalformedAccounting says.
    bad_records_dir=None skips the badRecordsPath: a batch that failed after saving its bad
    records (before its commit) leaves them there until it is redone, which rewrites the same
    folder."""
    check_delta_log(table, single_stream)
    columns = table_columns(table)
    wanted = [c for c in ["device_id", "humidity", "temp", NEW_COLUMN, "_rescued_data"]
              if c in columns]
    if malformed and malformed.corrupt_column:
        wanted.append(malformed.corrupt_column)
    rows = read_three_ways(table, wanted)

    loaded = {i: r for i, r in expected.items() if r.kind != "malformed"}
    counts = Counter(r["device_id"] for r in rows if r["device_id"] is not None)
    duplicated = sorted(i for i, n in counts.items() if n > 1)
    missing = sorted(set(loaded) - set(counts))
    unexpected = sorted(set(counts) - set(loaded))
    if duplicated or missing or unexpected:
        raise TrialFailure(f"{len(duplicated)} ids duplicated {duplicated[:10]}, {len(missing)} "
                           f"missing {missing[:10]}, {len(unexpected)} unexpected "
                           f"{unexpected[:10]} (of {len(loaded)} expected)")
    for row in rows:
        if row["device_id"] is None:
            continue
        record = loaded[row["device_id"]]
        _check_row(row, record, landing)
    if malformed:
        _check_malformed(rows, expected, malformed, bad_records_dir)
    elif any(r["device_id"] is None for r in rows):
        raise TrialFailure("rows without device_id in a data set without malformed lines")
    return rows


def _check_row(row, record, landing):
    where = f"device_id {record.id} (file {record.file})"
    if row["humidity"] != record.humidity or row["temp"] != _as_double(record.temp):
        raise TrialFailure(f"{where}: humidity/temp {row['humidity']}/{row['temp']}, expected "
                           f"{record.humidity}/{record.temp}")
    if row.get(NEW_COLUMN) != record.firmware:
        raise TrialFailure(f"{where}: {NEW_COLUMN} {row.get(NEW_COLUMN)!r}, expected "
                           f"{record.firmware!r}")
    rescued = row.get("_rescued_data")
    if record.kind == "rescued":
        if rescued is None:
            raise TrialFailure(f"{where}: mismatched {record.rescued} was not rescued")
        fields, path = rescued_fields(rescued)
        if fields != record.rescued or path != "file:" + str(Path(landing) / record.file):
            raise TrialFailure(f"{where}: _rescued_data {rescued}, expected {record.rescued} "
                               f"from {Path(landing) / record.file}")
    elif rescued is not None:
        raise TrialFailure(f"{where}: clean record has _rescued_data {rescued}")


def _as_double(value):
    return None if value is None else float(value)


def _check_malformed(rows, expected, malformed, bad_records_dir):
    bad_ids = sorted(i for i, r in expected.items() if r.kind == "malformed")
    places = []
    if malformed.corrupt_column and malformed.mode == "PERMISSIVE":
        in_column = Counter()
        for row in rows:
            raw = row.get(malformed.corrupt_column)
            if raw is None and row["device_id"] is None:
                raise TrialFailure(f"a row without device_id and without "
                                   f"{malformed.corrupt_column}: {row}")
            if raw is not None:
                match = ID_IN_RAW.search(raw)
                in_column[int(match.group(1)) if match else -1] += 1
        places.append((f"column {malformed.corrupt_column}", in_column))
    if malformed.bad_records and bad_records_dir is not None:
        places.append((f"badRecordsPath {bad_records_dir}", ids_in_bad_records(bad_records_dir)))
    for name, found in places:
        if sorted(found.elements()) != bad_ids:
            wanted = set(bad_ids)
            wrong = sorted((i, found[i]) for i in set(found) | wanted
                           if found[i] != (1 if i in wanted else 0))
            raise TrialFailure(f"{name}: malformed lines not there exactly once; (id, count) "
                               f"off: {wrong[:10]} (of {len(bad_ids)} malformed expected)")


# ---- one trial ----

@dataclass
class TrialConfig:
    inlet_bin: Path
    data: DataSet
    full_run_seconds: float  # T: an uninterrupted run over the initial files
    malformed: MalformedAccounting = None


@dataclass
class Trial:
    """One stream taken through a seeded sequence of disruptions, then run to completion
    and checked."""
    config: TrialConfig
    root: Path
    seed: str
    events: list = field(default_factory=list)
    # (kind of run, exit code) -> count; kinds: killed, crash_at, fail_at, completion.
    outcomes: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.landing = self.root / "landing"
        self.landing.mkdir(parents=True)
        self.stream = new_stream(self.config.inlet_bin, self.landing, self.root)
        self.bad_records_dir = self.root / "bad_records"
        self.args = ingest_options(self.config.malformed, self.bad_records_dir)

    def note(self, text):
        self.events.append(text)

    def run(self):
        data, rng = self.config.data, self.rng
        disruptions = rng.choice([1, 1, 1, 2, 2, 3, 4])
        # Each late file lands before the disruption it is scheduled with (0..disruptions-1),
        # during that run, or (disruptions) only before the runs to completion.
        schedule = {name: (rng.randint(0, disruptions), rng.random() < 0.3) for name in data.late}
        data.land(data.initial, self.landing)
        for step in range(disruptions):
            before = [n for n, (s, during) in schedule.items() if s == step and not during]
            during = [n for n, (s, d) in schedule.items() if s == step and d]
            if before:
                data.land(before, self.landing)
                self.note(f"landed {before}")
            roll = rng.random()
            if roll < 0.75:
                self.killed_run(during)
            else:
                data.land(during, self.landing)
                if roll < 0.875:
                    self.hooked_run("INLET_TEST_CRASH_AT", rng.choice(CRASH_POINTS))
                else:
                    bad_records = ["bad_records_write"] if self.config.malformed else []
                    point = rng.choice(FAIL_POINTS + bad_records)
                    if point in ("parquet_write", "delta_commit") and rng.random() < 0.5:
                        point += ":ENOSPC"
                    self.hooked_run("INLET_TEST_FAIL_AT", point)
        data.land(data.files, self.landing)
        self.run_to_completion()
        expected = data.records_in(data.files)
        check_table(self.stream.table, self.landing, expected, self.config.malformed,
                    self.bad_records_dir)
        self.check_rerun_loads_nothing()
        return self

    def killed_run(self, land_during):
        delay = self.rng.uniform(0, self.config.full_run_seconds)
        land_at = self.rng.uniform(0, delay) if land_during else None
        proc = self.stream.popen(*self.args)
        started = time.monotonic()
        lander = None
        if land_during:
            lander = threading.Timer(land_at, self.config.data.land, (land_during, self.landing))
            lander.start()
        remaining = delay - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
        if lander:
            lander.join()
        self.outcomes["killed", proc.returncode] += 1
        self.note(f"run killed after {delay:.3f}s -> rc {proc.returncode}"
                  + (f" (landed {land_during} at {land_at:.3f}s)" if land_during else ""))
        if proc.returncode not in (EXIT_OK, EXIT_SCHEMA_CHANGED, KILLED):
            raise TrialFailure(f"run ended with rc {proc.returncode}:\n{err}")

    def hooked_run(self, variable, point):
        run = self.ingest(env={variable: point})
        self.outcomes[variable.split("_")[-2].lower() + "_at", run.rc] += 1
        self.note(f"run with {variable}={point} -> rc {run.rc}")
        if variable == "INLET_TEST_CRASH_AT":
            allowed = (EXIT_OK, EXIT_SCHEMA_CHANGED, KILLED)
        else:
            allowed = (EXIT_OK, EXIT_SCHEMA_CHANGED, EXIT_FAILURE)
        if run.rc not in allowed:
            raise TrialFailure(f"{variable}={point}: rc {run.rc}:\n{run.stderr}")
        step = point.split(":")[0]
        if run.rc == EXIT_FAILURE and f"injected failure at {step}" not in run.stderr:
            raise TrialFailure(f"{variable}={point}: rc 1 without naming the step:\n{run.stderr}")

    def ingest(self, env=None):
        return self.stream.ingest(*self.args, env=env)

    def run_to_completion(self):
        run = run_to_completion(self.stream, self.args, self.note)
        self.outcomes["completion", run.rc] += 1

    def check_rerun_loads_nothing(self):
        check_rerun_loads_nothing(self.stream, self.args)

    def describe(self):
        return "\n".join(f"  {e}" for e in self.events)


def new_stream(inlet_bin, landing, root):
    def run(*args, env=None, timeout=300):
        return run_inlet_binary(inlet_bin, *args, env=env, timeout=timeout)

    return Stream(run, inlet_bin, landing, root)


def run_to_completion(stream, args, note=lambda text: None, attempts=10):
    """Runs until exit 0; exit 3 (the schema changed, a new version is recorded) runs again,
    as a job scheduler restarting Auto Loader would."""
    for _ in range(attempts):
        run = stream.ingest(*args)
        note(f"run to completion -> rc {run.rc}")
        if run.rc == EXIT_OK:
            return run
        if run.rc != EXIT_SCHEMA_CHANGED:
            raise TrialFailure(f"run to completion failed with rc {run.rc}:\n{run.stderr}")
    raise TrialFailure(f"{attempts} runs did not complete the stream")


def check_rerun_loads_nothing(stream, args):
    """No orphan state blocks progress or is replayed: one more run loads nothing."""
    before = log_versions(stream.table)
    run = stream.ingest(*args)
    if run.rc != EXIT_OK or "done: 0 batches" not in run.stderr:
        raise TrialFailure(f"a run after completion did work or failed (rc {run.rc}):\n"
                           f"{run.stderr}")
    if log_versions(stream.table) != before:
        raise TrialFailure("a run after completion committed to the table")


def measure_full_run(inlet_bin, data, workdir, malformed=None, runs=3):
    """Seconds an uninterrupted `inlet ingest` takes over the initial files (the longest run a
    trial makes): the upper bound of the random kill delays. The median of a few runs, so a
    moment of load on a shared machine does not stretch it."""
    took = []
    for attempt in range(runs):
        root = Path(workdir) / f"measure-{attempt}"
        landing = root / "landing"
        landing.mkdir(parents=True)
        data.land(data.initial, landing)
        stream = new_stream(inlet_bin, landing, root)
        started = time.monotonic()
        run = stream.ingest(*ingest_options(malformed, root / "bad_records"))
        took.append(time.monotonic() - started)
        if run.rc != EXIT_OK:
            raise RuntimeError(f"uninterrupted run failed (rc {run.rc}):\n{run.stderr}")
        shutil.rmtree(root)
    return sorted(took)[len(took) // 2]


def scratch_root():
    """Where trials run: INLET_CHAOS_DIR, else /dev/shm when it is a writable tmpfs (fsync is
    free there, and SIGKILL never loses the page cache, so nothing the harness checks
    depends on fsync), else None (the caller's temp dir)."""
    if os.environ.get("INLET_CHAOS_DIR"):
        return Path(os.environ["INLET_CHAOS_DIR"])
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        try:
            with open("/proc/mounts") as mounts:
                if any(line.split()[1] == "/dev/shm" and line.split()[2] == "tmpfs"
                       for line in mounts):
                    return shm
        except OSError:
            pass
    return None
