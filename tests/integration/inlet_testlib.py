# Shared helpers of the integration tests: what the source JSON should look like once
# loaded (Spark's inference semantics), and plain readers of the Delta log and table.
import functools
import json
import os
import subprocess
import sys
from collections import namedtuple
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import gen_iot  # noqa: E402  (scripts/ is not a package)

# Environment variables of the test hooks (src/inlet/util/fault.h): never inherited by a run
# that did not ask for them.
FAULT_ENV = ("INLET_TEST_CRASH_AT", "INLET_TEST_FAIL_AT", "INLET_TEST_PAUSE_AT")

Run = namedtuple("Run", "rc stdout stderr")


def find_inlet_bin():
    """The inlet binary: INLET_BIN, default build/inlet."""
    path = Path(os.environ.get("INLET_BIN", REPO / "build" / "inlet"))
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise FileNotFoundError(f"inlet binary not found at {path}: build it (cmake -B build && "
                                f"ninja -C build inlet) or point INLET_BIN at it")
    return path


def inlet_env(env=None):
    """The test process's environment without fault hooks, plus `env`."""
    full_env = {k: v for k, v in os.environ.items() if k not in FAULT_ENV}
    full_env.update(env or {})
    return full_env


def run_inlet_binary(inlet_bin, *args, env=None, timeout=300):
    proc = subprocess.run([str(inlet_bin), *map(str, args)], capture_output=True, text=True,
                          env=inlet_env(env), timeout=timeout)
    return Run(proc.returncode, proc.stdout, proc.stderr)


class Stream:
    """One landing folder loaded into one table through one checkpoint."""

    def __init__(self, run_inlet, inlet_bin, landing, root):
        self.run_inlet = run_inlet
        self.inlet_bin = inlet_bin
        self.landing = landing
        self.table = root / "table"
        self.checkpoint = root / "checkpoint"

    @property
    def schema_location(self):
        """The stream's schema repository: the checkpoint folder, as Auto Loader allows."""
        return self.checkpoint

    def ingest_args(self, *extra, infer=True, location=True):
        args = ["ingest", "--source", f"{self.landing}/*.json", "--table", self.table,
                "--checkpoint", self.checkpoint]
        if infer:
            args += ["--option", "cloudFiles.inferColumnTypes=true"]
        if location:
            args += ["--option", f"cloudFiles.schemaLocation={self.schema_location}"]
        return [*args, *extra]

    def ingest(self, *extra, infer=True, location=True, env=None, timeout=300):
        return self.run_inlet(*self.ingest_args(*extra, infer=infer, location=location), env=env,
                              timeout=timeout)

    def schema_versions(self):
        """Sorted version numbers in the stream's _schemas folder."""
        folder = Path(self.schema_location) / "_schemas"
        if not folder.is_dir():
            return []
        return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit())

    def popen(self, *extra, infer=True, env=None):
        """Starts `inlet ingest` without waiting, in its own process group."""
        cmd = [str(self.inlet_bin), *map(str, self.ingest_args(*extra, infer=infer))]
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=inlet_env(env), start_new_session=True)

    def generate(self, files, rows_per_file, start_id=1, first_file=1, seed=42):
        return gen_iot.generate(self.landing, files, rows_per_file, seed=seed,
                                start_id=start_id, first_file=first_file)

# Spark's printSchema of the iot sample inferred with cloudFiles.inferColumnTypes=true,
# as in the Auto Loader article our examples follow (without its _rescued_data column).
EXPECTED_IOT_TREE = """\
root
 |-- alarm_status: string (nullable = true)
 |-- battery_level: long (nullable = true)
 |-- c02_level: long (nullable = true)
 |-- cca2: string (nullable = true)
 |-- cca3: string (nullable = true)
 |-- cn: string (nullable = true)
 |-- coordinates: struct (nullable = true)
 |    |-- latitude: double (nullable = true)
 |    |-- longitude: double (nullable = true)
 |-- date: string (nullable = true)
 |-- device_id: long (nullable = true)
 |-- device_serial_number: string (nullable = true)
 |-- device_type: string (nullable = true)
 |-- epoch_time_milliseconds: long (nullable = true)
 |-- humidity: long (nullable = true)
 |-- ip: string (nullable = true)
 |-- scale: string (nullable = true)
 |-- temp: double (nullable = true)
 |-- timestamp: string (nullable = true)
"""

