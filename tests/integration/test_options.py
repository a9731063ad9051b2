# The ingest options a user sets with --option, end to end: which files a run takes and
# how, checked in the table that delta-rs reads back.
import json
import shutil
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
