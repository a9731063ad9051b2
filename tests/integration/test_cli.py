# The command line as users meet it: exit codes and messages, show/history/schema output,
# an enforced --schema, and the checkpoint lock that keeps two runs apart.
import json
import queue
import re
import signal
import threading
from pathlib import Path

import pytest

from inlet_testlib import (assert_rows_equal, data_commits, delta_commits, delta_rows,
                           delta_schema, expected_rows, tree_of)


def test_unknown_option_exits_2_naming_it(stream):
    stream.generate(1, 5)
    run = stream.ingest("--option", "cloudFiles.noSuchOption=1")
    assert run.rc == 2
    assert "cloudFiles.noSuchOption" in run.stderr


def test_malformed_option_value_exits_2_naming_the_option(stream):
    stream.generate(1, 5)
    run = stream.ingest("--option", "cloudFiles.maxFilesPerTrigger=lots")
    assert run.rc == 2
    assert "maxFilesPerTrigger" in run.stderr


def test_unknown_trigger_exits_2(stream):
    stream.generate(1, 5)
    run = stream.ingest("--trigger", "sometimes")
    assert run.rc == 2
    assert "sometimes" in run.stderr or "--trigger" in run.stderr


@pytest.mark.parametrize("flag", ["--source", "--table", "--checkpoint", "cloudFiles.schemaLocation", "badRecordsPath"])
def test_an_unknown_uri_scheme_exits_2_and_writes_nothing(stream, tmp_path, flag):
    """Not a silent 'done: 0 batches': a scheme inlet does not know is refused, naming those it knows."""
    stream.generate(1, 5)
    args = {"--source": f"{stream.landing}/*.json", "--table": str(stream.table), "--checkpoint": str(stream.checkpoint)}
    options = {"cloudFiles.schemaLocation": str(stream.schema_location)}
    uri = "hdfs://nn/x"
    if flag in args:
        args[flag] = uri
    else:
        options[flag] = uri
    cli = [x for kv in args.items() for x in kv]
    for k, v in options.items():
        cli += ["--option", f"{k}={v}"]
    run = stream.run_inlet("ingest", *cli)
    assert run.rc == 2, run.stderr
    assert flag in run.stderr and uri in run.stderr and "unknown URI scheme 'hdfs:'" in run.stderr, run.stderr
    assert "inlet knows file://, s3://, s3a://, abfss://, az://, gs://" in run.stderr, run.stderr
    assert not Path(stream.table).exists(), "nothing is written"


def test_file_uris_are_local_paths(stream, run_inlet):
    paths = stream.generate(2, 10)
    run = stream.run_inlet("ingest", "--source", f"file://{stream.landing}/*.json", "--table", f"file://{stream.table}",
                           "--checkpoint", f"file:{stream.checkpoint}", "--option",
                           f"cloudFiles.schemaLocation=file://{stream.schema_location}")
    assert run.rc == 0, run.stderr
    assert sorted(int(r["device_id"]) for r in delta_rows(stream.table, columns=["device_id"])) == \
        sorted(r["device_id"] for p in paths for r in map(json.loads, p.read_text().splitlines()))
    shown = run_inlet("show", f"file://{stream.table}", "--limit", "1")
    assert shown.rc == 0, shown.stderr
    refused = run_inlet("show", "hdfs://nn/t")
    assert refused.rc == 2 and "unknown URI scheme" in refused.stderr, refused.stderr


FAILFAST = ("--option", "mode=FAILFAST")


