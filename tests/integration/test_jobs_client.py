# End to end: the `inlet jobs` client commands against a real `inlet serve` on a free
# loopback port (started with jobs_testlib.InletServer), jobs created with the official
# databricks-sdk and checked with it: paging, pause --all-scheduled, resume, run --wait with
# a real ingest, runs, errors, profiles, --debug redaction, and 429 retries.
import os
import subprocess
from pathlib import Path

import pytest

from inlet_testlib import delta_rows, gen_iot

pytest.importorskip("databricks.sdk")
from databricks.sdk import WorkspaceClient  # noqa: E402
from databricks.sdk.service.jobs import CronSchedule, PauseStatus  # noqa: E402
from jobs_testlib import InletServer, ingest_task, sdk_client, start_server  # noqa: E402

YEARLY = "0 0 3 1 JAN ?"  # never fires during a test


def client_env(home, **extra):
    """The CLI's environment: no user config, DATABRICKS_* and INLET_* only as given."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("DATABRICKS_") and not k.startswith("INLET_")}
    env["HOME"] = str(home)
    env.update({k: str(v) for k, v in extra.items()})
    return env


@pytest.fixture(scope="module")
def server(inlet_bin, run_inlet, tmp_path_factory):
    srv = start_server(inlet_bin, run_inlet, tmp_path_factory.mktemp("jobs-client-data"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def w(server):
    return sdk_client(server)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def jobs_cli(inlet_bin, server, home):
    """jobs_cli(*args, env=None) runs `inlet jobs ...` with INLET_HOST/INLET_TOKEN set."""

    def run(*args, env=None, timeout=300):
        full_env = env if env is not None else client_env(home, INLET_HOST=server.url,
                                                          INLET_TOKEN=server.token)
        return subprocess.run([str(inlet_bin), "jobs", *map(str, args)], capture_output=True,
                              text=True, env=full_env, timeout=timeout)

    return run


@pytest.fixture(scope="module")
def seeded(w):
    """230 jobs (3 pages of 100): every 4th UNPAUSED, every 7th (not 4th) PAUSED."""
    unpaused, paused, plain = [], [], []
    for i in range(230):
        schedule = None
        if i % 4 == 0:
            schedule = CronSchedule(quartz_cron_expression=YEARLY, timezone_id="Asia/Tokyo",
                                    pause_status=PauseStatus.UNPAUSED)
        elif i % 7 == 0:
            schedule = CronSchedule(quartz_cron_expression=YEARLY, timezone_id="UTC",
                                    pause_status=PauseStatus.PAUSED)
        job_id = w.jobs.create(name=f"client-{i:03d}", schedule=schedule).job_id
        (unpaused if i % 4 == 0 else paused if i % 7 == 0 else plain).append(job_id)
    return {"unpaused": unpaused, "paused": paused, "plain": plain}


def test_list_follows_every_page(jobs_cli, seeded):
    import json
    out = jobs_cli("list", "--format", "json")
    assert out.returncode == 0, out.stderr
    ids = [job["job_id"] for job in json.loads(out.stdout)["jobs"]]
    expected = seeded["unpaused"] + seeded["paused"] + seeded["plain"]
    assert len(ids) >= 230 and set(expected) <= set(ids)
    assert len(ids) == len(set(ids))

    table = jobs_cli("list")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["JOB_ID", "NAME", "SCHEDULE", "TIMEZONE", "PAUSE_STATUS"]
    assert len(lines) == len(ids) + 1


def test_list_by_name(jobs_cli, seeded):
    import json
    out = jobs_cli("list", "--name", "CLIENT-007", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert [j["settings"]["name"] for j in json.loads(out.stdout)["jobs"]] == ["client-007"]


def test_pause_all_scheduled_pauses_exactly_the_unpaused(jobs_cli, w, seeded):
    out = jobs_cli("pause", "--all-scheduled")
    assert out.returncode == 0, out.stderr
    printed = sorted(int(line.split()[2]) for line in out.stdout.splitlines())
    assert printed == sorted(seeded["unpaused"])
    for job_id in seeded["unpaused"]:
        schedule = w.jobs.get(job_id).settings.schedule
        assert schedule.pause_status == PauseStatus.PAUSED
        assert schedule.quartz_cron_expression == YEARLY and schedule.timezone_id == "Asia/Tokyo"
    for job_id in seeded["plain"][:5]:
        assert w.jobs.get(job_id).settings.schedule is None
    again = jobs_cli("pause", "--all-scheduled")
    assert again.returncode == 0 and again.stdout == "", again.stderr


def test_resume_and_pause_one_job(jobs_cli, w, seeded):
    job_id = seeded["paused"][0]
    out = jobs_cli("resume", job_id)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"resumed job {job_id} ")
    assert w.jobs.get(job_id).settings.schedule.pause_status == PauseStatus.UNPAUSED
    out = jobs_cli("pause", job_id)
    assert out.returncode == 0 and out.stdout.startswith(f"paused job {job_id} "), out.stderr
    assert w.jobs.get(job_id).settings.schedule.pause_status == PauseStatus.PAUSED

    unscheduled = jobs_cli("resume", seeded["plain"][0])
    assert unscheduled.returncode == 1
    assert "has no schedule to resume" in unscheduled.stderr


def test_run_wait_succeeds_and_table_has_rows(jobs_cli, w, tmp_path):
    gen_iot.generate(tmp_path / "landing", 2, 50, seed=21)
    job_id = w.jobs.create(name="client-run", tasks=[ingest_task(tmp_path)]).job_id
    out = jobs_cli("run", job_id, "--wait", "--timeout", "180")
    assert out.returncode == 0, out.stdout + out.stderr
    run_id = int(out.stdout.split()[2])
    assert f"run {run_id}: TERMINATED SUCCESS" in out.stdout
    assert f"run {run_id} of job {job_id}:" in out.stderr  # progress line
    assert len(delta_rows(tmp_path / "table", columns=["device_id"])) == 100

    runs = jobs_cli("runs", job_id)
    assert runs.returncode == 0, runs.stderr
    assert runs.stdout.splitlines()[1].split()[:3] == [str(run_id), "TERMINATED", "SUCCESS"]


def test_failed_run_exits_1(jobs_cli, w):
    job_id = w.jobs.create(name="client-no-tasks").job_id
    out = jobs_cli("run", job_id, "--wait")
    assert out.returncode == 1
    assert "TERMINATED FAILED" in out.stdout


def test_missing_job_is_reported_with_code_and_status(jobs_cli):
    out = jobs_cli("get", 987654)
    assert out.returncode == 1
    assert "RESOURCE_DOES_NOT_EXIST" in out.stderr and "(HTTP 404)" in out.stderr


def test_wrong_token_fails(jobs_cli, server, home):
    out = jobs_cli("list", env=client_env(home, INLET_HOST=server.url, INLET_TOKEN="dapi-wrong"))
    assert out.returncode == 1
    assert "(HTTP 401)" in out.stderr or "(HTTP 403)" in out.stderr


def test_profile_from_databrickscfg_and_debug_redacts(jobs_cli, server, tmp_path):
    (tmp_path / ".databrickscfg").write_text(
        f"[DEFAULT]\nhost = http://127.0.0.1:1\ntoken = nope\n\n"
        f"[inlet]\nhost = {server.url}\ntoken = {server.token}\n")
    out = jobs_cli("list", "--profile", "inlet", "--debug", "--name", "client-001",
                   env=client_env(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "client-001" in out.stdout
    assert "> Authorization: Bearer **REDACTED**" in out.stderr
    assert server.token not in out.stderr and server.token not in out.stdout


def test_rate_limited_server_is_retried(inlet_bin, run_inlet, tmp_path, home):
    srv = InletServer(inlet_bin, tmp_path / "data", ["--max-requests-per-second", "1"]).start()
    try:
        token = srv.create_token(run_inlet)
        w = WorkspaceClient(host=srv.url, token=token)  # the SDK retries its own 429s
        for i in range(3):
            w.jobs.create(name=f"limited-{i}", schedule=CronSchedule(
                quartz_cron_expression=YEARLY, timezone_id="UTC", pause_status=PauseStatus.UNPAUSED))
        env = client_env(home, INLET_HOST=srv.url, INLET_TOKEN=token)
        out = subprocess.run([str(inlet_bin), "jobs", "pause", "--all-scheduled", "--debug"],
                             capture_output=True, text=True, env=env, timeout=120)
        assert out.returncode == 0, out.stderr
        assert len(out.stdout.splitlines()) == 3
        assert "< 429" in out.stderr and "* retrying in 1000 ms" in out.stderr
        assert all(j.settings.schedule.pause_status == PauseStatus.PAUSED for j in w.jobs.list())
    finally:
        srv.stop()
