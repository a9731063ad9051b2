# The ingest options a user sets with --option, end to end: which files a run takes and
# how, checked in the table that delta-rs reads back.
import gzip
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from inlet_testlib import (data_commits, delta_rows, device_ids, duckdb_rows, expected_rows,
                           gen_iot, source_ids)


def test_include_existing_files_false_takes_only_files_that_arrive_later(stream):
    stream.generate(3, 20)
    run = stream.ingest("--option", "cloudFiles.includeExistingFiles=false")
    assert run.rc == 0, run.stderr
    assert "skipped 3 existing files" in run.stderr
    later = stream.generate(2, 20, start_id=61, first_file=4)
    run = stream.ingest("--option", "cloudFiles.includeExistingFiles=false")
    assert run.rc == 0, run.stderr
    assert device_ids(stream.table) == source_ids(later)


def test_max_bytes_per_trigger_splits_batches_by_size(stream):
    paths = stream.generate(4, 40)
    largest = max(p.stat().st_size for p in paths)
    run = stream.ingest("--option", f"cloudFiles.maxBytesPerTrigger={largest + largest // 2}")
    assert run.rc == 0, run.stderr
    assert len(data_commits(stream.table)) == 4
    assert device_ids(stream.table) == source_ids(paths)


def test_recursive_lookup_with_path_glob_filter(stream, tmp_path):
    deep = stream.landing / "2024" / "03"
    wanted = gen_iot.generate(stream.landing / "2024", 1, 10, start_id=1) + \
        gen_iot.generate(deep, 1, 10, start_id=11, first_file=2)
    (deep / "notes.txt").write_text('{"device_id": 999}\n')
    (deep / "_partial.json").write_text('{"device_id": 998}\n')
    run = stream.run_inlet("ingest", "--source", stream.landing, "--table", stream.table,
                           "--checkpoint", stream.checkpoint,
                           "--option", "cloudFiles.inferColumnTypes=true",
                           "--option", f"cloudFiles.schemaLocation={stream.schema_location}",
                           "--option", "recursiveFileLookup=true",
                           "--option", "pathGlobFilter=*.json")
    assert run.rc == 0, run.stderr
    assert device_ids(stream.table) == source_ids(wanted)


def test_multiline_reads_arrays_and_pretty_printed_documents(stream):
    rows = [json.loads(l) for p in gen_iot.generate(stream.landing / "src", 1, 6)
            for l in p.read_text().splitlines()]
    (stream.landing / "array.json").write_text(json.dumps(rows[:4], indent=2))
    (stream.landing / "one.json").write_text(json.dumps(rows[4], indent=4))
    (stream.landing / "two.json").write_text(json.dumps(rows[5]))
    run = stream.ingest("--option", "multiLine=true")
    assert run.rc == 0, run.stderr
    got = delta_rows(stream.table)
    assert [r["device_id"] for r in got] == [r["device_id"] for r in rows]
    assert got == expected_rows(sorted(Path(stream.landing / "src").glob("*.json")))


@pytest.fixture(scope="module")
def many_commits(tmp_path_factory, run_inlet):
    """12 files loaded one per batch: 12 commits, so inlet writes a checkpoint at 10."""
    root = tmp_path_factory.mktemp("many_commits")
    paths = gen_iot.generate(root / "landing", 12, 25, seed=3)
    run = run_inlet("ingest", "--source", f"{root / 'landing'}/*.json", "--table", root / "table",
                    "--checkpoint", root / "checkpoint",
                    "--option", "cloudFiles.inferColumnTypes=true",
                    "--option", f"cloudFiles.schemaLocation={root / 'checkpoint'}",
                    "--option", "cloudFiles.maxFilesPerTrigger=1")
    assert run.rc == 0, run.stderr
    # A copy whose log starts at the checkpoint: readers must use it to see anything.
    from_checkpoint = root / "from_checkpoint"
    shutil.copytree(root / "table", from_checkpoint)
    for version in range(0, 11):
        (from_checkpoint / "_delta_log" / f"{version:020d}.json").unlink()
    return root / "table", from_checkpoint, paths