def test_failfast_malformed_json_line_exits_1_naming_file_line_and_offset(stream):
    good = stream.generate(1, 3)[0]
    bad = stream.landing / "iot-0002.json"
    lines = good.read_text().splitlines()
    bad.write_text(lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n" + '{"device_id": 4, oops\n')
    offset = len(lines[0]) + len(lines[1]) + len(lines[2]) + 3
    run = stream.ingest(*FAILFAST)
    assert run.rc == 1
    assert f"{bad.name}:4 (byte {offset})" in run.stderr, run.stderr
    # The failed batch committed nothing.
    assert not (stream.table / "_delta_log").exists() or not data_commits(stream.table)


def test_fixing_a_malformed_file_lets_the_same_batch_finish(stream):
    paths = stream.generate(2, 5)
    text = paths[1].read_text()
    paths[1].write_text(text + "not json\n")
    assert stream.ingest(*FAILFAST).rc == 1
    paths[1].write_text(text)
    run = stream.ingest(*FAILFAST)
    assert run.rc == 0, run.stderr
    assert_rows_equal(delta_rows(stream.table), expected_rows(paths), "after the fix")


def test_removing_a_file_that_fails_unblocks_the_stream_with_a_warning(stream):
    paths = stream.generate(3, 5)
    paths[1].write_text(paths[1].read_text() + "not json\n")
    # Inference samples only the first file, so the bad line fails the planned batch itself.
    sample_one = ("--option", "cloudFiles.schemaInference.sampleSize.numFiles=1", *FAILFAST)
    assert stream.ingest(*sample_one).rc == 1
    paths[1].unlink()
    # ignoreMissingFiles=false (Spark's default) fails the planned batch naming the file...
    run = stream.ingest(*sample_one)
    assert run.rc == 1, run.stderr
    assert f"'{paths[1]}' was listed but no longer exists" in run.stderr, run.stderr
    assert "ignoreMissingFiles=true" in run.stderr
    # ...and with it the stream goes on.
    run = stream.ingest(*sample_one, "--option", "ignoreMissingFiles=true")
    assert run.rc == 0, run.stderr
    assert "recovered" in run.stderr, "the planned batch was finished, not planned again"
    assert f"'{paths[1]}' no longer exists; skipped" in run.stderr
    assert_rows_equal(delta_rows(stream.table), expected_rows([paths[0], paths[2]]), "after removal")


def test_show_filters_and_selects_nested_columns_as_json(stream, run_inlet):
    paths = stream.generate(4, 50)
    assert stream.ingest().rc == 0
    run = run_inlet("show", stream.table, "--where", "battery_level > 5 AND cn IS NOT NULL",
                    "--columns", "device_id,coordinates.latitude", "--format", "json",
                    "--limit", "1000")
    assert run.rc == 0, run.stderr
    shown = sorted((json.loads(line) for line in run.stdout.splitlines() if line.strip()),
                   key=lambda r: r["device_id"])
    expected = [{"device_id": r["device_id"], "latitude": r["coordinates"]["latitude"]}
                for r in expected_rows(paths)
                if r["battery_level"] > 5 and r["cn"] is not None]
    assert expected, "generator should produce matching rows"
    assert shown == expected


def test_show_limit_caps_rows(stream, run_inlet):
    stream.generate(2, 30)
    assert stream.ingest().rc == 0
    run = run_inlet("show", stream.table, "--limit", "7", "--format", "json")
    assert run.rc == 0, run.stderr
    assert len([line for line in run.stdout.splitlines() if line.strip()]) == 7


def test_history_prints_one_line_per_commit(stream, run_inlet):
    paths = stream.generate(3, 20)
    assert stream.ingest("--option", "cloudFiles.maxFilesPerTrigger=1").rc == 0
    run = run_inlet("history", stream.table)
    assert run.rc == 0, run.stderr
    lines = [line for line in run.stdout.splitlines() if re.match(r"\s*\d+\b", line)]
    commits = delta_commits(stream.table)
    assert len(lines) == len(commits), run.stdout
    by_version = {int(re.match(r"\s*(\d+)", line).group(1)): line for line in lines}
    assert sorted(by_version) == [c["version"] for c in commits]
    for commit in data_commits(stream.table):
        # Each file batch added 20 rows; the line shows that count.
        assert re.search(r"\b20\b", by_version[commit["version"]]), by_version[commit["version"]]
    assert len(data_commits(stream.table)) == len(paths)


def test_schema_option_is_enforced(stream, run_inlet):
    paths = stream.generate(2, 25)
    run = stream.ingest("--schema", "device_id BIGINT, temp DOUBLE", infer=False)
    assert run.rc == 0, run.stderr
    schema = [("device_id", "long"), ("temp", "double")]
    assert delta_schema(stream.table) == schema
    assert_rows_equal(delta_rows(stream.table), expected_rows(paths, schema), "delta-rs")
    shown = run_inlet("schema", stream.table)
    assert shown.stdout.rstrip() == tree_of(schema).rstrip()


def test_value_that_does_not_fit_the_schema_becomes_null(stream):
    path = stream.landing / "odd.json"
    path.write_text('{"device_id": 1, "temp": 20.5}\n'
                    '{"device_id": 2, "temp": "hot"}\n'
                    '{"device_id": "three", "temp": 7}\n'
                    '{"device_id": 4}\n')
    run = stream.ingest("--schema", "device_id BIGINT, temp DOUBLE", infer=False)
    assert run.rc == 0, run.stderr
    # Not delta_rows(): one device_id is null, so sort nulls last by hand.
    rows = sorted(_rows_any_order(stream.table),
                  key=lambda r: (r["device_id"] is None, r["device_id"] or 0))
    assert rows == [{"device_id": 1, "temp": 20.5}, {"device_id": 2, "temp": None},
                    {"device_id": 4, "temp": None}, {"device_id": None, "temp": 7.0}]


def _rows_any_order(table):
    from deltalake import DeltaTable

    return DeltaTable(str(table)).to_pyarrow_table().to_pylist()


def test_second_ingest_on_the_same_checkpoint_is_refused(stream, big_landing):
    landing, _ = big_landing
    stream.landing = landing
    first = stream.popen("--option", "cloudFiles.maxFilesPerTrigger=1")
    try:
        # Wait for the first progress line: the first run holds the checkpoint and has
        # ~39 more batches to go.
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(l) for l in first.stderr], daemon=True).start()
        lines.get(timeout=120)
        assert first.poll() is None, "first run finished too fast to test the lock"
        second = stream.ingest("--option", "cloudFiles.maxFilesPerTrigger=1", timeout=120)
        assert first.poll() is None, "first run ended before the second was refused"
        assert second.rc != 0
        assert re.search(r"lock|in use", second.stderr, re.IGNORECASE), second.stderr
        assert "checkpoint" in second.stderr.lower(), second.stderr
    finally:
        if first.poll() is None:
            first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)
