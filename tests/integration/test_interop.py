# A table written by `inlet ingest` reads back row for row, with Spark's inferred types, in
# the other Delta readers: delta-rs, DuckDB and Spark itself.
import pytest

from inlet_testlib import (EXPECTED_IOT_TABLE_TREE, IOT_SCHEMA, IOT_TABLE_SCHEMA, all_strings, assert_rows_equal,
                           data_commits, delta_commits, delta_rows, delta_schema, duckdb_rows,
                           expected_rows, gen_iot, tree_of, txn)

FILES, ROWS_PER_FILE, FILES_PER_BATCH = 6, 300, 2


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, run_inlet):
    """6 generated files loaded two per micro-batch with inferColumnTypes=true."""
    root = tmp_path_factory.mktemp("interop")
    paths = gen_iot.generate(root / "landing", FILES, ROWS_PER_FILE, seed=11)
    table = root / "table"
    run = run_inlet("ingest", "--source", f"{root / 'landing'}/*.json", "--table", table,
                    "--checkpoint", root / "checkpoint",
                    "--option", "cloudFiles.inferColumnTypes=true",
                    "--option", f"cloudFiles.schemaLocation={root / 'checkpoint'}",
                    "--option", f"cloudFiles.maxFilesPerTrigger={FILES_PER_BATCH}")
    assert run.rc == 0, run.stderr
    return table, paths, run


def test_ingest_writes_one_commit_per_micro_batch(loaded):
    table, _, run = loaded
    batches = FILES // FILES_PER_BATCH
    assert len(data_commits(table)) == batches
    progress = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(progress) >= batches, f"expected a progress line per batch:\n{run.stderr}"


def test_commits_are_delta_1_2_and_carry_the_stream_txn(loaded):
    table, _, _ = loaded
    protocols = [a["protocol"] for c in delta_commits(table) for a in c["actions"]
                 if "protocol" in a]
    assert protocols and protocols[0]["minReaderVersion"] == 1
    assert protocols[0]["minWriterVersion"] == 2
    txns = [txn(c) for c in data_commits(table)]
    assert all(t is not None for t in txns), "every micro-batch commit needs a txn action"
    assert len({t["appId"] for t in txns}) == 1
    assert [t["version"] for t in txns] == list(range(len(txns)))


def test_inlet_schema_prints_the_article_schema(loaded, run_inlet):
    table, _, _ = loaded
    run = run_inlet("schema", table)
    assert run.rc == 0, run.stderr
    # The article's tree, with the rescued data column Auto Loader adds to inferred schemas.
    assert run.stdout == EXPECTED_IOT_TABLE_TREE


def test_delta_rs_sees_the_inferred_schema(loaded):
    table, _, _ = loaded
    assert delta_schema(table) == IOT_TABLE_SCHEMA


def test_delta_rs_reads_every_row(loaded):
    table, paths, _ = loaded
    assert_rows_equal(delta_rows(table), expected_rows(paths), "delta-rs")


def test_duckdb_reads_every_row(loaded):
    table, paths, _ = loaded
    assert_rows_equal(duckdb_rows(table), expected_rows(paths), "duckdb")


@pytest.mark.spark
def test_spark_sees_the_article_schema(loaded, spark):
    table, _, _ = loaded
    assert spark.read.format("delta").load(str(table)).schema.treeString() == EXPECTED_IOT_TABLE_TREE


@pytest.mark.spark
def test_spark_reads_every_row(loaded, spark):
    table, paths, _ = loaded
    df = spark.read.format("delta").load(str(table)).orderBy("device_id")
    rows = [r.asDict(recursive=True) for r in df.collect()]
    assert_rows_equal(rows, expected_rows(paths), "spark")


def test_without_infer_column_types_every_leaf_is_a_string(stream, run_inlet):
    paths = stream.generate(2, 40)
    run = stream.ingest(infer=False)
    assert run.rc == 0, run.stderr
    strings = all_strings(IOT_SCHEMA) + [("_rescued_data", "string")]
    assert delta_schema(stream.table) == strings
    # Numbers keep their JSON text: 38 stays "38", 42.36 stays "42.36".
    assert_rows_equal(delta_rows(stream.table), expected_rows(paths, strings), "delta-rs")
    schema_run = run_inlet("schema", stream.table)
    assert schema_run.stdout.rstrip() == tree_of(strings).rstrip()
