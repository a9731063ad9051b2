"""Landing zone, table, schema repository and bad records on S3 (moto's server, started by
the `s3` fixture): the same exactly-once, schema-managed table a local run gives, read by
delta-rs through its own S3 client."""
import json
import re
import subprocess
import threading
import uuid

import pytest

from inlet_testlib import (EXPECTED_IOT_TABLE_TREE, assert_rows_equal, expected_rows, gen_iot, inlet_env,
                           run_inlet_binary)
from object_stores import SECRET_ACCESS_KEY


def bucket_name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def upload_landing(s3, bucket, paths, prefix="landing"):
    for path in paths:
        s3.upload(bucket, f"{prefix}/{path.name}", path)


def files_loaded(run):
    """The file count of the run's `done:` line."""
    done = re.search(r"^done: \d+ batches, (\d+) files", run.stderr, re.MULTILINE)
    assert done, run.stderr
    return int(done.group(1))


def deltars_rows(s3, table_uri):
    from deltalake import DeltaTable
    rows = DeltaTable(table_uri, storage_options=s3.storage_options()).to_pyarrow_table().to_pylist()
    return sorted(rows, key=lambda r: r["device_id"])


def ingest(inlet_bin, s3, source, table, checkpoint, *extra, schema_location=None):
    args = ["ingest", "--source", source, "--table", table, "--checkpoint", checkpoint,
            "--option", "cloudFiles.inferColumnTypes=true",
            "--option", f"cloudFiles.schemaLocation={schema_location or str(checkpoint)}", *extra]
    return run_inlet_binary(inlet_bin, *args, env=s3.env())


def test_a_stream_from_an_s3_landing_zone_into_an_s3_table_loads_every_record_once(inlet_bin, s3, tmp_path):
    bucket = s3.create_bucket(bucket_name("lake"))
    paths = gen_iot.generate(tmp_path / "local", 3, 200)
    upload_landing(s3, bucket, paths)
    table = f"s3://{bucket}/bronze/iot"
    run = ingest(inlet_bin, s3, f"s3://{bucket}/landing/*.json", table, tmp_path / "checkpoint",
                 schema_location=f"s3://{bucket}/schemas/iot")
    assert run.rc == 0, run.stderr
    assert files_loaded(run) == 3
    assert_rows_equal(deltars_rows(s3, table), expected_rows(paths), "delta-rs on S3")
    keys = s3.keys(bucket)
    assert "bronze/iot/_delta_log/00000000000000000000.json" in keys
    assert "schemas/iot/_schemas/0" in keys, keys
    # Nothing half-written is left beside the data files.
    assert all(k.endswith((".parquet", ".json")) or "/_schemas/" in k for k in keys if k.startswith("bronze/")), keys

    again = ingest(inlet_bin, s3, f"s3://{bucket}/landing/*.json", table, tmp_path / "checkpoint",
                   schema_location=f"s3://{bucket}/schemas/iot")
    assert again.rc == 0 and files_loaded(again) == 0, again.stderr
    assert len(deltars_rows(s3, table)) == 600

    more = gen_iot.generate(tmp_path / "local", 1, 50, start_id=10_000, first_file=4)
    upload_landing(s3, bucket, more)
    third = ingest(inlet_bin, s3, f"s3://{bucket}/landing/*.json", table, tmp_path / "checkpoint",
                   schema_location=f"s3://{bucket}/schemas/iot")
    assert third.rc == 0 and files_loaded(third) == 1, third.stderr
    assert_rows_equal(deltars_rows(s3, table), expected_rows(paths + more), "delta-rs on S3")


def test_show_schema_and_history_read_a_table_on_s3(inlet_bin, s3, tmp_path):
    bucket = s3.create_bucket(bucket_name("show"))
    paths = gen_iot.generate(tmp_path / "local", 2, 20)
    upload_landing(s3, bucket, paths)
    table = f"s3://{bucket}/t"
    run = ingest(inlet_bin, s3, f"s3://{bucket}/landing", table, tmp_path / "checkpoint")
    assert run.rc == 0, run.stderr
    schema = run_inlet_binary(inlet_bin, "schema", table, env=s3.env())
    assert schema.rc == 0 and schema.stdout == EXPECTED_IOT_TABLE_TREE, schema.stdout + schema.stderr
    history = run_inlet_binary(inlet_bin, "history", table, env=s3.env())
    assert history.rc == 0 and "STREAMING UPDATE" in history.stdout, history.stdout + history.stderr
    show = run_inlet_binary(inlet_bin, "show", table, "--limit", "100", env=s3.env())
    assert show.rc == 0 and show.stdout.count("\n") >= 40, show.stdout + show.stderr


