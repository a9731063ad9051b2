# Fixtures of the end-to-end tests: the real `inlet` binary (INLET_BIN, default build/inlet),
# fresh landing/table/checkpoint folders per test, and one shared Spark session with Delta.
import os
import subprocess
import time
from collections import namedtuple
from pathlib import Path

import pytest

from inlet_testlib import REPO, gen_iot

Run = namedtuple("Run", "rc stdout stderr")


@pytest.fixture(scope="session")
def inlet_bin():
    path = Path(os.environ.get("INLET_BIN", REPO / "build" / "inlet"))
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"inlet binary not found at {path}: build it (cmake -B build && ninja -C "
                    f"build inlet) or point INLET_BIN at it")
    return path


@pytest.fixture(scope="session")
def run_inlet(inlet_bin):
    """run_inlet(*args, env=None, timeout=300) -> Run(rc, stdout, stderr)."""

    def run(*args, env=None, timeout=300):
        full_env = dict(os.environ)
        full_env.pop("INLET_TEST_CRASH_AT", None)
        full_env.update(env or {})
        proc = subprocess.run([str(inlet_bin), *map(str, args)], capture_output=True,
                              text=True, env=full_env, timeout=timeout)
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture
def landing(tmp_path):
    path = tmp_path / "landing"
    path.mkdir()
    return path


class Stream:
    """One landing folder loaded into one table through one checkpoint."""

    def __init__(self, run_inlet, inlet_bin, landing, root):
        self.run_inlet = run_inlet
        self.inlet_bin = inlet_bin
        self.landing = landing
        self.table = root / "table"
        self.checkpoint = root / "checkpoint"

    @property
    def schema_location(self):
        """The stream's schema repository: the checkpoint folder, as Auto Loader allows."""
        return self.checkpoint

    def ingest_args(self, *extra, infer=True, location=True):
        args = ["ingest", "--source", f"{self.landing}/*.json", "--table", self.table,
                "--checkpoint", self.checkpoint]
        if infer:
            args += ["--option", "cloudFiles.inferColumnTypes=true"]
        if location:
            args += ["--option", f"cloudFiles.schemaLocation={self.schema_location}"]
        return [*args, *extra]

    def ingest(self, *extra, infer=True, location=True, env=None, timeout=300):
        return self.run_inlet(*self.ingest_args(*extra, infer=infer, location=location), env=env,
                              timeout=timeout)

    def schema_versions(self):
        """Sorted version numbers in the stream's _schemas folder."""
        folder = Path(self.schema_location) / "_schemas"
        if not folder.is_dir():
            return []
        return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit())

    def popen(self, *extra, infer=True, env=None):
        """Starts `inlet ingest` without waiting, in its own process group."""
        full_env = dict(os.environ)
        full_env.pop("INLET_TEST_CRASH_AT", None)
        full_env.update(env or {})
        cmd = [str(self.inlet_bin), *map(str, self.ingest_args(*extra, infer=infer))]
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=full_env, start_new_session=True)

    def generate(self, files, rows_per_file, start_id=1, first_file=1, seed=42):
        return gen_iot.generate(self.landing, files, rows_per_file, seed=seed,
                                start_id=start_id, first_file=first_file)


@pytest.fixture
def stream(run_inlet, inlet_bin, landing, tmp_path):
    return Stream(run_inlet, inlet_bin, landing, tmp_path)


@pytest.fixture(scope="session")
def big_landing(tmp_path_factory):
    """40 files x 2000 rows (80,000 device ids), generated once per session; read only."""
    path = tmp_path_factory.mktemp("big_landing")
    paths = gen_iot.generate(path, 40, 2000, seed=7)
    return path, paths


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """Local Spark with Delta. The first run downloads the delta-spark jars from Maven
    Central into <repo>/.cache/ivy (about 90 MB, ~20 s); later starts take ~10 s."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from delta import configure_spark_with_delta_pip
    from pyspark.sql import SparkSession

    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("inlet-integration-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.jars.ivy", str(REPO / ".cache" / "ivy"))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
    )
    # The Delta jars matching the pinned delta-spark come from Maven Central.
    builder = configure_spark_with_delta_pip(builder)
    started = time.monotonic()
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    print(f"spark with delta started in {time.monotonic() - started:.1f}s")
    yield session
    session.stop()
