# Bad input end to end: malformed records in each mode (PERMISSIVE with a corrupt record
# column, DROPMALFORMED, FAILFAST), the bad-records folder, the read = loaded + rescued + bad
# accounting in batch lines and `inlet history`, and awkward files (empty, BOM, CRLF, no
# final newline, invalid UTF-8, oversized lines, deep nesting, gzip/zstd, files still being
# written, rewritten files).
import gzip
import json
import os
import re
import time

import pyarrow as pa
import pytest

from inlet_testlib import gen_iot


def table_rows(table, columns=None):
    """Every row via delta-rs, in no particular order (corrupt rows have null ids)."""
    from deltalake import DeltaTable

    return DeltaTable(str(table)).to_pyarrow_table(columns=columns).to_pylist()


def ids_in(table):
    return sorted(r["device_id"] for r in table_rows(table, ["device_id"]) if r["device_id"] is not None)


def batch_figures(stderr):
    """[{read, loaded, rescued, bad, rows}] per batch line of an ingest's stderr."""
    figures = []
    for m in re.finditer(r"batch \d+: .*?read=(\d+) loaded=(\d+) rescued=(\d+) bad=(\d+) rows=(\d+)", stderr):
        read, loaded, rescued, bad, rows = map(int, m.groups())
        figures.append(dict(read=read, loaded=loaded, rescued=rescued, bad=bad, rows=rows))
    return figures


def bad_record_lines(folder):
    """Every line of every bad_records/part-*.json under `folder`, parsed."""
    lines = []
    for part in sorted(folder.glob("*/bad_records/part-*.json")):
        lines += [json.loads(line) for line in part.read_text().splitlines()]
    return lines


def write_lines(path, lines, newline="\n", final_newline=True, prefix=b""):
    data = newline.join(lines).encode() if isinstance(lines[0], str) else newline.encode().join(lines)
    if final_newline:
        data += newline.encode()
    path.write_bytes(prefix + data)
    return path


def good_lines(start_id, count):
    return [json.dumps({"device_id": i, "temp": 20.5 + i, "cn": f"c{i}"}) for i in range(start_id, start_id + count)]


# Lines that are not records: (text as bytes, the reason's words).
MALFORMED = [
    (b'{"device_id": 900, "temp": ', "invalid JSON"),
    (b'[1, 2, 3]', "array holding a number"),
    (b'{"device_id": 901} trailing', "after the record"),
    (b'{"device_id": 902, "cn": "\xff\xfe"}', "UTF-8"),
]


def mixed_file(path):
    """5 good records with 4 malformed lines between them; returns the malformed lines' numbers."""
    good = [line.encode() for line in good_lines(1, 5)]
    lines = [good[0], MALFORMED[0][0], good[1], MALFORMED[1][0], good[2], MALFORMED[2][0], good[3],
             MALFORMED[3][0], good[4]]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return [2, 4, 6, 8]


def test_permissive_keeps_malformed_records_as_null_rows_with_raw_text_and_saves_them(stream, tmp_path):
    bad_dir = tmp_path / "bad"
    path = stream.landing / "mixed.json"
    bad_lines = mixed_file(path)
    run = stream.ingest("--option", "columnNameOfCorruptRecord=_corrupt_record", "--option", f"badRecordsPath={bad_dir}")
    assert run.rc == 0, run.stderr
    assert batch_figures(run.stderr) == [dict(read=9, loaded=5, rescued=0, bad=4, rows=9)], run.stderr
    assert "4 malformed records; saved in" in run.stderr

    rows = table_rows(stream.table)
    assert len(rows) == 9
    corrupt = [r for r in rows if r["_corrupt_record"] is not None]
    assert len(corrupt) == 4
    for row in corrupt:  # every other column of a corrupt row is null
        assert all(v is None for k, v in row.items() if k != "_corrupt_record"), row
    texts = sorted(r["_corrupt_record"] for r in corrupt)
    # The UTF-8 line's bytes cannot be a Parquet string as they are; the others are verbatim.
    expected = sorted(raw.decode() for raw, _ in MALFORMED[:3])
    assert [t for t in texts if "902" not in t] == expected
    assert ids_in(stream.table) == [1, 2, 3, 4, 5]

    saved = bad_record_lines(bad_dir)
    assert sorted(r["line"] for r in saved) == bad_lines
    offsets = {}
    position = 0
    for number, line in enumerate(path.read_bytes().split(b"\n"), start=1):
        offsets[number] = position
        position += len(line) + 1
    for record in saved:
        assert record["path"] == str(path)
        assert record["byteOffset"] == offsets[record["line"]]
        assert record["batchId"] == 0
    reasons = {r["line"]: r["reason"] for r in saved}
    for (raw, words), line in zip(MALFORMED, bad_lines):
        assert words in reasons[line], (line, reasons[line])


