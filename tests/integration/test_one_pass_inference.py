# One-pass inference (inlet.onePassInference, on by default): a new stream's first batch
# infers the schema while it loads, from a guess checked against every sampled record. It
# must give what the two-pass way gives (inlet.onePassInference=false) -- the same schema
# version, rows, rescued data, bad records and figures -- whether the guess holds or a
# record past the heads refutes it, and stay exactly-once across a crash.
import json
import os
import re
import subprocess

import pytest

from inlet_testlib import (Stream, check_delta_log, data_commits, delta_rows, duckdb_rows, inlet_env,
                           read_json_lines)

# Rows per generated file: ~430 KB, so each file's head (64 KB, its first ~150 records) leaves
# most records to the check.
ROWS = 1000


def append_lines(path, records):
    with open(path, "a", encoding="utf-8") as f:
        for record in records:
            f.write((record if isinstance(record, str) else json.dumps(record)) + "\n")


def late_records(paths, *records):
    """Appends `records` to the second file: past its head, so only the check sees them."""
    append_lines(paths[1], records)


SCENARIOS = {
    # name: (what is appended past the heads, extra options)
    "every record like the heads": ([], []),
    "a new field": ([{"device_id": 90001, "firmware": "1.2"}], []),
    "a long becomes double": ([{"device_id": 90002, "humidity": 55.5}], []),
    "a new nested field": ([{"device_id": 90003, "coordinates": {"latitude": 1.0, "longitude": 2.0,
                                                                  "altitude": 7}}], []),
    "a struct becomes a string": ([{"device_id": 90004, "coordinates": "unknown"}], []),
    "a case variant": ([{"device_id": 90005, "Humidity": 12}], []),
    "malformed lines": (['{"device_id": 90006, "temp": ', '[1, 2]', '{"device_id": 90007} x'],
                        ["--option", "columnNameOfCorruptRecord=_corrupt_record"]),
    "rescue mode, a mismatch": ([{"device_id": 90008, "battery_level": "low"}],
                                ["--option", "cloudFiles.schemaEvolutionMode=rescue"]),
    # Without inferColumnTypes every leaf is a string, which takes an object too: the guess holds.
    "strings only": ([{"device_id": 90009, "temp": {"c": 20}}], ["--no-infer"]),
}
# The scenarios whose late records change what the sample infers.
REFUTED = {"a new field", "a long becomes double", "a new nested field", "a struct becomes a string",
           "a case variant", "rescue mode, a mismatch"}


def run_both(stream, tmp_path, extra, bad_records=True):
    """Ingests stream.landing twice, one pass and two passes, into separate tables."""
    infer = "--no-infer" not in extra
    extra = [e for e in extra if e != "--no-infer"]
    runs = {}
    for one_pass in (True, False):
        root = tmp_path / ("one-pass" if one_pass else "two-pass")
        other = Stream(stream.run_inlet, stream.inlet_bin, stream.landing, root)
        options = [*extra, "--option", f"inlet.onePassInference={str(one_pass).lower()}"]
        if bad_records:
            options += ["--option", f"badRecordsPath={root / 'bad'}"]
        runs[one_pass] = (other, other.ingest(*options, infer=infer), root)
    return runs


def bad_records(root):
    lines = []
    for part in sorted((root / "bad").glob("*/bad_records/part-*.json")):
        lines += [json.loads(line) for line in part.read_text().splitlines()]
    return sorted(lines, key=lambda r: (r["path"], r["line"]))


def commit_figures(table):
    keys = ("numSourceRecords", "numRescuedRecords", "numBadRecords", "numOutputRows", "numTypeMismatches")
    figures = []
    for commit in data_commits(table):
        info = next(a["commitInfo"] for a in commit["actions"] if "commitInfo" in a)
        figures.append({k: info["operationMetrics"][k] for k in keys})
    return figures


def all_rows(table):
    """Every row via delta-rs, in a fixed order (corrupt rows have null ids)."""
    from deltalake import DeltaTable

    rows = DeltaTable(str(table)).to_pyarrow_table().to_pylist()
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_one_pass_gives_what_two_passes_give(stream, tmp_path, scenario):
    records, extra = SCENARIOS[scenario]
    paths = stream.generate(files=3, rows_per_file=ROWS)
    late_records(paths, *records)
    runs = run_both(stream, tmp_path, extra)
    (one, one_run, one_root), (two, two_run, two_root) = runs[True], runs[False]
    assert one_run.rc == two_run.rc == 0, (one_run.stderr, two_run.stderr)
    assert (one.schema_location / "_schemas" / "0").read_bytes() == \
        (two.schema_location / "_schemas" / "0").read_bytes()
    assert one.schema_versions() == two.schema_versions() == [0]
    assert all_rows(one.table) == all_rows(two.table)
    assert commit_figures(one.table) == commit_figures(two.table)
    assert bad_records(one_root) == bad_records(two_root)
    check_delta_log(one.table)
    # A guess refuted past the heads is said, with where; one that held says nothing.
    refuted = re.search(r"note: batch 0: the schema guessed from the first bytes of each file did not "
                        r"hold \((.*?)\)", one_run.stderr)
    assert (refuted is not None) == (scenario in REFUTED), one_run.stderr
    if refuted:
        assert refuted.group(1) == f"{paths[1]}:{ROWS + 1}"


