# Injected I/O failures at each step of a batch, and a real full disk: the run fails naming
# the step, nothing of the failed batch is visible, and a plain re-run loads it exactly once.
import os
import re
import shutil
import subprocess

import pytest

from chaos_harness import (EXIT_FAILURE, FAIL_POINTS, check_delta_log, check_rerun_loads_nothing,
                           check_table, ingest_options, log_versions, malformed_enabled,
                           new_stream, run_to_completion)

ENOSPC_TEXT = "No space left on device"

FAILURES = [*FAIL_POINTS, "parquet_write:ENOSPC", "delta_commit:ENOSPC",
            pytest.param("bad_records_write", marks=pytest.mark.skipif(
                not malformed_enabled(), reason="needs malformed lines (INLET_CHAOS_MALFORMED=0 turned them off)"))]


class Case:
    """One stream over the chaos data set in a fresh folder."""

    def __init__(self, config, root):
        self.config = config
        self.data = config.data
        self.landing = root / "landing"
        self.landing.mkdir(parents=True)
        self.stream = new_stream(config.inlet_bin, self.landing, root)
        self.bad_records_dir = root / "bad_records"
        self.args = ingest_options(config.malformed, self.bad_records_dir)
        self.landed = []

    def land(self, names):
        self.data.land(names, self.landing)
        self.landed += [n for n in names if n not in self.landed]

    def check(self, names=None):
        """The table holds exactly the records of `names` (default: every landed file, and
        then the bad-records folder too; see check_table)."""
        expected = self.data.records_in(self.landed if names is None else names)
        return check_table(self.stream.table, self.landing, expected, self.config.malformed,
                           self.bad_records_dir if names is None else None)

    def complete_and_check(self):
        run_to_completion(self.stream, self.args)
        self.check()

    def finish_everything(self):
        """Lands the rest of the data set, completes and checks all of it."""
        self.land(self.data.files)
        self.complete_and_check()
        check_rerun_loads_nothing(self.stream, self.args)


@pytest.fixture
def scratch(chaos_root, request):
    # The test id's brackets would be glob syntax in --source.
    root = chaos_root / ("case-" + re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("point", FAILURES)
@pytest.mark.parametrize("when", ["first_run", "later_run"])
def test_injected_failure_fails_cleanly_then_rerun_loads_exactly_once(chaos_config, scratch,
                                                                      point, when):
    case = Case(chaos_config, scratch)
    data = case.data
    half = len(data.initial) // 2
    step = point.split(":")[0]
    committed_before = []
    if when == "later_run":
        case.land(data.initial[:half])
        case.complete_and_check()
        committed_before = list(case.landed)
        # A schema version is written on drift: the late files bring a new column.
        case.land(data.late[:1] if step == "schema_write" else data.initial[half:])
    else:
        case.land(data.initial[:half])
    versions_before = log_versions(case.stream.table)

    run = case.stream.ingest(*case.args, env={"INLET_TEST_FAIL_AT": point})
    assert run.rc == EXIT_FAILURE, f"rc {run.rc}\n{run.stderr}"
    assert f"injected failure at {step}" in run.stderr, run.stderr
    if point.endswith(":ENOSPC"):
        assert ENOSPC_TEXT in run.stderr, run.stderr
    # Nothing half-visible: no new version, and the table reads the same rows as before.
    assert log_versions(case.stream.table) == versions_before
    if committed_before:
        case.check(committed_before)

    case.complete_and_check()
    case.finish_everything()


def mount_tmpfs(path, size):
    """Mounts a tmpfs of `size` at `path`; the error text when that is not allowed."""
    path.mkdir(parents=True)
    try:
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return str(e)
    return None if proc.returncode == 0 else (proc.stderr.strip() or f"rc {proc.returncode}")


def free_bytes(path):
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize


# Free space left on the full disk when the rest of the data set lands: the disk fills in
# RocksDB (state store open / write), a data file, a Delta commit or a schema version.
FREE_KB = [0, 8, 24, 64, 128, 192]


@pytest.mark.parametrize("free_kb", FREE_KB)
def test_a_full_disk_fails_cleanly_then_rerun_after_freeing_space_loads_exactly_once(
        chaos_config, scratch, free_kb):
    disk = scratch / "disk"
    error = mount_tmpfs(disk, "8m")
    if error:
        pytest.skip(f"cannot mount a tmpfs here ({error}); the injected ENOSPC cases cover the "
                    f"error path")
    try:
        case = Case(chaos_config, scratch)
        case.stream.table = disk / "table"
        case.stream.checkpoint = disk / "checkpoint"
        data = case.data
        case.land(data.initial[:3])
        case.complete_and_check()
        filler = disk / "filler"
        with open(filler, "wb") as f:
            f.write(b"\0" * max(0, free_bytes(disk) - free_kb * 1024))
        case.land(data.files)

        for _ in range(3):  # a schema change (exit 3) may come before the disk is full
            run = case.stream.ingest(*case.args)
            if run.rc != 3:
                break
        assert run.rc == EXIT_FAILURE, f"rc {run.rc}\n{run.stderr}"
        assert ENOSPC_TEXT in run.stderr, run.stderr
        # Whatever was committed is whole files, each exactly once, readable by every reader.
        check_delta_log(case.stream.table)
        case.check(_committed(case))

        filler.unlink()
        case.complete_and_check()
        check_rerun_loads_nothing(case.stream, case.args)
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def _committed(case):
    """The files the table's commits hold rows of (each file is one whole batch here)."""
    from deltalake import DeltaTable

    ids = set(DeltaTable(str(case.stream.table)).to_pyarrow_table(
        columns=["device_id"]).column("device_id").to_pylist())
    return sorted({r.file for i, r in case.data.records.items() if i in ids})
