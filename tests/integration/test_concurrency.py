# Two `inlet ingest` at once: on one checkpoint the second refuses while the first completes;
# on two checkpoints writing one table both finish (optimistic concurrency) and no row is lost
# or doubled, also when both race to create the table.
import json
import os
import random
import signal
import time
from pathlib import Path

import pytest

from inlet_testlib import (Stream, assert_rows_equal, check_delta_log, delta_commits, delta_rows,
                           device_ids, duckdb_rows, expected_rows, gen_iot, source_ids, txn)

SMALL_BATCHES = ("--option", "cloudFiles.maxFilesPerTrigger=1", "--option", "inlet.threads=1")


def wait_until(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return False


def test_second_ingest_on_a_checkpoint_in_use_refuses_and_the_first_completes(stream,
                                                                               big_landing):
    landing, paths = big_landing
    stream.landing = landing
    first = stream.popen(*SMALL_BATCHES)
    # offsets/0 is written under the lock, so from then on the first run holds it.
    planned = stream.checkpoint / "offsets" / "0"
    wait_until(lambda: planned.exists() or first.poll() is not None, 60)
    assert first.poll() is None, "the first run ended before the second could start"

    started = time.monotonic()
    second = stream.ingest(*SMALL_BATCHES, timeout=60)
    took = time.monotonic() - started
    first_was_running = first.poll() is None

    assert second.rc == 1, second.stderr
    assert "is in use" in second.stderr and str(stream.checkpoint) in second.stderr, second.stderr
    assert took < 5, f"the refusal took {took:.1f}s"
    assert first_was_running, "the first run ended while the second ran: the test proved nothing"
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert device_ids(stream.table) == source_ids(paths)


class SharedTable:
    """Streams with their own landing folder and checkpoint, all writing `table`."""

    def __init__(self, run_inlet, inlet_bin, root, names):
        self.table = root / "table"
        self.streams = {}
        for name in names:
            landing = root / name / "landing"
            landing.mkdir(parents=True)
            stream = Stream(run_inlet, inlet_bin, landing, root / name)
            stream.table = self.table
            self.streams[name] = stream
        self.paths = {name: [] for name in names}

    def run_all_at_once(self, *extra):
        """Starts every stream, then waits for all; returns {name: (rc, stderr)}."""
        procs = {name: s.popen(*extra) for name, s in self.streams.items()}
        errors = {name: p.communicate(timeout=600)[1] for name, p in procs.items()}
        return {name: (p.returncode, errors[name]) for name, p in procs.items()}

    def stream_of_commit(self):
        """The stream (by name) that made each data commit, in version order."""
        ids = {json.loads((s.checkpoint / "metadata").read_text())["id"]: name
               for name, s in self.streams.items()}
        return [ids[txn(c)["appId"]] for c in delta_commits(self.table) if txn(c)]


def add_site_column(paths):
    """Rewrites gen_iot files with one more field, "site", so this stream's schema is wider."""
    for path in paths:
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        for row in rows:
            row["site"] = f"site-{row['device_id'] % 7}"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))


@pytest.mark.parametrize("streams,schemas", [(2, "same"), (2, "last_stream_adds_a_column"),
                                             (4, "same")])
def test_streams_write_one_table_at_once_and_lose_no_row(run_inlet, inlet_bin, tmp_path, streams,
                                                         schemas):
    names = [chr(ord("a") + i) for i in range(streams)]
    shared = SharedTable(run_inlet, inlet_bin, tmp_path, names)
    files = 8
    interleaved_rounds = 0
    # Round 0 starts on a table that does not exist yet: all race to create version 0.
    for round_no in range(3):
        for offset, (name, stream) in enumerate(shared.streams.items()):
            start_id = 1 + offset * 1_000_000 + round_no * 1_000
            new = gen_iot.generate(stream.landing, files, 25, seed=round_no * 10 + offset,
                                   start_id=start_id, first_file=round_no * files + 1)
            if name == names[-1] and schemas == "last_stream_adds_a_column":
                add_site_column(new)
            shared.paths[name] += new
        results = shared.run_all_at_once(*SMALL_BATCHES)
        for name, (rc, err) in results.items():
            assert rc == 0, f"round {round_no}, stream {name}: rc {rc}\n{err}"

        check_delta_log(shared.table, single_stream=False)
        all_paths = [p for paths in shared.paths.values() for p in paths]
        assert device_ids(shared.table) == source_ids(all_paths), f"round {round_no}"
        writers = shared.stream_of_commit()
        assert sorted(writers) == [n for n in names for _ in range(files * (round_no + 1))]
        this_round = writers[-files * streams:]
        if sum(x != y for x, y in zip(this_round, this_round[1:])) > streams - 1:
            interleaved_rounds += 1

    all_paths = [p for paths in shared.paths.values() for p in paths]
    if schemas == "same":
        expected = expected_rows(all_paths)
        assert_rows_equal(delta_rows(shared.table), expected, "delta-rs")
        assert_rows_equal(duckdb_rows(shared.table), expected, "duckdb delta_scan")
    else:
        sites = {r["device_id"]: r["site"] for r in delta_rows(shared.table, ["device_id", "site"])}
        for name, paths in shared.paths.items():
            for device_id in source_ids(paths):
                want = f"site-{device_id % 7}" if name == names[-1] else None
                assert sites[device_id] == want, (device_id, sites[device_id])
        assert len(duckdb_rows(shared.table)) == len(sites)
    # Streams committing in turns is what exercises the lost-race retry.
    assert interleaved_rounds >= 1, "the streams never committed in turns: nothing raced"


