# Shared helpers of the integration tests: what the source JSON should look like once
# loaded (Spark's inference semantics), and plain readers of the Delta log and table.
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import gen_iot  # noqa: E402  (scripts/ is not a package)

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
        from urllib.parse import unquote

        path = Path(table) / unquote(add["path"])
        rows.extend(pq.read_table(path, columns=columns).to_pylist())
    return rows


def delta_rows(table, columns=None):
    """The current snapshot via delta-rs, as row dicts sorted by device_id."""
    from deltalake import DeltaTable

    rows = DeltaTable(str(table)).to_pyarrow_table(columns=columns).to_pylist()
    return sorted(rows, key=lambda r: r["device_id"])


def duckdb_rows(table):
    """The snapshot through DuckDB's own Delta reader (delta_scan). The extension comes
    from the duckdb-ext-delta wheel, since DuckDB cannot download extensions here."""
    import duckdb
    import duckdb_ext

    version = "v" + duckdb.__version__
    [extension] = [Path(p) / "extensions" / version / "linux_amd64" / "delta.duckdb_extension"
                   for p in duckdb_ext.__path__]
    con = duckdb.connect()
    con.execute(f"LOAD '{extension}'")
    rel = con.sql(f"SELECT * FROM delta_scan('{table}') ORDER BY device_id")
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
