"""The chaos harness pointed at S3 (moto's server): a stream whose landing zone, table and
checkpoint are all in a bucket, hit by what a real store and network do to it. Requests
throttled (503 SlowDown), failed (500), answered 409 ConditionalRequestConflict or cut off
before or after the store acted on them (a proxy in front of moto makes those); the server
frozen (SIGSTOP) past the client's timeout and resumed; the process SIGKILLed at random
moments. Each time, the table ends with every record exactly once and the checkpoint agrees."""
import os
import random
import signal
import subprocess
import time

import pytest

from fault_proxy import FaultProxy
from inlet_testlib import assert_rows_equal, expected_rows, gen_iot, inlet_env, run_inlet_binary
from test_object_storage import bucket_name, deltars_rows, files_loaded, upload_landing


@pytest.fixture
def proxy(s3):
    server = FaultProxy(s3.port)
    yield server
    server.stop()


def stream_args(bucket, *extra):
    return ["ingest", "--source", f"s3://{bucket}/landing", "--table", f"s3://{bucket}/t",
            "--checkpoint", f"s3://{bucket}/checkpoint", "--option", "cloudFiles.inferColumnTypes=true",
            "--option", f"cloudFiles.schemaLocation=s3://{bucket}/checkpoint",
            "--option", "cloudFiles.maxFilesPerTrigger=2", *extra]


def env_through(endpoint, s3, tmp_path, **extra):
    # Quick backoff so that the retries of a test do not take the client's default minutes.
    return {**s3.env(), "AWS_ENDPOINT_URL": endpoint, "INLET_CACHE_DIR": str(tmp_path / "cache"), **extra}


def assert_exactly_once(s3, bucket, paths):
    assert_rows_equal(deltars_rows(s3, f"s3://{bucket}/t"), expected_rows(paths), "delta-rs on S3")


def test_throttling_errors_and_cut_connections_are_retried_and_every_record_lands_once(
        inlet_bin, s3, proxy, tmp_path):
    bucket = s3.create_bucket(bucket_name("chaos"))
    paths = gen_iot.generate(tmp_path / "local", 8, 60)
    upload_landing(s3, bucket, paths)
    # Sharp cases first, each on the request where it hurts most: the commit of version 1
    # reaches the store but its answer is lost (the retry finds its own commit there), a
    # checkpoint entry the same, a Parquet upload throttled twice, a listing cut off.
    proxy.fail("PUT", rf"^/{bucket}/t/_delta_log/0+1\.json", "reset_after")
    proxy.fail("PUT", rf"^/{bucket}/t/_delta_log/0+2\.json", 409, times=2)  # ConditionalRequestConflict
    proxy.fail("PUT", rf"^/{bucket}/checkpoint/offsets/1$", "reset_after")
    proxy.fail("PUT", rf"^/{bucket}/checkpoint/sources/0/changes/", "reset_after")
    proxy.fail("PUT", rf"^/{bucket}/t/.*\.parquet", 503, times=2)
    proxy.fail("GET", rf"^/{bucket}\?.*list-type=2", "reset")
    proxy.fail("GET", rf"^/{bucket}/landing/", 500)
    # Then one request in twelve, of any kind, gets one of the four faults.
    proxy.fail_randomly(rate=1 / 12, seed=20261207)
    run = run_inlet_binary(inlet_bin, *stream_args(bucket), env=env_through(proxy.endpoint, s3, tmp_path))
    assert run.rc == 0, run.stderr
    assert files_loaded(run) == 8
    assert proxy.unused_faults() == []
    kinds = {status for _, _, status in proxy.injected}
    assert {503, 500, 409, "reset", "reset_after"} <= kinds, proxy.injected
    assert len(proxy.injected) >= 10, proxy.injected
    assert_exactly_once(s3, bucket, paths)
    # The checkpoint agrees: a run without faults finds nothing left to do.
    proxy.heal()
    again = run_inlet_binary(inlet_bin, *stream_args(bucket), env=env_through(proxy.endpoint, s3, tmp_path))
    assert again.rc == 0 and files_loaded(again) == 0, again.stderr


def test_a_store_frozen_past_the_client_timeout_mid_batch_is_waited_out(inlet_bin, s3, tmp_path):
    bucket = s3.create_bucket(bucket_name("frozen"))
    paths = gen_iot.generate(tmp_path / "local", 6, 400)
    upload_landing(s3, bucket, paths)
    env = {**s3.env(), "INLET_CACHE_DIR": str(tmp_path / "cache"), "AWS_TIMEOUT": "2s",
           "AWS_CONNECT_TIMEOUT": "2s"}
    proc = subprocess.Popen([str(inlet_bin), *stream_args(bucket)], env=inlet_env(env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        # Mid-stream: once the first batch is committed, freeze the server for three client
        # timeouts, then let it go on.
        deadline = time.monotonic() + 60
        while "t/_delta_log/00000000000000000001.json" not in s3.keys(bucket, "t/_delta_log/"):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        os.kill(s3.proc.pid, signal.SIGSTOP)
        frozen_at = time.monotonic()
        time.sleep(6)
    finally:
        os.kill(s3.proc.pid, signal.SIGCONT)
    stdout, stderr = proc.communicate(timeout=240)
    assert time.monotonic() - frozen_at >= 6
    assert proc.returncode == 0, stderr
    assert files_loaded(type("Run", (), {"stderr": stderr})) == 6
    assert_exactly_once(s3, bucket, paths)


def test_random_sigkills_of_a_stream_on_s3_lose_nothing_and_load_nothing_twice(inlet_bin, s3, tmp_path):
    bucket = s3.create_bucket(bucket_name("kills"))
    paths = gen_iot.generate(tmp_path / "local", 24, 200)
    upload_landing(s3, bucket, paths)
    rng = random.Random(7)
    lease = 2
    killed = 0
    for attempt in range(6):
        # Each run on a machine of its own half the time: an empty cache.
        cache = tmp_path / f"cache-{attempt % 2 if rng.random() < 0.5 else attempt}"
        env = {**s3.env(), "INLET_CACHE_DIR": str(cache), "INLET_LEASE_SECONDS": str(lease)}
        proc = subprocess.Popen([str(inlet_bin), *stream_args(bucket)], env=inlet_env(env),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.2, 1.2))
        if proc.poll() is None:
            proc.kill()
            killed += 1
        proc.communicate()
        time.sleep(lease + 0.5)  # a killed run's lease expires
    assert killed >= 3, "the runs must have been cut short to test anything"
    env = {**s3.env(), "INLET_CACHE_DIR": str(tmp_path / "cache-final"), "INLET_LEASE_SECONDS": str(lease)}
    final = run_inlet_binary(inlet_bin, *stream_args(bucket), env=env)
    assert final.rc == 0, final.stderr
    assert_exactly_once(s3, bucket, paths)
    again = run_inlet_binary(inlet_bin, *stream_args(bucket), env=env)
    assert again.rc == 0 and files_loaded(again) == 0, again.stderr
