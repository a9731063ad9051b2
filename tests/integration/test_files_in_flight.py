# Files still being written when a run lists or loads them (issue 12): a torn, fresh file
# waits (inlet.fileSettleTime); a loaded file that changes later is reported (warning,
# batch line, commit metrics, state); cloudFiles.allowOverwrites loads its new version and
# inlet.loadAppendedBytes only its appended lines; a bad listing entry never stops a run.
import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from inlet_testlib import delta_commits, inlet_env

SETTLED = time.time() - 3600  # an hour ago: older than any settle time


def lines(start, count):
    return "".join(json.dumps({"device_id": i, "temp": 20.5 + i}) + "\n" for i in range(start, start + count))


def write(path, text, mtime=SETTLED):
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def append(path, text, mtime=None):
    """Appends `text`; the modification time moves (by default one second past the old one,
    so the change is seen whatever the file system's timestamp granularity)."""
    before = path.stat().st_mtime
    with path.open("a") as out:
        out.write(text)
    mtime = mtime if mtime is not None else max(time.time(), before + 1)
    os.utime(path, (mtime, mtime))


def ids(table):
    live = {a["add"]["path"] for c in delta_commits(table) for a in c["actions"] if "add" in a}
    rows = []
    for rel in live:
        rows += pq.read_table(Path(table) / rel, columns=["device_id"]).column("device_id").to_pylist()
    return sorted(r for r in rows if r is not None)


def batch_lines(stderr):
    return re.findall(r"^batch \d+: .*$", stderr, flags=re.M)


def last_metrics(table):
    commits = [c for c in delta_commits(table) if any("add" in a for a in c["actions"]) or
               any("txn" in a for a in c["actions"])]
    info = [a["commitInfo"] for a in commits[-1]["actions"] if "commitInfo" in a][0]
    return info["operationMetrics"]


def test_a_torn_fresh_file_waits_and_is_then_loaded_whole(stream):
    write(stream.landing / "a.json", lines(1, 2))
    torn = write(stream.landing / "b.json", lines(3, 2) + '{"device_id": 5, "te', mtime=None)
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    assert f"note: '{torn}' is still being written" in run.stderr, run.stderr
    assert "1 still being written" in run.stderr
    assert ids(stream.table) == [1, 2], "the torn file was not loaded torn"
    append(torn, 'mp": 25.5}\n')
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    assert ids(stream.table) == [1, 2, 3, 4, 5]
    assert "bad=0" in batch_lines(run.stderr)[0], run.stderr


def test_a_fresh_empty_file_waits_for_its_first_line(stream):
    empty = write(stream.landing / "a.json", "", mtime=None)
    run = stream.ingest("--schema", "device_id BIGINT, temp DOUBLE")
    assert run.rc == 0, run.stderr
    assert "still being written" in run.stderr
    append(empty, lines(1, 2))
    assert stream.ingest("--schema", "device_id BIGINT, temp DOUBLE").rc == 0
    assert ids(stream.table) == [1, 2]


def test_a_torn_file_older_than_the_settle_time_loads_its_last_line_as_a_record(stream):
    write(stream.landing / "a.json", lines(1, 2) + '{"device_id": 3}')
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    assert ids(stream.table) == [1, 2, 3]
    # With no settle time even a fresh torn file loads at once (its torn line is bad).
    write(stream.landing / "b.json", lines(4, 1) + '{"device_id": 5, "te', mtime=None)
    run = stream.ingest("--option", "inlet.fileSettleTime=0")
    assert run.rc == 0, run.stderr
    assert "bad=1" in batch_lines(run.stderr)[0], run.stderr


def test_growth_after_load_is_a_warning_a_count_and_a_state(stream):
    path = write(stream.landing / "a.json", lines(1, 3))
    assert stream.ingest().rc == 0
    append(path, lines(4, 2))
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    assert re.search(rf"warning: '{re.escape(str(path))}' changed after batch 0 loaded it "
                     rf"\(\d+ bytes loaded, \d+ now\): its new version is not loaded", run.stderr), run.stderr
    assert "1 changed after load" in run.stderr
    assert ids(stream.table) == [1, 2, 3]
    again = stream.ingest()
    assert again.rc == 0
    assert "warning:" not in again.stderr, "each change is reported once"
    assert "1 changed after load" in again.stderr, "the state stays visible"


def paused_run(stream, point, tmp_path, *options):
    """Starts an ingest that stops at `point`; returns (process, release file)."""
    release = tmp_path / f"release-{point}"
    proc = stream.popen(*options, env={"INLET_TEST_PAUSE_AT": f"{point}:{release}"})
    reached = Path(str(release) + ".reached")
    deadline = time.time() + 60
    while not reached.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.time() < deadline, "the run never reached the pause point"
        time.sleep(0.02)
    return proc, release


@pytest.mark.parametrize("point,in_commit_metrics", [("after_parquet", 1), ("after_commit", 0)])
def test_an_append_while_the_batch_commits_is_reported(stream, tmp_path, point, in_commit_metrics):
    path = write(stream.landing / "a.json", lines(1, 3))
    proc, release = paused_run(stream, point, tmp_path)
    append(path, lines(4, 2))
    release.touch()
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert f"warning: batch 0: '{path}' changed after it was read" in stderr, stderr
    assert "changed_after_load=1" in batch_lines(stderr)[0], stderr
    assert "1 changed after load" in stderr
    assert last_metrics(stream.table)["numChangedSourceFiles"] == str(in_commit_metrics)
    assert ids(stream.table) == [1, 2, 3]
    # The state remembers the change: the next listing does not warn about it again.
    again = stream.ingest()
    assert again.rc == 0 and "warning:" not in again.stderr, again.stderr


