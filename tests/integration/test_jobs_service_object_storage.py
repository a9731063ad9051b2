"""The jobs service on object storage: `inlet serve`, given S3 credentials in its
environment as a deployment would, runs a job whose landing zone, table and checkpoint are
in a bucket (moto's server), driven by the official databricks-sdk. Credentials per job
are refused, so that no secret is ever kept in job settings or shown to a client."""
import os
from datetime import timedelta

import pytest

pytest.importorskip("databricks.sdk")
from databricks.sdk.errors import InvalidParameterValue  # noqa: E402
from databricks.sdk.service.jobs import PythonWheelTask, RunResultState, Task  # noqa: E402

from inlet_testlib import assert_rows_equal, expected_rows, gen_iot  # noqa: E402
from jobs_testlib import InletServer, sdk_client  # noqa: E402
from object_stores import SECRET_ACCESS_KEY  # noqa: E402
from test_object_storage import bucket_name, deltars_rows, upload_landing  # noqa: E402


@pytest.fixture
def server(inlet_bin, run_inlet, s3, tmp_path, monkeypatch):
    for key in [k for k in os.environ if k.startswith("DATABRICKS_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", str(tmp_path / "none.cfg"))
    srv = InletServer(inlet_bin, tmp_path / "serve-data",
                      env={**s3.env(), "INLET_CACHE_DIR": str(tmp_path / "cache")}).start()
    srv.token = srv.create_token(run_inlet)
    yield srv
    srv.stop()


def s3_task(bucket, **extra):
    named = {"source": f"s3://{bucket}/landing/*.json", "table": f"s3://{bucket}/bronze",
             "checkpoint": f"s3://{bucket}/_checkpoints/bronze",
             "cloudFiles.schemaLocation": f"s3://{bucket}/_checkpoints/bronze",
             "cloudFiles.inferColumnTypes": "true", **extra}
    return Task(task_key="ingest", python_wheel_task=PythonWheelTask(
        package_name="inlet", entry_point="ingest", named_parameters=named))


def test_a_job_loads_a_landing_zone_on_s3_into_a_table_on_s3(server, s3, tmp_path):
    w = sdk_client(server)
    bucket = s3.create_bucket(bucket_name("jobs"))
    paths = gen_iot.generate(tmp_path / "local", 3, 100)
    upload_landing(s3, bucket, paths)
    job = w.jobs.create(name="bronze-on-s3", tasks=[s3_task(bucket)])
    run = w.jobs.run_now(job_id=job.job_id).result(timeout=timedelta(minutes=3))
    assert run.state.result_state == RunResultState.SUCCESS, run.state.state_message
    assert_rows_equal(deltars_rows(s3, f"s3://{bucket}/bronze"), expected_rows(paths), "delta-rs on S3")
    # A second run finds nothing new: the checkpoint in the bucket kept the state.
    again = w.jobs.run_now(job_id=job.job_id).result(timeout=timedelta(minutes=3))
    assert again.state.result_state == RunResultState.SUCCESS, again.state.state_message
    figures = w.api_client.do("GET", "/api/2.2/jobs/runs/get", query={"run_id": again.run_id})["inlet_ingest"]
    assert figures["files"] == 0, figures
    assert SECRET_ACCESS_KEY not in "".join(server.log)


def test_credentials_in_a_job_are_refused_naming_the_option_not_its_value(server, s3):
    w = sdk_client(server)
    bucket = s3.create_bucket(bucket_name("jobs"))
    with pytest.raises(InvalidParameterValue) as refused:
        w.jobs.create(name="with-secret", tasks=[s3_task(bucket, **{"fs.s3a.secret.key": "per-job-secret-91xQ"})])
    message = str(refused.value)
    assert "fs.s3a.secret.key" in message and "per-job-secret-91xQ" not in message, message
    assert not list(w.jobs.list(name="with-secret"))
    assert "per-job-secret-91xQ" not in "".join(server.log)
