"""Spark with Delta reads a table that inlet wrote on S3 (moto's server, started by the `s3`
fixture) through S3A: hadoop-aws and the AWS SDK bundle from Maven, in the shared `spark`
session. It sees the same schema and rows as delta-rs there and as Spark on a local run, and
a schema evolved by addNewColumns."""

import pytest

from inlet_testlib import (EXPECTED_IOT_TABLE_TREE, IOT_SCHEMA, assert_rows_equal, expected_rows, gen_iot,
                           run_inlet_binary, tree_of)
from object_stores import ACCESS_KEY_ID, SECRET_ACCESS_KEY
from test_object_storage import bucket_name, deltars_rows, files_loaded, ingest, upload_landing
from test_schema_evolution import SEED_HINTS, SHAPE2_NEW, expected_evolved_rows, with_humidity

pytestmark = pytest.mark.spark


def s3a_settings(s3):
    """The README's spark.hadoop.fs.s3a.* settings for an S3-compatible store, without the
    spark.hadoop. prefix. The endpoint's http:// makes S3A talk plain HTTP; nothing else
    (checksums, change detection, multi-object delete) needed changing for moto."""
    return {"fs.s3a.endpoint": s3.endpoint, "fs.s3a.endpoint.region": "us-east-1",
            "fs.s3a.path.style.access": "true",
            "fs.s3a.access.key": ACCESS_KEY_ID, "fs.s3a.secret.key": SECRET_ACCESS_KEY}


@pytest.fixture(scope="module")
def spark_s3(spark, s3):
    """The session's Spark, told where the session's moto server is (its port is random, so it
    is set at run time rather than when the session starts)."""
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    settings = s3a_settings(s3)
    for key, value in settings.items():
        conf.set(key, value)
    yield spark
    for key in settings:
        conf.unset(key)


def spark_rows(df):
    return [r.asDict(recursive=True) for r in df.orderBy("device_id").collect()]


def test_spark_reads_an_inlet_table_on_s3_through_s3a_row_for_row(inlet_bin, s3, spark_s3, tmp_path):
    bucket = s3.create_bucket(bucket_name("spark"))
    local = tmp_path / "local"
    paths = gen_iot.generate(local, 3, 200)
    upload_landing(s3, bucket, paths)
    run = ingest(inlet_bin, s3, f"s3://{bucket}/landing/*.json", f"s3://{bucket}/bronze/iot", tmp_path / "checkpoint",
                 schema_location=f"s3://{bucket}/schemas/iot")
    assert run.rc == 0 and files_loaded(run) == 3, run.stderr

    df = spark_s3.read.format("delta").load(f"s3a://{bucket}/bronze/iot")
    assert df.schema.treeString() == EXPECTED_IOT_TABLE_TREE
    files = df.inputFiles()
    assert files and all(f.startswith(f"s3a://{bucket}/bronze/iot/") for f in files), files
    rows = spark_rows(df)
    assert_rows_equal(rows, expected_rows(paths), "spark on S3")
    assert_rows_equal(rows, deltars_rows(s3, f"s3://{bucket}/bronze/iot"), "spark on S3 against delta-rs on S3")

    # The same files loaded from and to local disk: Spark sees the same table.
    table = tmp_path / "local-table"
    checkpoint = tmp_path / "local-checkpoint"
    here = run_inlet_binary(inlet_bin, "ingest", "--source", f"{local}/*.json", "--table", table,
                            "--checkpoint", checkpoint, "--option", "cloudFiles.inferColumnTypes=true",
                            "--option", f"cloudFiles.schemaLocation={checkpoint}")
    assert here.rc == 0, here.stderr
    local_df = spark_s3.read.format("delta").load(str(table))
    assert local_df.schema == df.schema
    assert_rows_equal(spark_rows(local_df), rows, "spark on a local run against spark on S3")


def test_spark_on_s3_sees_the_columns_add_new_columns_added(inlet_bin, s3, spark_s3, tmp_path):
    """The seed's example 6 on S3: drifted files stop the stream with a new schema version, the
    rerun commits it to the table, and the Spark that read the table before sees the change."""
    bucket = s3.create_bucket(bucket_name("spark-evolve"))
    local = tmp_path / "local"
    table, uri = f"s3://{bucket}/t", f"s3a://{bucket}/t"

    def run():
        return ingest(inlet_bin, s3, f"s3://{bucket}/landing", table, tmp_path / "checkpoint",
                      "--option", SEED_HINTS, schema_location=f"s3://{bucket}/schemas/t")

    old = gen_iot.generate(local, 2, 20)
    upload_landing(s3, bucket, old)
    assert run().rc == 0
    # device_serial_number_device_type came with version 0: a hint adds its column.
    before = with_humidity(IOT_SCHEMA, "double") + SHAPE2_NEW[:1] + [("_rescued_data", "string")]
    first = spark_s3.read.format("delta").load(uri)
    assert first.schema.treeString() == tree_of(before)
    assert_rows_equal(spark_rows(first), expected_rows(old, before), "spark on S3, version 0")

    new = gen_iot.generate(local, 2, 20, seed=9, start_id=1001, first_file=101, shape=2)
    upload_landing(s3, bucket, new)
    stopped = run()
    assert stopped.rc == 3 and "UnknownFieldException" in stopped.stderr, stopped.stderr
    rerun = run()
    assert rerun.rc == 0 and files_loaded(rerun) == 2, rerun.stderr
    assert "schemas/t/_schemas/1" in s3.keys(bucket, "schemas/t/")

    table_schema = with_humidity(IOT_SCHEMA, "double") + SHAPE2_NEW + [("_rescued_data", "string")]
    df = spark_s3.read.format("delta").load(uri)
    assert df.schema.treeString() == tree_of(table_schema)
    # Old rows read null in the new columns; the string column keeps an object's JSON text
    # as written, as Spark does.
    want = expected_evolved_rows(old, new, table_schema)
    rows = spark_rows(df)
    assert_rows_equal(rows, want, "spark on S3, evolved")
    assert_rows_equal(rows, deltars_rows(s3, table), "spark on S3 against delta-rs on S3, evolved")
    assert df.where("location is not null").count() == 40
    # Time travel reads the first version's schema back from the log on S3.
    assert spark_s3.read.format("delta").option("versionAsOf", 0).load(uri).schema.treeString() == tree_of(before)
