# Fixtures of the end-to-end tests: the real `inlet` binary (INLET_BIN, default build/inlet),
# fresh landing/table/checkpoint folders per test, and one shared Spark session with Delta
# (and hadoop-aws, for tables on S3).
import os
import time
from pathlib import Path

import pytest

from inlet_testlib import REPO, Stream, find_inlet_bin, gen_iot, run_inlet_binary
from object_stores import Azurite, MotoS3


@pytest.fixture(scope="session")
def inlet_bin():
    try:
        return find_inlet_bin()
    except FileNotFoundError as e:
        pytest.fail(str(e))


@pytest.fixture(scope="session")
def run_inlet(inlet_bin):
    """run_inlet(*args, env=None, timeout=300) -> Run(rc, stdout, stderr)."""

    def run(*args, env=None, timeout=300):
        return run_inlet_binary(inlet_bin, *args, env=env, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def s3(tmp_path_factory):
    """A real S3 server (moto) for the session; tests make their own buckets."""
    server = MotoS3(tmp_path_factory.mktemp("moto"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def azurite(tmp_path_factory):
    """A real Azure Blob Storage emulator (Azurite) for the session."""
    server = Azurite(tmp_path_factory.mktemp("azurite"))
    yield server
    server.stop()


@pytest.fixture
def landing(tmp_path):
    path = tmp_path / "landing"
    path.mkdir()
    return path


@pytest.fixture
def stream(run_inlet, inlet_bin, landing, tmp_path):
    return Stream(run_inlet, inlet_bin, landing, tmp_path)


@pytest.fixture(scope="session")
def big_landing(tmp_path_factory):
    """40 files x 2000 rows (80,000 device ids), generated once per session; read only."""
    path = tmp_path_factory.mktemp("big_landing")
    paths = gen_iot.generate(path, 40, 2000, seed=7)
    return path, paths


def pyspark_hadoop_version():
    """The Hadoop version of pyspark's bundled hadoop-client-api jar (3.5.0 for pyspark 4.2.0)."""
    import pyspark
    jars = sorted(Path(pyspark.__file__).parent.joinpath("jars").glob("hadoop-client-api-*.jar"))
    assert len(jars) == 1, jars
    return jars[0].stem.removeprefix("hadoop-client-api-")


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """Local Spark with Delta, and hadoop-aws for s3a:// (test_object_storage_spark.py sets
    the endpoint at run time). The first run downloads the jars from Maven Central into
    <repo>/.cache/ivy (about 780 MB, 690 MB of it the AWS SDK bundle that hadoop-aws needs);
    later starts take ~15 s."""
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
    # The Delta jars matching the pinned delta-spark come from Maven Central, and so does
    # hadoop-aws of exactly the Hadoop that pyspark bundles (S3A needs the two to match).
    hadoop_aws = f"org.apache.hadoop:hadoop-aws:{pyspark_hadoop_version()}"
    builder = configure_spark_with_delta_pip(builder, extra_packages=[hadoop_aws])
    started = time.monotonic()
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    print(f"spark with delta started in {time.monotonic() - started:.1f}s")
    yield session
    session.stop()