def test_a_checkpoint_is_written_every_ten_commits(many_commits):
    table, _, _ = many_commits
    log = table / "_delta_log"
    assert json.loads((log / "_last_checkpoint").read_text())["version"] == 10
    assert (log / f"{10:020d}.checkpoint.parquet").is_file()


def test_delta_rs_reads_a_table_from_its_checkpoint(many_commits):
    _, from_checkpoint, paths = many_commits
    from deltalake import DeltaTable

    assert DeltaTable(str(from_checkpoint)).version() == 11
    assert delta_rows(from_checkpoint) == expected_rows(paths)


def test_duckdb_reads_a_table_from_its_checkpoint(many_commits):
    _, from_checkpoint, paths = many_commits
    assert duckdb_rows(from_checkpoint) == expected_rows(paths)


@pytest.mark.spark
def test_spark_reads_a_table_from_its_checkpoint(many_commits, spark):
    _, from_checkpoint, paths = many_commits
    df = spark.read.format("delta").load(str(from_checkpoint)).orderBy("device_id")
    assert [r.asDict(recursive=True) for r in df.collect()] == expected_rows(paths)


def test_inlet_reads_a_table_from_its_checkpoint(many_commits, run_inlet):
    _, from_checkpoint, paths = many_commits
    run = run_inlet("show", from_checkpoint, "--format", "json", "--limit", "1000",
                    "--columns", "device_id")
    assert run.rc == 0, run.stderr
    assert sorted(json.loads(l)["device_id"] for l in run.stdout.splitlines()) == source_ids(paths)


def test_a_hint_the_reader_cannot_use_exits_2_before_writing_and_does_not_brick_the_stream(stream):
    paths = stream.generate(2, 10)
    run = stream.ingest("--option", "cloudFiles.schemaHints=m MAP<INT,STRING>")
    assert run.rc == 2, run.stderr
    assert "'m MAP<INT,STRING>'" in run.stderr and "string keys" in run.stderr, run.stderr
    assert stream.schema_versions() == []
    assert not (Path(stream.schema_location) / "_schemas" / "0").exists()
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    assert device_ids(stream.table) == source_ids(paths)


# Every option issue 12 lists, as a pipeline copied from Databricks sets it (Spark's defaults).
DATABRICKS_OPTIONS = [
    "allowComments=false", "allowSingleQuotes=true", "allowUnquotedFieldNames=false",
    "allowNonNumericNumbers=true", "allowNumericLeadingZeros=false",
    "allowBackslashEscapingAnyCharacter=false", "allowUnquotedControlChars=false",
    "dateFormat=yyyy-MM-dd", "timestampFormat=yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]",
    "timestampNTZFormat=yyyy-MM-dd'T'HH:mm:ss[.SSS]", "primitivesAsString=false", "prefersDecimal=false",
    "dropFieldIfAllNull=false", "encoding=UTF-8", "lineSep=\n", "samplingRatio=1.0", "locale=en-US",
    "timeZone=UTC", "inferTimestamp=false", "compression=none", "ignoreCorruptFiles=false",
    "ignoreMissingFiles=false", "modifiedAfter=2000-01-01T00:00:00", "modifiedBefore=2999-01-01T00:00:00",
    "cloudFiles.validateOptions=true", "cloudFiles.useStrictGlobber=false", "maxFilesPerTrigger=2",
]


def option_args(pairs):
    return [arg for pair in pairs for arg in ("--option", pair)]


def test_a_pipeline_with_every_databricks_option_starts_and_loads(stream):
    paths = stream.generate(3, 10)
    run = stream.ingest(*option_args(DATABRICKS_OPTIONS))
    assert run.rc == 0, run.stderr
    assert device_ids(stream.table) == source_ids(paths)
    assert len(data_commits(stream.table)) == 2, "maxFilesPerTrigger=2 without its cloudFiles. prefix"