def test_both_streams_race_to_create_the_table(run_inlet, inlet_bin, tmp_path):
    for attempt in range(5):
        shared = SharedTable(run_inlet, inlet_bin, tmp_path / str(attempt), ["a", "b"])
        for offset, (name, stream) in enumerate(shared.streams.items()):
            shared.paths[name] = gen_iot.generate(stream.landing, 2, 20, seed=attempt,
                                                  start_id=1 + offset * 1000)
        results = shared.run_all_at_once(*SMALL_BATCHES)
        for name, (rc, err) in results.items():
            assert rc == 0, f"attempt {attempt}, stream {name}: rc {rc}\n{err}"
        check_delta_log(shared.table, single_stream=False)
        commits = delta_commits(shared.table)
        # Exactly one commit created the table (protocol + metaData); the other stream's
        # first commit, which lost the race for version 0, went in later without them.
        creating = [c["version"] for c in commits
                    if any("protocol" in a or "metaData" in a for a in c["actions"])]
        assert creating == [0], creating
        expected = expected_rows(shared.paths["a"] + shared.paths["b"])
        assert_rows_equal(delta_rows(shared.table), expected, f"attempt {attempt}")
        assert Path(shared.table, "_delta_log", "00000000000000000000.json").exists()


def kill_after_batches(proc, batches, delay):
    """SIGKILLs `proc` `delay` seconds after it reported `batches` committed batches (its
    "batch N:" lines); returns whether it was killed or had ended first."""
    seen = 0
    for line in proc.stderr:
        seen += line.startswith("batch ")
        if seen >= batches:
            time.sleep(delay)
            os.killpg(proc.pid, signal.SIGKILL)
            return True
    return False


def test_a_writer_killed_while_another_commits_loses_and_duplicates_nothing(run_inlet, inlet_bin,
                                                                             tmp_path):
    shared = SharedTable(run_inlet, inlet_bin, tmp_path, ["a", "b"])
    a, b = shared.streams["a"], shared.streams["b"]
    shared.paths["a"] = gen_iot.generate(a.landing, 12, 25, seed=1)
    rng = random.Random(1458444054)
    killed = 0
    for round_no in range(5):  # b loads new files while a is started and killed at random
        shared.paths["b"] += gen_iot.generate(b.landing, 3, 25, seed=2, first_file=round_no * 3 + 1,
                                              start_id=1_000_000 + round_no * 1_000)
        other = b.popen(*SMALL_BATCHES)
        victim = a.popen(*SMALL_BATCHES)
        # Killed by progress, not by the clock: a fast machine would finish before any
        # fixed delay, and the test would prove nothing.
        killed += kill_after_batches(victim, rng.randint(1, 2), rng.uniform(0, 0.02))
        victim.communicate(timeout=600)
        _, err = other.communicate(timeout=600)
        assert other.returncode == 0, err
    run = a.ingest(*SMALL_BATCHES)
    assert run.rc == 0, run.stderr
    assert killed >= 2, "the victim finished before any kill: the test proved nothing"
    check_delta_log(shared.table, single_stream=False)
    expected = expected_rows(shared.paths["a"] + shared.paths["b"])
    assert_rows_equal(delta_rows(shared.table), expected, "delta-rs")