def bytes_read_per_file(inlet_bin, args, trace):
    """{path: bytes read(2) or pread(2) from it} over a whole run, as strace sees the syscalls
    (a trace file per thread, so no call is split across lines by another thread's)."""
    cmd = ["strace", "-ff", "-y", "-e", "trace=read,pread64", "-o", str(trace), str(inlet_bin), *map(str, args)]
    # LeakSanitizer cannot run under ptrace: an ASan build (make test-asan) keeps the rest.
    asan = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "detect_leaks=0"]))
    run = subprocess.run(cmd, capture_output=True, text=True, env=inlet_env({"ASAN_OPTIONS": asan}))
    assert run.returncode == 0, run.stderr
    totals = {}
    for part in trace.parent.glob(trace.name + ".*"):
        for m in re.finditer(r"p?read(?:64)?\(\d+<([^>]*)>, .*\) = (\d+)", part.read_text()):
            totals[m.group(1)] = totals.get(m.group(1), 0) + int(m.group(2))
    return totals


def test_a_guess_that_held_reads_the_sample_once(stream, tmp_path):
    """The point of it: two passes read every sampled file twice, one pass once plus its
    head (64 KB here)."""
    paths = stream.generate(files=3, rows_per_file=ROWS)
    for one_pass in (True, False):
        root = tmp_path / f"one-pass-{one_pass}"
        other = Stream(stream.run_inlet, stream.inlet_bin, stream.landing, root)
        root.mkdir()
        totals = bytes_read_per_file(stream.inlet_bin, other.ingest_args(
            "--option", f"inlet.onePassInference={str(one_pass).lower()}"), root / "trace")
        for path in paths:
            size = path.stat().st_size
            read = totals.get(str(path), 0)
            if one_pass:
                assert size < read <= size + (64 << 10) + (256 << 10), (path, size, read)
            else:
                assert read >= 2 * size, (path, size, read)


def test_readers_open_a_table_loaded_in_one_pass(stream):
    paths = stream.generate(files=3, rows_per_file=ROWS)
    late_records(paths, {"device_id": 90001, "firmware": "1.2"})
    assert stream.ingest().rc == 0
    ids = sorted(r["device_id"] for r in read_json_lines(paths))
    assert [r["device_id"] for r in delta_rows(stream.table, ["device_id"])] == ids
    duck = duckdb_rows(stream.table)
    assert [r["device_id"] for r in duck] == ids
    assert {r["device_id"]: r["firmware"] for r in duck}[90001] == "1.2"


def test_drift_past_the_sample_still_stops_the_stream_as_before(stream, tmp_path):
    """numFiles=2: the third file is not in the sample; its new field is drift (exit 3 and
    _schemas/1), in one pass as in two."""
    paths = stream.generate(files=3, rows_per_file=ROWS)
    append_lines(paths[2], [{"device_id": 90001, "firmware": "1.2"}])
    runs = run_both(stream, tmp_path, ["--option", "cloudFiles.schemaInference.sampleSize.numFiles=2"],
                    bad_records=False)
    (one, one_run, _), (two, two_run, _) = runs[True], runs[False]
    assert one_run.rc == two_run.rc == 3, (one_run.stderr, two_run.stderr)
    assert one.schema_versions() == two.schema_versions() == [0, 1]
    for version in ("0", "1"):
        assert (one.schema_location / "_schemas" / version).read_bytes() == \
            (two.schema_location / "_schemas" / version).read_bytes()
    assert one.ingest().rc == two.ingest().rc == 0
    assert all_rows(one.table) == all_rows(two.table)


@pytest.mark.parametrize("refuted", [False, True])
@pytest.mark.parametrize("point", ["mid_parse", "after_schema_version", "after_parquet"])
def test_a_crash_in_a_one_pass_first_batch_loads_everything_once(stream, point, refuted):
    paths = stream.generate(files=3, rows_per_file=ROWS)
    if refuted:
        late_records(paths, {"device_id": 90001, "firmware": "1.2"})
    crashed = stream.ingest(env={"INLET_TEST_CRASH_AT": point})
    assert crashed.rc == -9, crashed.stderr
    assert stream.ingest().rc == 0
    assert stream.schema_versions() == [0]
    ids = sorted(r["device_id"] for r in read_json_lines(paths))
    assert [r["device_id"] for r in delta_rows(stream.table, ["device_id"])] == ids
    check_delta_log(stream.table)
    schema = json.loads((stream.schema_location / "_schemas" / "0").read_text().splitlines()[1])
    names = [f["name"] for f in json.loads(schema["dataSchemaJson"])["fields"]]
    assert ("firmware" in names) == refuted