def test_options_inlet_cannot_honour_exit_2_saying_why(stream):
    stream.generate(1, 5)
    for pair, why in [("encoding=UTF-16", "inlet reads UTF-8 only"),
                      ("samplingRatio=0.1", "sampleSize"),
                      ("dateFormat=yyyy-ww", "week-based"),
                      ("timeZone=Mars/Olympus", "unknown time zone"),
                      ("modifiedAfter=last tuesday", "not a timestamp")]:
        run = stream.ingest("--option", pair)
        assert run.rc == 2, (pair, run.stderr)
        assert why in run.stderr, (pair, run.stderr)
    assert not Path(stream.table).exists() or not any(Path(stream.table).iterdir())


def test_validate_options_false_lets_unknown_options_through_with_a_warning(stream):
    paths = stream.generate(1, 5)
    run = stream.ingest("--option", "cloudFiles.someFutureOption=1")
    assert run.rc == 2 and "unknown option 'cloudFiles.someFutureOption'" in run.stderr, run.stderr
    run = stream.ingest("--option", "cloudFiles.someFutureOption=1", "--option", "cloudFiles.validateOptions=false")
    assert run.rc == 0, run.stderr
    assert "warning: unknown option 'cloudFiles.someFutureOption' ignored" in run.stderr, run.stderr
    assert device_ids(stream.table) == source_ids(paths)


def test_modified_after_and_before_take_only_files_in_the_window(stream):
    paths = stream.generate(3, 5)
    day = 86400
    base = time.mktime(time.strptime("2024-06-01 12:00:00", "%Y-%m-%d %H:%M:%S")) - time.timezone
    for path, when in zip(paths, [base - 10 * day, base, base + 10 * day]):
        os.utime(path, (when, when))
    window = ["--option", "modifiedAfter=2024-05-25T00:00:00", "--option", "modifiedBefore=2024-06-05T00:00:00"]
    run = stream.ingest(*window)
    assert run.rc == 0, run.stderr
    assert device_ids(stream.table) == source_ids([paths[1]])
    # The zone moves the bound: 13:00 in +02:00 is 11:00 UTC, before the file's 12:00 UTC.
    run = stream.ingest("--option", "modifiedAfter=2024-06-01T13:00:00", "--option", "timeZone=+02:00")
    assert run.rc == 0, run.stderr
    assert device_ids(stream.table) == source_ids(paths[1:]), "files outside the window were not marked seen"


def test_a_missing_file_fails_its_batch_unless_ignore_missing_files(stream):
    paths = stream.generate(2, 5)
    run = stream.ingest("--option", "maxFilesPerTrigger=1", env={"INLET_TEST_CRASH_AT": "after_plan"})
    assert run.rc != 0
    paths[0].unlink()
    run = stream.ingest()
    assert run.rc == 1 and "ignoreMissingFiles=true" in run.stderr, run.stderr
    run = stream.ingest("--option", "ignoreMissingFiles=true")
    assert run.rc == 0, run.stderr
    assert "no longer exists; skipped" in run.stderr
    assert device_ids(stream.table) == source_ids(paths[1:])


