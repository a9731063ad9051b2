# End to end: `inlet serve` driven by the official databricks-sdk and the legacy
# databricks-cli, on a free loopback port with a fresh --data directory: the seed's
# "pause every scheduled job" scenario over 250 jobs, run-now with a real ingest, cancel,
# error mapping, auth, schedules firing, and restart persistence.
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from inlet_testlib import delta_rows, gen_iot

sdk = pytest.importorskip("databricks.sdk")
from databricks.sdk import WorkspaceClient  # noqa: E402
from databricks.sdk.errors import NotFound, PermissionDenied, ResourceDoesNotExist  # noqa: E402
from jobs_testlib import InletServer, ingest_task, sdk_client, start_server  # noqa: E402
from databricks.sdk.service.jobs import (  # noqa: E402
    CronSchedule,
    JobSettings,
    PauseStatus,
    RunLifeCycleState,
    RunResultState,
)


@pytest.fixture(scope="module", autouse=True)
def no_user_databricks_config(tmp_path_factory):
    """Keeps the user's ~/.databrickscfg and DATABRICKS_* variables out of the clients."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("DATABRICKS_")}
    for key in saved:
        del os.environ[key]
    os.environ["DATABRICKS_CONFIG_FILE"] = str(tmp_path_factory.mktemp("nocfg") / "none.cfg")
    yield
    os.environ.pop("DATABRICKS_CONFIG_FILE", None)
    os.environ.update(saved)


@pytest.fixture(scope="module")
def server(inlet_bin, run_inlet, tmp_path_factory):
    srv = start_server(inlet_bin, run_inlet, tmp_path_factory.mktemp("serve-data"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def w(server):
    return sdk_client(server)


def raw_run(w, run_id):
    return w.api_client.do("GET", "/api/2.2/jobs/runs/get", query={"run_id": run_id})


def wait_for(predicate, timeout=60, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not reached in time")


def test_seed_scenario_pauses_exactly_the_scheduled_jobs(w, tmp_path):
    # 250 jobs: every 3rd UNPAUSED on a yearly schedule, every 5th (not 3rd) PAUSED, the
    # rest unscheduled. Yearly so they never fire during the test.
    expected_unpaused, expected_paused = set(), set()
    for i in range(250):
        kwargs = {}
        if i % 3 == 0:
            kwargs["schedule"] = CronSchedule(quartz_cron_expression="0 0 3 1 JAN ?",
                                              timezone_id="Europe/Amsterdam",
                                              pause_status=PauseStatus.UNPAUSED)
        elif i % 5 == 0:
            kwargs["schedule"] = CronSchedule(quartz_cron_expression="0 30 2 ? * MON-FRI",
                                              timezone_id="America/New_York",
                                              pause_status=PauseStatus.PAUSED)
        job = w.jobs.create(name=f"seed-{i:03d}", tasks=[ingest_task(tmp_path / f"j{i}")],
                            tags={"team": "seed"}, **kwargs)
        if i % 3 == 0:
            expected_unpaused.add(job.job_id)
        elif i % 5 == 0:
            expected_paused.add(job.job_id)

    # The seed's scenario, unmodified: list every job, find the scheduled ones, pause them.
    all_jobs = list(w.jobs.list())
    seed_jobs = [j for j in all_jobs if j.settings.name.startswith("seed-")]
    assert len(seed_jobs) == 250
    assert len({j.job_id for j in all_jobs}) == len(all_jobs)  # pages neither overlap nor skip
    paused_now = []
    for job in w.jobs.list():
        schedule = job.settings.schedule
        if schedule and schedule.pause_status == PauseStatus.UNPAUSED:
            w.jobs.update(job_id=job.job_id, new_settings=JobSettings(schedule=CronSchedule(
                quartz_cron_expression=schedule.quartz_cron_expression,
                timezone_id=schedule.timezone_id, pause_status=PauseStatus.PAUSED)))
            paused_now.append(job.job_id)
    assert set(paused_now) >= expected_unpaused
    assert not set(paused_now) & expected_paused

    for job in seed_jobs:
        got = w.jobs.get(job_id=job.job_id)
        assert got.settings.name == job.settings.name
        assert got.settings.tasks[0].python_wheel_task.package_name == "inlet"
        assert got.settings.tags == {"team": "seed"}
        if job.job_id in expected_unpaused:
            assert got.settings.schedule.pause_status == PauseStatus.PAUSED
            assert got.settings.schedule.quartz_cron_expression == "0 0 3 1 JAN ?"
            assert got.settings.schedule.timezone_id == "Europe/Amsterdam"
        elif job.job_id in expected_paused:
            assert got.settings.schedule.pause_status == PauseStatus.PAUSED
            assert got.settings.schedule.timezone_id == "America/New_York"
        else:
            assert got.settings.schedule is None
    # No scheduled job is left running on a schedule.
    assert not [j for j in w.jobs.list() if j.settings.schedule
                and j.settings.schedule.pause_status == PauseStatus.UNPAUSED]
    # Explicit small pages and the name filter.
    assert len(list(w.jobs.list(limit=100))) == len(all_jobs)
    assert [j.settings.name for j in w.jobs.list(name="SEED-007")] == ["seed-007"]
    listed = next(iter(w.jobs.list(name="seed-007", expand_tasks=True)))
    assert listed.settings.tasks[0].task_key == "ingest"


def test_databricks_cli_lists_jobs(w, server, tmp_path):
    w.jobs.create(name="cli-visible-job")
    cli = Path(sys.executable).parent / "databricks"
    # databricks-cli 0.18 keeps only the host name of DATABRICKS_HOST (no port): it reaches
    # the server's port through HTTP_PROXY, which the server accepts (absolute-form targets).
    host = "http://" + server.url.split("//")[1].split(":")[0]
    env = dict(os.environ, HOME=str(tmp_path), DATABRICKS_HOST=host,
               DATABRICKS_TOKEN=server.token, HTTP_PROXY=server.url, http_proxy=server.url)
    for key in ("DATABRICKS_CONFIG_FILE", "NO_PROXY", "no_proxy"):
        env.pop(key, None)
    out = subprocess.run([str(cli), "jobs", "list", "--version=2.1", "--all"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "cli-visible-job" in out.stdout
    total = len(list(w.jobs.list()))
    assert len([line for line in out.stdout.splitlines() if line.strip()]) == total

    # The same through a profile in ~/.databrickscfg.
    (tmp_path / ".databrickscfg").write_text(
        f"[DEFAULT]\nhost = {host}\ntoken = {server.token}\njobs-api-version = 2.1\n")
    env = {k: v for k, v in env.items() if not k.startswith("DATABRICKS_")}
    out = subprocess.run([str(cli), "jobs", "list", "--version=2.1", "--output", "JSON"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert '"jobs"' in out.stdout


def test_run_now_result_reaches_success_and_table_has_rows(w, tmp_path):
    gen_iot.generate(tmp_path / "landing", 3, 100, seed=11)
    job = w.jobs.create(name="run-now", tasks=[ingest_task(tmp_path)])
    run = w.jobs.run_now(job_id=job.job_id).result(timeout=timedelta(minutes=3))
    assert run.state.life_cycle_state == RunLifeCycleState.TERMINATED
    assert run.state.result_state == RunResultState.SUCCESS, run.state.state_message
    assert run.end_time >= run.start_time > 0
    assert run.run_duration >= 0
    rows = delta_rows(tmp_path / "table", columns=["device_id"])
    assert [r["device_id"] for r in rows] == list(range(1, 301))
    figures = raw_run(w, run.run_id)["inlet_ingest"]
    assert figures["files"] == 3 and figures["rows"] == 300

    # The native task spelling, created through the raw API.
    gen_iot.generate(tmp_path / "landing2", 2, 50, seed=12)
    created = w.api_client.do("POST", "/api/2.1/jobs/create", body={
        "name": "native", "tasks": [{"task_key": "load", "inlet_ingest_task": {
            "source": f"{tmp_path}/landing2/*.json", "table": f"{tmp_path}/table2",
            "checkpoint": f"{tmp_path}/ck2",
            "options": {"cloudFiles.schemaLocation": f"{tmp_path}/ck2",
                        "cloudFiles.inferColumnTypes": True}}}]})
    run = w.jobs.run_now(job_id=created["job_id"]).result(timeout=timedelta(minutes=3))
    assert run.state.result_state == RunResultState.SUCCESS, run.state.state_message
    assert len(delta_rows(tmp_path / "table2", columns=["device_id"])) == 100
    runs = list(w.jobs.list_runs(job_id=created["job_id"]))
    assert [r.run_id for r in runs] == [run.run_id]


def test_run_of_another_task_kind_fails_with_a_clear_message(w):
    job = w.api_client.do("POST", "/api/2.2/jobs/create", body={
        "name": "notebook", "tasks": [{"task_key": "nb", "notebook_task": {"notebook_path": "/x"}}]})
    run = w.jobs.run_now(job_id=job["job_id"]).result(timeout=timedelta(minutes=1))
    assert run.state.result_state == RunResultState.FAILED
    assert "notebook_task" in run.state.state_message


def test_cancel_stops_a_running_run(w, tmp_path):
    gen_iot.generate(tmp_path / "landing", 40, 500, seed=13)
    job = w.jobs.create(name="cancel-me", tasks=[
        ingest_task(tmp_path, **{"cloudFiles.maxFilesPerTrigger": "1"})])
    run_id = w.jobs.run_now(job_id=job.job_id).run_id
    wait_for(lambda: raw_run(w, run_id)["state"]["life_cycle_state"] == "RUNNING", interval=0.02)
    run = w.jobs.cancel_run(run_id=run_id).result(timeout=timedelta(minutes=3))
    assert run.state.result_state == RunResultState.CANCELED
    assert run.state.user_cancelled_or_timedout
    assert raw_run(w, run_id)["inlet_ingest"]["files"] < 40  # stopped before the end
    # Whatever was committed before the stop is whole: device ids without duplicates.
    table = tmp_path / "table"
    if (table / "_delta_log").exists():
        ids = [r["device_id"] for r in delta_rows(table, columns=["device_id"])]
        assert len(ids) == len(set(ids))


def test_errors_map_to_the_sdk_typed_exceptions(w, server):
    with pytest.raises(NotFound) as missing:
        w.jobs.get(job_id=987654321)
    assert isinstance(missing.value, ResourceDoesNotExist)
    assert "987654321" in str(missing.value)
    with pytest.raises(NotFound):
        w.jobs.get_run(run_id=987654321)
    with pytest.raises(NotFound):
        w.jobs.update(job_id=987654321, new_settings=JobSettings(name="x"))

    wrong = WorkspaceClient(host=server.url, token="dapi" + "0" * 32)
    with pytest.raises(PermissionDenied):
        list(wrong.jobs.list())

    url = f"{server.url}/api/2.2/jobs/list"
    none = requests.get(url, timeout=10)
    assert none.status_code == 401
    assert none.json()["error_code"] == "UNAUTHENTICATED"
    assert requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=10).status_code == 403
    auth = {"Authorization": f"Bearer {server.token}"}
    bad = requests.get(url, params={"limit": 1000}, headers=auth, timeout=10)
    assert bad.status_code == 400 and bad.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    huge = requests.post(f"{server.url}/api/2.2/jobs/create", data="x" * (2 << 20),
                         headers=auth, timeout=30)
    assert huge.status_code == 413
    # Tokens never reach the server's log.
    assert not any(server.token in line for line in server.log)


def test_revoked_token_is_refused(w, server, run_inlet):
    token = server.create_token(run_inlet, comment="short-lived")
    client = WorkspaceClient(host=server.url, token=token)
    next(iter(client.jobs.list(limit=1)))
    listed = run_inlet("tokens", "list", "--data", server.data_dir)
    token_id = [line.split()[0] for line in listed.stdout.splitlines() if "short-lived" in line][0]
    assert run_inlet("tokens", "revoke", "--data", server.data_dir, token_id).rc == 0
    with pytest.raises(PermissionDenied):
        next(iter(client.jobs.list(limit=1)))


def test_schedule_fires_on_time_and_paused_one_does_not(w, tmp_path):
    gen_iot.generate(tmp_path / "a" / "landing", 1, 10, seed=14)
    gen_iot.generate(tmp_path / "b" / "landing", 1, 10, seed=15)
    every2 = CronSchedule(quartz_cron_expression="*/2 * * * * ?", timezone_id="UTC",
                          pause_status=PauseStatus.UNPAUSED)
    fired = w.jobs.create(name="every-2s", schedule=every2, tasks=[ingest_task(tmp_path / "a")])
    paused = w.jobs.create(name="paused-2s", tasks=[ingest_task(tmp_path / "b")],
                           schedule=CronSchedule(quartz_cron_expression="*/2 * * * * ?",
                                                 timezone_id="UTC",
                                                 pause_status=PauseStatus.PAUSED))
    time.sleep(7)
    runs = list(w.jobs.list_runs(job_id=fired.job_id))
    assert len(runs) >= 2, [r.state for r in runs]
    assert all(r.trigger.value == "PERIODIC" for r in runs)
    assert list(w.jobs.list_runs(job_id=paused.job_id)) == []
    assert len(delta_rows(tmp_path / "a" / "table", columns=["device_id"])) == 10

    # Pausing stops it.
    w.jobs.update(job_id=fired.job_id, new_settings=JobSettings(schedule=CronSchedule(
        quartz_cron_expression="*/2 * * * * ?", timezone_id="UTC",
        pause_status=PauseStatus.PAUSED)))
    wait_for(lambda: not list(w.jobs.list_runs(job_id=fired.job_id, active_only=True)))
    count = len(list(w.jobs.list_runs(job_id=fired.job_id)))
    time.sleep(4)
    assert len(list(w.jobs.list_runs(job_id=fired.job_id))) == count


def test_restart_keeps_jobs_runs_and_fails_interrupted_runs(inlet_bin, run_inlet, tmp_path):
    srv = InletServer(inlet_bin, tmp_path / "data").start()
    try:
        token = srv.create_token(run_inlet)
        w1 = WorkspaceClient(host=srv.url, token=token)
        gen_iot.generate(tmp_path / "small" / "landing", 2, 20, seed=16)
        small = w1.jobs.create(name="small", tasks=[ingest_task(tmp_path / "small")],
                               schedule=CronSchedule(quartz_cron_expression="0 0 3 * * ?",
                                                     timezone_id="Asia/Tokyo",
                                                     pause_status=PauseStatus.PAUSED))
        done = w1.jobs.run_now(job_id=small.job_id).result(timeout=timedelta(minutes=2))
        assert done.state.result_state == RunResultState.SUCCESS
        w1.jobs.update(job_id=small.job_id, new_settings=JobSettings(tags={"v": "2"}))

        gen_iot.generate(tmp_path / "big" / "landing", 40, 500, seed=17)
        big = w1.jobs.create(name="big", tasks=[
            ingest_task(tmp_path / "big", **{"cloudFiles.maxFilesPerTrigger": "1"})])
        interrupted = w1.jobs.run_now(job_id=big.job_id).run_id
        wait_for(lambda: raw_run(w1, interrupted)["state"]["life_cycle_state"] == "RUNNING",
                 interval=0.02)
        srv.stop(signal.SIGKILL)

        srv.start()
        w2 = WorkspaceClient(host=srv.url, token=token)
        names = sorted(j.settings.name for j in w2.jobs.list())
        assert names == ["big", "small"]
        got = w2.jobs.get(job_id=small.job_id)
        assert got.settings.tags == {"v": "2"}
        assert got.settings.schedule.timezone_id == "Asia/Tokyo"
        assert got.settings.schedule.pause_status == PauseStatus.PAUSED
        assert w2.jobs.get_run(run_id=done.run_id).state.result_state == RunResultState.SUCCESS
        lost = w2.jobs.get_run(run_id=interrupted)
        assert lost.state.life_cycle_state == RunLifeCycleState.INTERNAL_ERROR
        assert lost.state.result_state == RunResultState.FAILED
        assert "restarted" in lost.state.state_message
        # Running the job again finishes the stream exactly once.
        again = w2.jobs.run_now(job_id=big.job_id).result(timeout=timedelta(minutes=3))
        assert again.state.result_state == RunResultState.SUCCESS, again.state.state_message
        ids = [r["device_id"] for r in delta_rows(tmp_path / "big" / "table", columns=["device_id"])]
        assert ids == list(range(1, 20001))
    finally:
        srv.stop()