# The same schema as (name, type) pairs; a struct's type is its list of pairs.
IOT_SCHEMA = [
    ("alarm_status", "string"),
    ("battery_level", "long"),
    ("c02_level", "long"),
    ("cca2", "string"),
    ("cca3", "string"),
    ("cn", "string"),
    ("coordinates", [("latitude", "double"), ("longitude", "double")]),
    ("date", "string"),
    ("device_id", "long"),
    ("device_serial_number", "string"),
    ("device_type", "string"),
    ("epoch_time_milliseconds", "long"),
    ("humidity", "long"),
    ("ip", "string"),
    ("scale", "string"),
    ("temp", "double"),
    ("timestamp", "string"),
]


# What an inferred stream's table holds: the data schema plus Auto Loader's rescued data
# column, last.
IOT_TABLE_SCHEMA = IOT_SCHEMA + [("_rescued_data", "string")]
EXPECTED_IOT_TABLE_TREE = EXPECTED_IOT_TREE + " |-- _rescued_data: string (nullable = true)\n"


def all_strings(schema):
    """The schema inferred without cloudFiles.inferColumnTypes: every leaf a string."""
    return [(n, all_strings(t) if isinstance(t, list) else "string") for n, t in schema]


def tree_of(schema, indent=" |-- "):
    """printSchema text of a (name, type) schema, nullable everywhere."""
    lines = ["root"] if indent == " |-- " else []
    for name, typ in schema:
        shown = "struct" if isinstance(typ, list) else typ
        lines.append(f"{indent}{name}: {shown} (nullable = true)")
        if isinstance(typ, list):
            lines.extend(tree_of(typ, " |   " + indent).splitlines())
    return "\n".join(lines) + "\n"


def to_spark_value(value, typ):
    """A parsed JSON value as Spark stores it in a column of type `typ`: integers in long
    columns, any number in double columns, raw JSON text in string columns (a number in a
    string column keeps its literal), and null for a value that does not fit."""
    if value is None:
        return None
    if isinstance(typ, list):
        if not isinstance(value, dict):
            return None
        return {name: to_spark_value(value.get(name), t) for name, t in typ}
    if typ == "string":
        return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    if typ == "long":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if typ == "double":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        return None
    raise ValueError(f"unsupported test type {typ}")


def read_json_lines(paths):
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def expected_rows(paths, schema=IOT_TABLE_SCHEMA):
    """Rows Spark would load from `paths` with `schema`, sorted by device_id."""
    rows = [{n: to_spark_value(r.get(n), t) for n, t in schema} for r in read_json_lines(paths)]
    return sorted(rows, key=lambda r: r["device_id"])


def assert_rows_equal(actual, expected, reader):
    """Compares row dicts (already sorted) and reports the first difference readably."""
    assert len(actual) == len(expected), f"{reader}: {len(actual)} rows, expected {len(expected)}"
    for i, (a, e) in enumerate(zip(actual, expected)):
        if a != e:
            diff = {k: (a.get(k), e.get(k)) for k in set(a) | set(e) if a.get(k) != e.get(k)}
            raise AssertionError(f"{reader}: row {i} (device_id {e.get('device_id')}) differs "
                                 f"as (actual, expected): {diff}")


# ---- Delta table, read without inlet ----

def delta_commits(table):
    """Every commit of the table's _delta_log as {"version": v, "actions": [...]}, in order."""
    log = Path(table) / "_delta_log"
    commits = []
    for path in sorted(log.glob("*.json")):
        if not path.stem.isdigit():
            continue
        actions = [json.loads(l) for l in path.read_text().splitlines() if l.strip()]
        commits.append({"version": int(path.stem), "actions": actions})
    return commits


def active_files(table):
    """Replays the JSON commits (every commit is kept; checkpoints only summarize them)."""
    active = {}
    for commit in delta_commits(table):
        for action in commit["actions"]:
            if "add" in action:
                active[unquote(action["add"]["path"])] = commit["version"]
            elif "remove" in action:
                active.pop(unquote(action["remove"]["path"]), None)
    return list(active)