def test_ignore_corrupt_files_loads_what_was_read_skips_the_rest_and_records_it(stream):
    good = stream.generate(1, 20)
    lines = [json.dumps({"device_id": 1000 + i, "cn": "x" * 50}) for i in range(4000)]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    cut = stream.landing / "cut.json.gz"
    cut.write_bytes(data[: len(data) // 2])
    args = ["--source", f"{stream.landing}/*", "--table", stream.table, "--checkpoint", stream.checkpoint,
            "--schema", "device_id BIGINT, cn STRING"]
    run = stream.run_inlet("ingest", *args)
    assert run.rc == 1 and "cut.json.gz" in run.stderr, run.stderr
    run = stream.run_inlet("ingest", *args, "--option", "ignoreCorruptFiles=true")
    assert run.rc == 0, run.stderr
    assert f"'{cut}' is corrupt; skipped the rest of it" in run.stderr, run.stderr
    ids = set(device_ids(stream.table))
    assert set(source_ids(good)) <= ids
    partial = sorted(i for i in ids if i >= 1000)
    assert partial == list(range(1000, 1000 + len(partial))), "a prefix of the corrupt file, in order"
    [commit] = data_commits(stream.table)
    metrics = next(a["commitInfo"] for a in commit["actions"] if "commitInfo" in a)["operationMetrics"]
    assert metrics["numCorruptSourceFiles"] == "1"
    run = stream.run_inlet("ingest", *args, "--option", "ignoreCorruptFiles=true")
    assert run.rc == 0 and "done: 0 batches" in run.stderr, "the corrupt file counts as read"


def test_ignore_corrupt_files_applies_to_schema_inference_too(stream):
    # Varied text, so that half of the compressed file still decompresses to many lines.
    lines = [json.dumps({"device_id": 1000 + i, "cn": str(i * 7919)}) for i in range(20000)]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    (stream.landing / "cut.json.gz").write_bytes(data[: len(data) // 2])
    args = ["--source", f"{stream.landing}/*", "--table", stream.table, "--checkpoint", stream.checkpoint,
            "--option", f"cloudFiles.schemaLocation={stream.checkpoint}", "--option", "cloudFiles.inferColumnTypes=true"]
    run = stream.run_inlet("ingest", *args)
    assert run.rc == 1 and "cut.json.gz" in run.stderr, run.stderr
    assert not (stream.checkpoint / "_schemas" / "0").exists(), "no schema from a failed inference"
    run = stream.run_inlet("ingest", *args, "--option", "ignoreCorruptFiles=true")
    assert run.rc == 0, run.stderr
    assert "is corrupt; skipped the rest of it" in run.stderr, run.stderr
    version = json.loads((stream.checkpoint / "_schemas" / "0").read_text().splitlines()[-1])
    schema = json.loads(version["dataSchemaJson"])
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [("cn", "string"), ("device_id", "long")], schema
    assert device_ids(stream.table)[:3] == [1000, 1001, 1002]


TEMPORAL_LINES = [
    {"device_id": 1, "d": "20/03/2016", "ts": "03/20/2016 03:20:54 PM"},
    {"device_id": 2, "d": "05/12/1999", "ts": "12/31/1999 11:59:59 AM"},
    {"device_id": 3, "d": "2016-03-20", "ts": "2016-03-20T03:20:54"},
    {"device_id": 4, "d": "31/02/2016", "ts": "02/30/2016 01:00:00 AM"},
    {"device_id": 5, "d": "29/02/2024", "ts": "07/01/2016 12:00:00 PM"},
]
TEMPORAL_OPTIONS = {"dateFormat": "dd/MM/yyyy", "timestampFormat": "MM/dd/yyyy hh:mm:ss a",
                    "timeZone": "America/Los_Angeles"}


@pytest.fixture
def temporal_table(stream):
    (stream.landing / "t.json").write_text("".join(json.dumps(r) + "\n" for r in TEMPORAL_LINES))
    run = stream.ingest("--option", "cloudFiles.schemaHints=d DATE, ts TIMESTAMP",
                        *option_args(f"{k}={v}" for k, v in TEMPORAL_OPTIONS.items()))
    assert run.rc == 0, run.stderr
    from deltalake import DeltaTable
    import pyarrow as pa

    table = DeltaTable(str(stream.table)).to_pyarrow_table(columns=["device_id", "d", "ts"])
    rows = {}
    for r in zip(table.column("device_id").to_pylist(), table.column("d").cast(pa.int32()).to_pylist(),
                 table.column("ts").cast(pa.int64()).to_pylist()):
        rows[r[0]] = (r[1], r[2])
    return stream, rows


def test_date_and_timestamp_formats_read_non_iso_text_in_the_time_zone(temporal_table):
    _, rows = temporal_table
    day = lambda y, m, d: (time.mktime((y, m, d, 0, 0, 0, 0, 0, 0)) - time.timezone) // 86400  # noqa: E731
    assert rows[1][0] == day(2016, 3, 20)
    assert rows[1][1] == (int(day(2016, 3, 20)) * 86400 + 15 * 3600 + 20 * 60 + 54 + 7 * 3600) * 1_000_000  # PDT
    assert rows[2][1] == (int(day(1999, 12, 31)) * 86400 + 11 * 3600 + 59 * 60 + 59 + 8 * 3600) * 1_000_000  # PST
    assert rows[3] == (None, None), "a set pattern is the only one read"
    assert rows[4] == (None, None), "no such day"
    assert rows[5][0] == day(2024, 2, 29)


@pytest.mark.spark
def test_date_and_timestamp_formats_read_what_spark_reads(temporal_table, spark):
    stream, rows = temporal_table
    reader = spark.read.schema("device_id BIGINT, d DATE, ts TIMESTAMP")
    for key, value in TEMPORAL_OPTIONS.items():
        reader = reader.option(key, value)
    df = reader.json(str(stream.landing / "t.json")).selectExpr(
        "device_id", "datediff(d, date'1970-01-01') AS d", "unix_micros(ts) AS ts")
    assert {r.device_id: (r.d, r.ts) for r in df.collect()} == rows


# Texts in every shape the patterns below read (or must refuse), read by inlet and by Spark
# with the same options: the same values, the same nulls.
DIFFERENTIAL_LINES = [
    {"device_id": 1, "d": "2016-03-20", "ts": "2016-03-20 03:20:54"},
    {"device_id": 2, "d": "2016-3-5", "ts": "2016-03-20T03:20:54.123456"},
    {"device_id": 3, "d": "2016-03-20T10:00", "ts": "2016-03-20T03:20:54+0100"},
    {"device_id": 4, "d": " 2016-03-20", "ts": "2016-03-20T03:20:54.1Z"},
    {"device_id": 5, "d": "5.3.2016", "ts": "2016-03-20 03:20:54.123+01:00"},
    {"device_id": 6, "d": "Mar 5, 2016", "ts": "20 Mar 2016 03:20 +0100"},
    {"device_id": 7, "d": "31.2.2016", "ts": "20160320032054"},
    {"device_id": 8, "d": "mar 15, 2016", "ts": "20 mar 2016 03:20:54 -0830"},
    {"device_id": 9, "d": None, "ts": 1458444054},
    {"device_id": 10, "d": "29.2.2024", "ts": "2016-03-20T03:20:54.123456+05:30"},
    {"device_id": 11, "d": "2016-03-20", "ts": "2016-07-01T12:00:00"},
]
DIFFERENTIAL_OPTIONS = [
    {},
    {"dateFormat": "yyyy-MM-dd", "timestampFormat": "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]"},
    {"timestampFormat": "yyyy-MM-dd HH:mm:ss.SSSXXX", "timeZone": "Europe/Paris"},
    {"timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSSSS", "timeZone": "America/Los_Angeles"},
    {"dateFormat": "d.M.yyyy", "timestampFormat": "yyyyMMddHHmmss"},
    {"dateFormat": "MMM d, yyyy", "timestampFormat": "dd MMM yyyy HH:mm[:ss] Z"},
    {"timeZone": "+05:30"},
]


@pytest.mark.spark
@pytest.mark.parametrize("options", DIFFERENTIAL_OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "unset")
def test_temporal_options_read_the_same_values_and_nulls_as_spark(stream, spark, options):
    from deltalake import DeltaTable
    import pyarrow as pa

    path = stream.landing / "t.json"
    path.write_text("".join(json.dumps(r) + "\n" for r in DIFFERENTIAL_LINES))
    run = stream.ingest("--option", "cloudFiles.schemaHints=d DATE, ts TIMESTAMP",
                        *option_args(f"{k}={v}" for k, v in options.items()))
    assert run.rc == 0, run.stderr
    table = DeltaTable(str(stream.table)).to_pyarrow_table(columns=["device_id", "d", "ts"])
    got = {i: (d, t) for i, d, t in zip(table.column("device_id").to_pylist(),
                                          table.column("d").cast(pa.int32()).to_pylist(),
                                          table.column("ts").cast(pa.int64()).to_pylist())}
    reader = spark.read.schema("device_id BIGINT, d DATE, ts TIMESTAMP")
    for key, value in options.items():
        reader = reader.option(key, value)
    df = reader.json(str(path)).selectExpr("device_id", "datediff(d, date'1970-01-01') AS d", "unix_micros(ts) AS ts")
    assert got == {r.device_id: (r.d, r.ts) for r in df.collect()}
