# Shared by the jobs service and jobs client tests: one `inlet serve` process on a free
# loopback port, and an inlet ingestion task as the typed SDK spells it.
import os
import re
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.service.jobs import PythonWheelTask, Task

LISTENING = re.compile(r"listening on (http://[0-9.]+:\d+)")


class InletServer:
    """One `inlet serve` process; start() again after stop() reuses the data directory."""

    def __init__(self, inlet_bin, data_dir, extra_args=(), env=None):
        self.inlet_bin = inlet_bin
        self.data_dir = Path(data_dir)
        self.extra_args = list(extra_args)
        self.env = None if env is None else {**os.environ, **env}
        self.proc = None
        self.url = None
        self.log = []

    def start(self):
        cmd = [str(self.inlet_bin), "serve", "--port", "0", "--data", str(self.data_dir),
               "--workers", "2", *self.extra_args]
        # One pipe for both streams: the access log (stdout) and messages (stderr).
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True, env=self.env)
        ready = threading.Event()

        def pump():
            for line in self.proc.stdout:
                self.log.append(line)
                match = LISTENING.search(line)
                if match:
                    self.url = match.group(1)
                    ready.set()
            ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(30) or self.url is None:
            self.stop()
            pytest.fail("inlet serve did not start:\n" + "".join(self.log))
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(30)
        self.proc = None

    def create_token(self, run_inlet, comment="pytest"):
        result = run_inlet("tokens", "create", "--data", self.data_dir, "--comment", comment)
        assert result.rc == 0, result.stderr
        return result.stdout.strip()


def start_server(inlet_bin, run_inlet, data_dir):
    """A started server with a fresh token (server.token)."""
    srv = InletServer(inlet_bin, data_dir).start()
    srv.token = srv.create_token(run_inlet)
    return srv


def sdk_client(server):
    return WorkspaceClient(host=server.url, token=server.token)


def ingest_task(root, key="ingest", **options):
    named = {"source": f"{root}/landing/*.json", "table": f"{root}/table",
             "checkpoint": f"{root}/checkpoint",
             "cloudFiles.schemaLocation": f"{root}/checkpoint",
             "cloudFiles.inferColumnTypes": "true", **options}
    return Task(task_key=key, python_wheel_task=PythonWheelTask(
        package_name="inlet", entry_point="ingest", named_parameters=named))