def check_delta_log(table, single_stream=True):
    """The Delta log itself: versions 0..N without gaps, active files present and final (never
    an .inprogress temp name), and, for one stream, batch ids (txn versions) 0..n-1 each once."""
    commits = delta_commits(table)
    versions = [c["version"] for c in commits]
    if versions != list(range(len(versions))):
        raise AssertionError(f"Delta log versions have gaps: {versions}")
    for path in active_files(table):
        name = Path(path).name
        if "inprogress" in name or name.startswith("."):
            raise AssertionError(f"the log references a temp file: {path}")
        if not (Path(table) / path).is_file():
            raise AssertionError(f"the log references a missing file: {path}")
    txns = {}
    for c in commits:
        for action in c["actions"]:
            if "txn" in action:
                txns.setdefault(action["txn"]["appId"], []).append(action["txn"]["version"])
    if single_stream and len(txns) > 1:
        raise AssertionError(f"one stream wrote with several appIds: {sorted(txns)}")
    for app_id, batch_ids in txns.items():
        if batch_ids != list(range(len(batch_ids))):
            raise AssertionError(f"stream {app_id} committed batch ids {batch_ids}, expected "
                               f"0..{len(batch_ids) - 1} each once")
    return versions


def adds(commit):
    return [a["add"] for a in commit["actions"] if "add" in a]


def txn(commit):
    found = [a["txn"] for a in commit["actions"] if "txn" in a]
    return found[0] if found else None


def data_commits(table):
    """Commits that add data files."""
    return [c for c in delta_commits(table) if adds(c)]


def commit_rows(table, commit, columns=None):
    """Rows of the files a commit added, read straight from parquet."""
    import pyarrow.parquet as pq

    rows = []
    for add in adds(commit):
        path = Path(table) / unquote(add["path"])
        rows.extend(pq.read_table(path, columns=columns).to_pylist())
    return rows


def delta_rows(table, columns=None):
    """The current snapshot via delta-rs, as row dicts sorted by device_id."""
    from deltalake import DeltaTable

    rows = DeltaTable(str(table)).to_pyarrow_table(columns=columns).to_pylist()
    return sorted(rows, key=lambda r: r["device_id"])


@functools.lru_cache(maxsize=None)
def duckdb_delta_connection():
    """One DuckDB connection with the Delta extension loaded (loading takes ~0.5 s). The
    extension comes from the duckdb-ext-delta wheel, since DuckDB cannot download extensions
    here."""
    import duckdb
    import duckdb_ext

    version = "v" + duckdb.__version__
    [extension] = [Path(p) / "extensions" / version / "linux_amd64" / "delta.duckdb_extension"
                   for p in duckdb_ext.__path__]
    con = duckdb.connect()
    con.execute(f"LOAD '{extension}'")
    return con


def duckdb_rows(table):
    """The snapshot through DuckDB's own Delta reader (delta_scan)."""
    rel = duckdb_delta_connection().sql(f"SELECT * FROM delta_scan('{table}') ORDER BY device_id")
    return rel.to_arrow_table().to_pylist()


def delta_schema(table):
    """The table schema from delta-rs as (name, type) pairs like IOT_SCHEMA."""
    from deltalake import DeltaTable

    def simple_type(t):
        if not isinstance(t, dict):
            return t
        if t["type"] == "struct":
            return simple(t["fields"])
        if t["type"] == "array":
            return f"array<{simple_type(t['elementType'])}>"
        return f"map<{simple_type(t['keyType'])},{simple_type(t['valueType'])}>"

    def simple(fields):
        return [(f["name"], simple_type(f["type"])) for f in fields]

    return simple(json.loads(DeltaTable(str(table)).schema().to_json())["fields"])


def device_ids(table):
    return [r["device_id"] for r in delta_rows(table, columns=["device_id"])]


def source_ids(paths):
    return sorted(r["device_id"] for r in read_json_lines(paths))


def rescued_by_id(table, column="_rescued_data"):
    """{device_id: the rescued JSON parsed, or None} via delta-rs."""
    return {r["device_id"]: (json.loads(r[column]) if r[column] is not None else None)
            for r in delta_rows(table, columns=["device_id", column])}
