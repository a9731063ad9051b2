# Exactly-once loading: re-runs load nothing twice, new files load once, batches follow
# maxFilesPerTrigger and the trigger, and SIGKILL at any moment loses and duplicates nothing.
import random
import signal
import time

import pytest

from inlet_testlib import (adds, assert_rows_equal, commit_rows, data_commits, delta_commits,
                           delta_rows, device_ids, expected_rows, source_ids)


def test_second_run_loads_nothing(stream):
    paths = stream.generate(4, 50)
    assert stream.ingest().rc == 0
    commits_before = delta_commits(stream.table)
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    new_commits = delta_commits(stream.table)[len(commits_before):]
    assert all(not adds(c) for c in new_commits), "a re-run must not add data files"
    assert device_ids(stream.table) == source_ids(paths)


def test_new_files_load_exactly_once(stream):
    first = stream.generate(4, 50)
    assert stream.ingest().rc == 0
    batches_before = len(data_commits(stream.table))
    second = stream.generate(2, 50, start_id=201, first_file=5)
    run = stream.ingest()
    assert run.rc == 0, run.stderr
    new_batches = data_commits(stream.table)[batches_before:]
    assert sorted(r["device_id"] for c in new_batches
                  for r in commit_rows(stream.table, c, ["device_id"])) == source_ids(second)
    assert_rows_equal(delta_rows(stream.table), expected_rows(first + second), "delta-rs")


def test_max_files_per_trigger_1_makes_one_commit_per_file(stream):
    paths = stream.generate(5, 30)
    run = stream.ingest("--option", "cloudFiles.maxFilesPerTrigger=1")
    assert run.rc == 0, run.stderr
    commits = data_commits(stream.table)
    assert len(commits) == len(paths)
    per_commit = [sorted(r["device_id"] for r in commit_rows(stream.table, c, ["device_id"]))
                  for c in commits]
    # Each commit holds exactly one whole source file, and each file is in one commit.
    assert sorted(per_commit) == [source_ids([p]) for p in paths]


def ids_per_commit(table):
    """The sorted device ids each data commit added, in commit order."""
    return [sorted(r["device_id"] for r in commit_rows(table, c, ["device_id"]))
            for c in data_commits(table)]


def test_trigger_once_runs_one_batch_of_every_new_file(stream):
    # As in Auto Loader, Trigger.Once ignores the rate limits: one batch takes every new file.
    paths = stream.generate(5, 30)
    run = stream.ingest("--trigger", "once", "--option", "cloudFiles.maxFilesPerTrigger=2")
    assert run.rc == 0, run.stderr
    assert ids_per_commit(stream.table) == [source_ids(paths)]
    # Files that arrive later make exactly one more batch, with only them.
    later = stream.generate(2, 30, start_id=151, first_file=6)
    run = stream.ingest("--trigger", "once", "--option", "cloudFiles.maxFilesPerTrigger=1")
    assert run.rc == 0, run.stderr
    assert ids_per_commit(stream.table) == [source_ids(paths), source_ids(later)]
    assert device_ids(stream.table) == source_ids(paths + later)


@pytest.mark.parametrize("point", ["after_plan", "mid_parse", "after_parquet", "after_commit"])
def test_crash_at_each_step_then_rerun_loads_everything_once(stream, point):
    paths = stream.generate(6, 40)
    crash = {"INLET_TEST_CRASH_AT": point}
    for attempt in range(3):
        run = stream.ingest("--option", "cloudFiles.maxFilesPerTrigger=2", env=crash)
        if run.rc == 0:  # after_commit: nothing left to crash on
            break
        assert run.rc == -signal.SIGKILL, f"attempt {attempt}: rc {run.rc}\n{run.stderr}"
    for _ in range(5):
        run = stream.ingest("--option", "cloudFiles.maxFilesPerTrigger=2")
        if run.rc == 0:
            break
    assert run.rc == 0, run.stderr
    assert_rows_equal(delta_rows(stream.table), expected_rows(paths), f"crash at {point}")
    # Recovery reuses batch ids: the txn versions still count 0, 1, 2, ... without gaps.
    versions = [a["txn"]["version"] for c in data_commits(stream.table) for a in c["actions"]
                if "txn" in a]
    assert versions == list(range(len(versions)))


def test_random_sigkills_lose_and_duplicate_nothing(stream, big_landing):
    landing, paths = big_landing
    stream.landing = landing
    rng = random.Random(20160320)
    args = ("--option", "cloudFiles.maxFilesPerTrigger=3")
    # Kill each run after 0-150 ms until one finishes by itself: a full run takes a few
    # hundred ms, so the stream is interrupted many times at arbitrary points.
    killed = 0
    for _ in range(60):
        proc = stream.popen(*args)
        time.sleep(rng.uniform(0, 0.15))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, -signal.SIGKILL), err
        if proc.returncode == 0:
            break
    assert killed >= 2, "the runs finished before any kill: the test proved nothing"
    run = stream.ingest(*args, timeout=600)
    assert run.rc == 0, run.stderr
    ids = device_ids(stream.table)
    assert len(ids) == len(set(ids)), f"duplicated rows after {killed} SIGKILLs"
    assert ids == source_ids(paths), f"rows lost after {killed} SIGKILLs"