def test_permissive_without_a_corrupt_column_still_keeps_and_counts_the_rows(stream):
    mixed_file(stream.landing / "mixed.json")
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    assert batch_figures(run.stderr) == [dict(read=9, loaded=5, rescued=0, bad=4, rows=9)]
    rows = table_rows(stream.table)
    assert len(rows) == 9 and sum(r["device_id"] is None for r in rows) == 4


def test_dropmalformed_drops_bad_records_but_counts_and_saves_each_once(stream, tmp_path):
    bad_dir = tmp_path / "bad"
    mixed_file(stream.landing / "mixed.json")
    run = stream.ingest("--option", "mode=DROPMALFORMED", "--option", f"badRecordsPath={bad_dir}")
    assert run.rc == 0, run.stderr
    assert batch_figures(run.stderr) == [dict(read=9, loaded=5, rescued=0, bad=4, rows=5)]
    assert ids_in(stream.table) == [1, 2, 3, 4, 5]
    assert len(table_rows(stream.table)) == 5
    assert len(bad_record_lines(bad_dir)) == 4


def test_failfast_commits_nothing_and_writes_no_bad_records(stream, tmp_path):
    bad_dir = tmp_path / "bad"
    path = stream.landing / "mixed.json"
    mixed_file(path)
    run = stream.ingest("--option", "mode=FAILFAST", "--option", f"badRecordsPath={bad_dir}")
    assert run.rc == 1
    first_bad_offset = len(good_lines(1, 1)[0]) + 1
    assert f"{path}:2 (byte {first_bad_offset})" in run.stderr, run.stderr
    assert "invalid JSON" in run.stderr
    assert not (stream.table / "_delta_log").exists() or not list((stream.table / "_delta_log").glob("*.json"))
    assert bad_record_lines(bad_dir) == []


def test_history_reports_read_loaded_rescued_and_bad_per_commit(stream, run_inlet):
    mixed_file(stream.landing / "mixed.json")
    # A mismatch (a string for a long) is rescued, not bad.
    write_lines(stream.landing / "more.json", good_lines(6, 2) + ['{"device_id": "seven", "temp": 1.0, "cn": "x"}'])
    run = stream.ingest("--option", "cloudFiles.maxFilesPerTrigger=1", "--schema", "device_id BIGINT, temp DOUBLE, cn STRING",
                        "--option", "rescuedDataColumn=_rescued_data")
    assert run.rc == 0, run.stderr
    figures = batch_figures(run.stderr)
    assert figures == [dict(read=9, loaded=5, rescued=0, bad=4, rows=9),
                       dict(read=3, loaded=2, rescued=1, bad=0, rows=3)], run.stderr
    assert "(read 12 = loaded 7 + rescued 1 + bad 4)" in run.stderr
    history = run_inlet("history", stream.table)
    assert history.rc == 0, history.stderr
    lines = history.stdout.splitlines()
    assert lines[0].split()[-5:] == ["rows", "read", "loaded", "rescued", "bad"]
    assert lines[1].split()[-5:] == ["3", "3", "2", "1", "0"]
    assert lines[2].split()[-5:] == ["9", "9", "5", "0", "4"]


