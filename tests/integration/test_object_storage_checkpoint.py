"""A stream whose checkpoint is on S3 (moto's server): the checkpoint there is the truth, the
local RocksDB folder (under INLET_CACHE_DIR) only a working copy, and the run's lock a lease
of numbered terms. A SIGKILL anywhere, then a run on a machine with an empty cache, loads
every record exactly once."""
import subprocess
import time

import pytest

from inlet_testlib import assert_rows_equal, expected_rows, gen_iot, inlet_env, run_inlet_binary
from test_object_storage import bucket_name, deltars_rows, files_loaded, upload_landing


def stream(inlet_bin, s3, bucket, cache, extra_env=None, *extra_args):
    args = ["ingest", "--source", f"s3://{bucket}/landing", "--table", f"s3://{bucket}/t",
            "--checkpoint", f"s3://{bucket}/checkpoint", "--option", "cloudFiles.inferColumnTypes=true",
            "--option", f"cloudFiles.schemaLocation=s3://{bucket}/checkpoint", *extra_args]
    env = {**s3.env(), "INLET_CACHE_DIR": str(cache), **(extra_env or {})}
    return run_inlet_binary(inlet_bin, *args, env=env)


def test_a_checkpoint_on_s3_resumes_on_a_new_machine_and_on_a_stale_one(inlet_bin, s3, tmp_path):
    bucket = s3.create_bucket(bucket_name("ckpt"))
    first = gen_iot.generate(tmp_path / "local", 2, 40)
    upload_landing(s3, bucket, first)
    run = stream(inlet_bin, s3, bucket, tmp_path / "machine-a")
    assert run.rc == 0 and files_loaded(run) == 2, run.stderr
    keys = s3.keys(bucket, "checkpoint/")
    for key in ("checkpoint/metadata", "checkpoint/offsets/0", "checkpoint/commits/0",
                "checkpoint/sources/0/changes/0", "checkpoint/_schemas/0"):
        assert key in keys, keys
    assert [k for k in keys if k.startswith("checkpoint/lock/")] == ["checkpoint/lock/1"], "released on exit"

    second = gen_iot.generate(tmp_path / "local", 1, 40, start_id=50_000, first_file=3)
    upload_landing(s3, bucket, second)
    elsewhere = stream(inlet_bin, s3, bucket, tmp_path / "machine-b")  # an empty cache
    assert elsewhere.rc == 0 and files_loaded(elsewhere) == 1, elsewhere.stderr
    # Two changes since machine A's copy: the batch's files and the listing cursor.
    assert "brought up to date" in elsewhere.stderr and "(2 changes read)" in elsewhere.stderr, elsewhere.stderr

    back = stream(inlet_bin, s3, bucket, tmp_path / "machine-a")  # a cache one batch behind
    assert back.rc == 0 and files_loaded(back) == 0, back.stderr
    assert "(2 changes read)" in back.stderr, back.stderr
    assert_rows_equal(deltars_rows(s3, f"s3://{bucket}/t"), expected_rows(first + second), "delta-rs on S3")


def test_a_second_run_on_an_s3_checkpoint_is_refused_while_the_first_holds_its_lease(inlet_bin, s3, tmp_path):
    bucket = s3.create_bucket(bucket_name("lease"))
    upload_landing(s3, bucket, gen_iot.generate(tmp_path / "local", 1, 10))
    release = tmp_path / "release"
    args = [str(inlet_bin), "ingest", "--source", f"s3://{bucket}/landing", "--table", f"s3://{bucket}/t",
            "--checkpoint", f"s3://{bucket}/checkpoint", "--option", "cloudFiles.inferColumnTypes=true",
            "--option", f"cloudFiles.schemaLocation=s3://{bucket}/checkpoint"]
    holder = subprocess.Popen(args, env=inlet_env({**s3.env(), "INLET_CACHE_DIR": str(tmp_path / "a"),
                                                   "INLET_LEASE_SECONDS": "3",
                                                   "INLET_TEST_PAUSE_AT": f"after_parquet:{release}"}),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "release.reached").exists() and holder.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (tmp_path / "release.reached").exists(), holder.communicate()
    time.sleep(4)  # past the time to live: only renewal keeps the lease
    other = stream(inlet_bin, s3, bucket, tmp_path / "b", {"INLET_LEASE_SECONDS": "3"})
    release.touch()
    _, err = holder.communicate(timeout=120)
    assert holder.returncode == 0, err
    assert other.rc == 1, other.stderr
    assert "is in use by" in other.stderr and f"s3://{bucket}/checkpoint" in other.stderr, other.stderr


@pytest.mark.parametrize("point", ["after_plan", "after_state_upload", "after_parquet", "after_commit"])
def test_a_run_killed_with_its_checkpoint_on_s3_is_finished_exactly_once_from_an_empty_cache(
        inlet_bin, s3, tmp_path, point):
    bucket = s3.create_bucket(bucket_name("kill"))
    paths = gen_iot.generate(tmp_path / "local", 3, 30)
    upload_landing(s3, bucket, paths)
    lease = {"INLET_LEASE_SECONDS": "2"}
    one_file = ("--option", "cloudFiles.maxFilesPerTrigger=1")  # the rerun has batches of its own to do
    killed = stream(inlet_bin, s3, bucket, tmp_path / "killed", {**lease, "INLET_TEST_CRASH_AT": point}, *one_file)
    assert killed.rc == -9, killed.stderr
    # The killed run never released its lease: it blocks others until it expires.
    refused = stream(inlet_bin, s3, bucket, tmp_path / "new-machine", lease, *one_file)
    assert refused.rc == 1 and "is in use by" in refused.stderr, refused.stderr
    time.sleep(2.2)
    again = stream(inlet_bin, s3, bucket, tmp_path / "new-machine", lease, *one_file)
    assert again.rc == 0, again.stderr
    assert_rows_equal(deltars_rows(s3, f"s3://{bucket}/t"), expected_rows(paths), "delta-rs on S3")
    later = stream(inlet_bin, s3, bucket, tmp_path / "killed", lease)  # the dead machine's stale cache
    assert later.rc == 0 and files_loaded(later) == 0, later.stderr
    assert_rows_equal(deltars_rows(s3, f"s3://{bucket}/t"), expected_rows(paths), "delta-rs on S3")