def test_two_streams_racing_on_one_s3_table_each_version_is_won_by_one_and_no_row_is_lost(inlet_bin, s3, tmp_path):
    """The commit is a PUT with If-None-Match: *, so of two writers racing for a version one
    gets 412 and retries at the next version."""
    bucket = s3.create_bucket(bucket_name("race"))
    table = f"s3://{bucket}/t"
    all_paths = []
    for writer in ("a", "b"):
        paths = gen_iot.generate(tmp_path / writer, 6, 30, start_id=1 if writer == "a" else 100_000)
        upload_landing(s3, bucket, paths, prefix=f"landing-{writer}")
        all_paths += paths
    # The table exists before the race, so that both streams append to one schema.
    first = gen_iot.generate(tmp_path / "seed", 1, 1, start_id=900_000)
    upload_landing(s3, bucket, first, prefix="landing-seed")
    seed = ingest(inlet_bin, s3, f"s3://{bucket}/landing-seed", table, tmp_path / "c-seed")
    assert seed.rc == 0, seed.stderr

    results = {}

    def run(writer):
        results[writer] = ingest(inlet_bin, s3, f"s3://{bucket}/landing-{writer}", table, tmp_path / f"c-{writer}",
                                 "--option", "cloudFiles.maxFilesPerTrigger=1")

    threads = [threading.Thread(target=run, args=(w,)) for w in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for writer, result in results.items():
        assert result.rc == 0, f"{writer}: {result.stderr}"
    log = sorted(k for k in s3.keys(bucket, "t/_delta_log/") if k.endswith(".json"))
    assert len(log) == 1 + 12, log  # the seed, then one version per file of either stream
    app_ids = {}
    for key in log:
        actions = [json.loads(line) for line in s3.read(bucket, key).decode().splitlines()]
        txns = [a["txn"] for a in actions if "txn" in a]
        assert len(txns) == 1, (key, actions)
        app_ids.setdefault(txns[0]["appId"], []).append(txns[0]["version"])
    assert sorted(len(v) for v in app_ids.values()) == [1, 6, 6], app_ids
    assert all(sorted(v) == list(range(len(v))) for v in app_ids.values()), app_ids
    assert_rows_equal(deltars_rows(s3, table), expected_rows(first + all_paths), "delta-rs on S3")


def test_bad_records_go_to_a_bad_records_path_on_s3(inlet_bin, s3, tmp_path):
    bucket = s3.create_bucket(bucket_name("bad"))
    local = tmp_path / "local"
    local.mkdir()
    (local / "a.json").write_text('{"id": 1}\n{"id": \n{"id": 3}\n')
    s3.upload(bucket, "landing/a.json", local / "a.json")
    run = run_inlet_binary(inlet_bin, "ingest", "--source", f"s3://{bucket}/landing", "--table", f"s3://{bucket}/t",
                           "--checkpoint", tmp_path / "c", "--schema", "id BIGINT",
                           "--option", f"badRecordsPath=s3://{bucket}/bad", env=s3.env())
    assert run.rc == 0, run.stderr
    bad = [k for k in s3.keys(bucket, "bad/") if k.endswith("part-00000.json")]
    assert len(bad) == 1, s3.keys(bucket)
    record = json.loads(s3.read(bucket, bad[0]))
    assert record["path"] == f"s3://{bucket}/landing/a.json" and record["line"] == 2, record


def test_a_missing_bucket_fails_naming_it_and_the_secret_appears_nowhere(inlet_bin, s3, tmp_path):
    bucket = bucket_name("nosuch")
    (tmp_path / "a.json").write_text('{"id": 1}\n')
    run = run_inlet_binary(inlet_bin, "ingest", "--source", tmp_path, "--table", f"s3://{bucket}/t",
                           "--checkpoint", tmp_path / "c", "--schema", "id BIGINT", env=s3.env())
    assert run.rc == 1, run.stdout + run.stderr
    assert bucket in run.stderr, run.stderr
    assert SECRET_ACCESS_KEY not in run.stdout + run.stderr


def test_the_secret_key_is_in_no_log_commit_or_checkpoint(inlet_bin, s3, tmp_path):
    bucket = s3.create_bucket(bucket_name("secret"))
    paths = gen_iot.generate(tmp_path / "local", 1, 10)
    upload_landing(s3, bucket, paths)
    run = ingest(inlet_bin, s3, f"s3://{bucket}/landing", f"s3://{bucket}/t", tmp_path / "checkpoint")
    assert run.rc == 0, run.stderr
    assert SECRET_ACCESS_KEY not in run.stdout + run.stderr
    for key in s3.keys(bucket):
        assert SECRET_ACCESS_KEY.encode() not in s3.read(bucket, key), key
    found = subprocess.run(["grep", "-rl", SECRET_ACCESS_KEY, str(tmp_path / "checkpoint")], capture_output=True,
                           text=True)
    assert found.stdout == "", found.stdout


def test_a_commit_that_loses_its_version_to_another_writer_on_s3_goes_to_the_next(inlet_bin, s3, tmp_path):
    """Deterministic: the run pauses after writing its Parquet files, another writer takes
    version 1 meanwhile, and inlet's conditional PUT of version 1 gets 412."""
    bucket = s3.create_bucket(bucket_name("lost"))
    paths = gen_iot.generate(tmp_path / "local", 1, 10)
    upload_landing(s3, bucket, paths)
    table = f"s3://{bucket}/t"
    seed = gen_iot.generate(tmp_path / "seed", 1, 1, start_id=900_000)
    upload_landing(s3, bucket, seed, prefix="landing-seed")
    assert ingest(inlet_bin, s3, f"s3://{bucket}/landing-seed", table, tmp_path / "c-seed").rc == 0
    release = tmp_path / "release"
    proc = subprocess.Popen(
        [str(inlet_bin), "ingest", "--source", f"s3://{bucket}/landing", "--table", table, "--checkpoint",
         str(tmp_path / "c"), "--option", "cloudFiles.inferColumnTypes=true",
         "--option", f"cloudFiles.schemaLocation={tmp_path / 'c'}"],
        env=inlet_env({**s3.env(), "INLET_TEST_PAUSE_AT": f"after_parquet:{release}"}),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(3000):
        if (tmp_path / "release.reached").exists() or proc.poll() is not None:
            break
        threading.Event().wait(0.01)
    assert (tmp_path / "release.reached").exists(), proc.communicate()
    other = '{"commitInfo":{"operation":"WRITE"}}\n{"txn":{"appId":"another-writer","version":0}}\n'
    s3.client.put_object(Bucket=bucket, Key="t/_delta_log/00000000000000000001.json", Body=other.encode())
    release.touch()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "table_version=2" in err, err
    assert s3.read(bucket, "t/_delta_log/00000000000000000001.json").decode() == other, "never overwritten"
    assert_rows_equal(deltars_rows(s3, table), expected_rows(seed + paths), "delta-rs on S3")


@pytest.mark.parametrize("point", ["after_parquet", "after_commit"])
def test_a_run_killed_on_s3_is_finished_exactly_once_by_the_next(inlet_bin, s3, tmp_path, point):
    bucket = s3.create_bucket(bucket_name("kill"))
    paths = gen_iot.generate(tmp_path / "local", 2, 50)
    upload_landing(s3, bucket, paths)
    table = f"s3://{bucket}/t"
    args = ["ingest", "--source", f"s3://{bucket}/landing", "--table", table, "--checkpoint", tmp_path / "c",
            "--option", "cloudFiles.inferColumnTypes=true", "--option", f"cloudFiles.schemaLocation={tmp_path / 'c'}"]
    killed = run_inlet_binary(inlet_bin, *args, env={**s3.env(), "INLET_TEST_CRASH_AT": point})
    assert killed.rc == -9, killed.stderr
    again = run_inlet_binary(inlet_bin, *args, env=s3.env())
    assert again.rc == 0, again.stderr
    assert_rows_equal(deltars_rows(s3, table), expected_rows(paths), "delta-rs on S3")
    versions = [k for k in s3.keys(bucket, "t/_delta_log/") if k.endswith(".json")]
    assert len(versions) == 1, versions