def test_bad_records_are_saved_exactly_once_when_a_batch_is_redone_after_a_crash(stream, tmp_path):
    bad_dir = tmp_path / "bad"
    mixed_file(stream.landing / "mixed.json")
    options = ("--option", f"badRecordsPath={bad_dir}", "--option", "columnNameOfCorruptRecord=_corrupt_record")
    crashed = stream.ingest(*options, env={"INLET_TEST_CRASH_AT": "after_parquet"})
    assert crashed.rc != 0
    run = stream.ingest(*options)
    assert run.rc == 0, run.stderr
    assert len(bad_record_lines(bad_dir)) == 4
    assert len(list(bad_dir.glob("*/bad_records/part-*.json"))) == 1
    assert len(table_rows(stream.table)) == 9


def test_a_failing_bad_records_write_commits_nothing_and_the_rerun_saves_them(stream, tmp_path):
    bad_dir = tmp_path / "bad"
    mixed_file(stream.landing / "mixed.json")
    options = ("--option", f"badRecordsPath={bad_dir}")
    failed = stream.ingest(*options, env={"INLET_TEST_FAIL_AT": "bad_records_write:ENOSPC"})
    assert failed.rc == 1 and "No space left on device" in failed.stderr, failed.stderr
    assert not list((stream.table / "_delta_log").glob("*.json")) if (stream.table / "_delta_log").exists() else True
    run = stream.ingest(*options)
    assert run.rc == 0, run.stderr
    assert len(bad_record_lines(bad_dir)) == 4 and len(table_rows(stream.table)) == 9


def test_awkward_but_valid_files_load_every_record(stream):
    write_lines(stream.landing / "a-empty.json", [""], final_newline=False)
    (stream.landing / "a-empty.json").write_bytes(b"")
    write_lines(stream.landing / "b-blank.json", ["", "   ", ""])
    write_lines(stream.landing / "c-bom.json", good_lines(1, 2), prefix=b"\xef\xbb\xbf")
    write_lines(stream.landing / "d-crlf.json", good_lines(3, 2), newline="\r\n")
    write_lines(stream.landing / "e-no-final-newline.json", good_lines(5, 2), final_newline=False)
    # Settled (older than inlet.fileSettleTime): an empty file and a last line without
    # newline are what the producer meant, not a file still being written.
    settled = time.time() - 60
    for name in ("a-empty.json", "e-no-final-newline.json"):
        os.utime(stream.landing / name, (settled, settled))
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    assert ids_in(stream.table) == [1, 2, 3, 4, 5, 6]
    assert batch_figures(run.stderr) == [dict(read=6, loaded=6, rescued=0, bad=0, rows=6)]


def test_compressed_files_load_like_plain_ones(stream):
    import pyarrow as pa  # noqa: F811  (zstd through Arrow's codec, as the engine reads it)

    gz = stream.landing / "part-1.json.gz"
    gz.write_bytes(gzip.compress(("\n".join(good_lines(1, 50)) + "\n").encode()))
    raw = ("\n".join(good_lines(51, 50)) + "\n").encode()
    zst = stream.landing / "part-2.json.zst"
    with pa.CompressedOutputStream(str(zst), "zstd") as out:
        out.write(raw)
    args = ["--source", f"{stream.landing}/*", "--table", stream.table, "--checkpoint", stream.checkpoint,
            "--option", "cloudFiles.inferColumnTypes=true", "--option", f"cloudFiles.schemaLocation={stream.checkpoint}"]
    run = stream.run_inlet("ingest", *args)
    assert run.rc == 0, run.stderr
    assert ids_in(stream.table) == list(range(1, 101))