def test_allow_overwrites_loads_a_file_that_grew_during_its_commit_again(stream, tmp_path):
    path = write(stream.landing / "a.json", lines(1, 3))
    proc, release = paused_run(stream, "after_commit", tmp_path)
    append(path, lines(4, 2))
    release.touch()
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    run = stream.ingest("--option", "cloudFiles.allowOverwrites=true")
    assert run.rc == 0, run.stderr
    assert ids(stream.table) == [1, 1, 2, 2, 3, 3, 4, 5], "the new version is loaded whole, as Auto Loader does"


def test_load_appended_bytes_loads_exactly_the_appended_rows_once(stream, tmp_path):
    opts = ("--option", "inlet.loadAppendedBytes=true")
    path = write(stream.landing / "a.json", lines(1, 3))
    assert stream.ingest(*opts).rc == 0
    append(path, lines(4, 2))
    run = stream.ingest(*opts)
    assert run.rc == 0, run.stderr
    assert "read=2" in batch_lines(run.stderr)[0], run.stderr
    assert ids(stream.table) == [1, 2, 3, 4, 5]
    assert stream.ingest(*opts).rc == 0
    assert ids(stream.table) == [1, 2, 3, 4, 5], "nothing is loaded twice"
    # An append that lands while the next append commits is loaded by the run after.
    append(path, lines(6, 1))
    proc, release = paused_run(stream, "after_parquet", tmp_path, *opts)
    append(path, lines(7, 1))
    release.touch()
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert "changed_after_load=1" in stderr, stderr
    assert ids(stream.table) == [1, 2, 3, 4, 5, 6]
    run = stream.ingest(*opts)
    assert run.rc == 0, run.stderr
    assert ids(stream.table) == [1, 2, 3, 4, 5, 6, 7]


def test_load_appended_bytes_refuses_a_file_whose_loaded_part_changed(stream):
    opts = ("--option", "inlet.loadAppendedBytes=true")
    path = write(stream.landing / "a.json", lines(1, 3))
    assert stream.ingest(*opts).rc == 0
    write(path, lines(11, 3) + lines(4, 2), mtime=time.time())
    run = stream.ingest(*opts)
    assert run.rc == 0, run.stderr
    assert f"'{path}' changed after batch 0 loaded it" in run.stderr
    assert "no longer its beginning" in run.stderr, run.stderr
    assert ids(stream.table) == [1, 2, 3]


@pytest.mark.parametrize("crash_at", ["after_plan", "after_parquet", "after_commit"])
def test_load_appended_bytes_is_exactly_once_across_a_crash(stream, crash_at):
    opts = ("--option", "inlet.loadAppendedBytes=true")
    path = write(stream.landing / "a.json", lines(1, 3))
    assert stream.ingest(*opts).rc == 0
    append(path, lines(4, 2))
    crashed = stream.ingest(*opts, env={"INLET_TEST_CRASH_AT": crash_at})
    assert crashed.rc != 0
    # It grows again before the rerun: a plan redone sees a changed file and leaves it for
    # later, without forgetting what was already loaded.
    append(path, lines(6, 1))
    run = stream.ingest(*opts)
    assert run.rc == 0, run.stderr
    if crash_at != "after_commit":
        assert f"'{path}' changed since it was listed" in run.stderr, "the redone plan deferred it"
    assert stream.ingest(*opts).rc == 0
    assert ids(stream.table) == [1, 2, 3, 4, 5, 6]


def test_a_looping_symlink_does_not_stop_the_stream(stream):
    write(stream.landing / "a.json", lines(1, 2))
    os.symlink(stream.landing / "loop.json", stream.landing / "loop.json")
    os.symlink(stream.landing / "other", stream.landing / "other")  # loops, does not match *.json
    os.symlink(stream.landing / "nowhere", stream.landing / "dangling.json")
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    assert ids(stream.table) == [1, 2]
    assert f"warning: listing: cannot examine '{stream.landing / 'loop.json'}' (Too many levels of symbolic links)" \
        in run.stderr, run.stderr
    assert "other" not in run.stderr and "dangling" not in run.stderr, run.stderr
    write(stream.landing / "b.json", lines(3, 1))
    again = stream.ingest()
    assert again.rc == 0 and ids(stream.table) == [1, 2, 3]


def test_an_unreadable_directory_does_not_stop_the_stream(inlet_bin):
    # Root reads any directory: the run drops to nobody, in a tree nobody may write to.
    root = Path(tempfile.mkdtemp(prefix="inlet-unreadable-"))
    try:
        os.chmod(root, 0o777)
        landing = root / "landing"
        (landing / "ok").mkdir(parents=True)
        (landing / "locked").mkdir()
        write(landing / "ok" / "a.json", lines(1, 2))
        write(landing / "locked" / "b.json", lines(3, 1))
        for d in (landing, landing / "ok"):
            os.chmod(d, 0o777)
        os.chmod(landing / "locked", 0)
        args = [str(inlet_bin), "ingest", "--source", f"{landing}/*/*.json", "--table", str(root / "table"),
                "--checkpoint", str(root / "checkpoint"), "--schema", "device_id BIGINT, temp DOUBLE"]
        demote = None
        if os.geteuid() == 0:
            def demote():
                os.setgid(65534)
                os.setuid(65534)
        proc = subprocess.run(args, capture_output=True, text=True, env=inlet_env(), preexec_fn=demote, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert f"warning: listing: cannot examine '{landing / 'locked'}' (Permission denied)" in proc.stderr, \
            proc.stderr
        assert ids(root / "table") == [1, 2]
    finally:
        os.chmod(root / "landing" / "locked", 0o755)
        subprocess.run(["rm", "-rf", str(root)])