def test_a_truncated_gzip_file_fails_naming_it_and_loads_once_replaced(stream):
    data = gzip.compress(("\n".join(good_lines(1, 2000)) + "\n").encode())
    path = stream.landing / "cut.json.gz"
    path.write_bytes(data[: len(data) // 2])
    args = ["--source", f"{stream.landing}/*.gz", "--table", stream.table, "--checkpoint", stream.checkpoint,
            "--option", "cloudFiles.schemaLocation=" + str(stream.checkpoint), "--schema", "device_id BIGINT, temp DOUBLE, cn STRING"]
    run = stream.run_inlet("ingest", *args)
    assert run.rc == 1 and "cut.json.gz" in run.stderr, run.stderr
    path.write_bytes(data)
    run = stream.run_inlet("ingest", *args)
    assert run.rc == 0, run.stderr
    assert ids_in(stream.table) == list(range(1, 2001))


def test_an_oversized_line_is_a_bad_record_not_an_out_of_memory(stream, tmp_path):
    bad_dir = tmp_path / "bad"
    huge = json.dumps({"device_id": 99, "cn": "x" * (3 << 20)})
    write_lines(stream.landing / "big.json", good_lines(1, 2) + [huge] + good_lines(3, 2))
    run = stream.ingest("--option", "inlet.maxRecordBytes=1m", "--option", f"badRecordsPath={bad_dir}",
                        "--option", "mode=DROPMALFORMED", "--schema", "device_id BIGINT, temp DOUBLE, cn STRING")
    assert run.rc == 0, run.stderr
    assert ids_in(stream.table) == [1, 2, 3, 4]
    [saved] = bad_record_lines(bad_dir)
    assert saved["line"] == 3 and "inlet.maxRecordBytes" in saved["reason"] and saved["recordTruncated"]
    assert len(saved["record"]) < len(huge)


def test_deep_nesting_is_a_bad_record_with_a_clear_reason(stream, tmp_path):
    bad_dir = tmp_path / "bad"
    deep = '{"device_id": 77, "n": ' + "[" * 5000 + "]" * 5000 + "}"
    write_lines(stream.landing / "deep.json", good_lines(1, 2) + [deep])
    run = stream.ingest("--option", f"badRecordsPath={bad_dir}")
    assert run.rc == 0, run.stderr
    [saved] = bad_record_lines(bad_dir)
    assert "nesting deeper than 256" in saved["reason"], saved["reason"]
    assert ids_in(stream.table) == [1, 2]


def test_a_file_still_being_written_is_left_for_a_later_run_then_loaded_whole(stream):
    write_lines(stream.landing / "a.json", good_lines(1, 3))
    growing = write_lines(stream.landing / "b.json", good_lines(4, 3))
    # The plan is written, then the run dies; the producer appends before the next run.
    crashed = stream.ingest(env={"INLET_TEST_CRASH_AT": "after_plan"})
    assert crashed.rc != 0
    with growing.open("a") as out:
        out.write("\n".join(good_lines(7, 3)) + "\n")
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    assert f"'{growing}' changed since it was listed" in run.stderr, run.stderr
    assert ids_in(stream.table) == list(range(1, 10)), "the grown file was loaded whole, once"
    again = stream.ingest()
    assert again.rc == 0 and ids_in(stream.table) == list(range(1, 10))


def test_rewritten_files_are_ignored_unless_allow_overwrites(stream):
    path = write_lines(stream.landing / "a.json", good_lines(1, 3))
    assert stream.ingest().rc == 0
    write_lines(path, good_lines(10, 2))
    later = time.time() + 5
    os.utime(path, (later, later))
    assert stream.ingest().rc == 0
    assert ids_in(stream.table) == [1, 2, 3], "a rewrite is ignored by default"
    run = stream.ingest("--option", "cloudFiles.allowOverwrites=true")
    assert run.rc == 0, run.stderr
    assert ids_in(stream.table) == [1, 2, 3, 10, 11]
    assert stream.ingest("--option", "cloudFiles.allowOverwrites=true").rc == 0
    assert ids_in(stream.table) == [1, 2, 3, 10, 11], "loaded again only once per rewrite"


def test_a_corrupt_column_that_clashes_with_data_is_refused(stream):
    write_lines(stream.landing / "a.json", [json.dumps({"device_id": 1, "_corrupt_record": "x"})])
    run = stream.ingest("--option", "columnNameOfCorruptRecord=_corrupt_record")
    assert run.rc == 1
    assert "columnNameOfCorruptRecord" in run.stderr, run.stderr
