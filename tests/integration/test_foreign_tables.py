# Delta tables inlet did not create: golden tables written by Spark 4.2 + Delta 4.4 in this
# module (one Spark session for all), each either appended to by `inlet ingest` and read back
# the same by Spark, delta-rs and `inlet show`, or refused with a message naming the feature.
import json
from pathlib import Path
from urllib.parse import unquote

import pytest

pytestmark = pytest.mark.spark

SPARK_ROWS = [(1, "a", "2024-01-01", "eu"), (2, "b", None, "us west/1:x%"), (3, "c", "2024-01-02", None)]


@pytest.fixture(scope="module")
def golden(spark, tmp_path_factory):
    """Every golden table, made once: name -> path."""
    root = tmp_path_factory.mktemp("golden")
    tables = {}

    def make(name, ddl, *statements):
        path = root / name
        tables[name] = path
        spark.sql(ddl.format(t=f"delta.`{path}`"))
        for statement in statements:
            spark.sql(statement.format(t=f"delta.`{path}`"))

    make("partitioned", "CREATE TABLE {t} (id BIGINT, name STRING, day DATE, region STRING) USING delta "
         "PARTITIONED BY (day, region)",
         "INSERT INTO {t} VALUES (1, 'a', DATE'2024-01-01', 'eu'), (2, 'b', NULL, 'us west/1:x%'), "
         "(3, 'c', DATE'2024-01-02', NULL)")
    for mode in ("name", "id"):
        make(f"mapping_{mode}", "CREATE TABLE {t} (id BIGINT, name STRING, info STRUCT<x: BIGINT>) USING delta "
             f"TBLPROPERTIES ('delta.columnMapping.mode'='{mode}')",
             "INSERT INTO {t} VALUES (1, 'a', named_struct('x', 10)), (2, 'b', named_struct('x', 20))",
             "ALTER TABLE {t} RENAME COLUMN name TO label")
    make("deletion_vectors", "CREATE TABLE {t} (id BIGINT, name STRING) USING delta "
         "TBLPROPERTIES ('delta.enableDeletionVectors'='true')",
         "INSERT INTO {t} SELECT id, CAST(id AS STRING) FROM range(10)",
         "DELETE FROM {t} WHERE id % 3 = 0")
    make("check_constraint", "CREATE TABLE {t} (id BIGINT, name STRING) USING delta",
         "ALTER TABLE {t} ADD CONSTRAINT id_positive CHECK (id > 0)")
    make("generated", "CREATE TABLE {t} (id BIGINT, name STRING, id2 BIGINT GENERATED ALWAYS AS (id * 2)) "
         "USING delta")
    make("identity", "CREATE TABLE {t} (rid BIGINT GENERATED ALWAYS AS IDENTITY, id BIGINT, name STRING) "
         "USING delta")
    make("timestamp_ntz", "CREATE TABLE {t} (id BIGINT, ts TIMESTAMP_NTZ) USING delta",
         "INSERT INTO {t} VALUES (1, TIMESTAMP_NTZ'2024-01-01 10:00:00')")
    make("v2_checkpoint", "CREATE TABLE {t} (id BIGINT, name STRING) USING delta "
         "TBLPROPERTIES ('delta.checkpointPolicy'='v2')",
         "INSERT INTO {t} VALUES (1, 'a')")
    spark._jvm.org.apache.spark.sql.delta.DeltaLog.forTable(
        spark._jsparkSession, str(tables["v2_checkpoint"])).checkpoint()
    return tables


def ingest(run_inlet, tmp_path, table, records, *options):
    landing = tmp_path / "landing"
    landing.mkdir(parents=True, exist_ok=True)
    (landing / "batch.json").write_text("".join(json.dumps(r) + "\n" for r in records))
    checkpoint = tmp_path / "checkpoint"
    extra = [arg for option in options for arg in ("--option", option)]
    return run_inlet("ingest", "--source", f"{landing}/*.json", "--table", table, "--checkpoint", checkpoint,
                     "--option", f"cloudFiles.schemaLocation={checkpoint}",
                     "--option", "cloudFiles.inferColumnTypes=true", *extra)


def without_rescued(rows):
    """Rows without the _rescued_data column inlet's stream adds to the table."""
    return [{k: v for k, v in row.items() if k != "_rescued_data"} for row in rows]


def show(run_inlet, table):
    return run_inlet("show", table, "--format", "json", "--limit", "1000")


def show_rows(run_inlet, table):
    run = show(run_inlet, table)
    assert run.rc == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def delta_log_adds(table):
    adds = []
    for commit in sorted((Path(table) / "_delta_log").glob("*.json")):
        for line in commit.read_text().splitlines():
            action = json.loads(line)
            if "add" in action:
                adds.append((commit.name, action["add"]))
    return adds


def assert_refused(run, *words):
    assert run.rc != 0, run.stdout
    for word in words:
        assert word in run.stderr, run.stderr


INLET_ROWS = [{"id": 10, "name": "x", "day": "2024-03-01", "region": "eu"},
              {"id": 11, "name": "y", "day": "2024-03-01", "region": "a=b#c"},
              {"id": 12, "name": "z", "day": None, "region": None}]


def test_appends_to_a_partitioned_table_are_read_back_by_spark_delta_rs_and_inlet(golden, spark, run_inlet,
                                                                               tmp_path):
    from deltalake import DeltaTable

    table = golden["partitioned"]
    run = ingest(run_inlet, tmp_path, table, INLET_ROWS, "cloudFiles.schemaHints=day DATE")
    assert run.rc == 0, run.stderr
    expected = sorted([{"id": i, "name": n, "day": d, "region": r} for i, n, d, r in SPARK_ROWS] + INLET_ROWS,
                      key=lambda r: r["id"])

    # Every add inlet made names every partition column, in a Hive-style directory, and the
    # files hold only the other columns.
    import pyarrow.parquet as pq
    inlet_adds = [add for name, add in delta_log_adds(table) if name >= "00000000000000000002.json"]
    assert inlet_adds
    for add in inlet_adds:
        assert set(add["partitionValues"]) == {"day", "region"}
        assert add["path"].startswith("day=")
        file_columns = pq.read_schema(Path(table) / unquote(add["path"])).names
        assert "day" not in file_columns and "region" not in file_columns
        assert "day" not in json.loads(add["stats"])["minValues"]
    assert {add["partitionValues"]["region"] for add in inlet_adds} == {"eu", "a=b#c", None}

    rs_rows = without_rescued(DeltaTable(str(table)).to_pyarrow_table().to_pylist())
    rs_rows = sorted(({**r, "day": r["day"] and r["day"].isoformat()} for r in rs_rows), key=lambda r: r["id"])
    assert rs_rows == expected

    spark_rows = spark.read.format("delta").load(str(table)).orderBy("id").collect()
    assert without_rescued([{**r.asDict(), "day": r["day"] and r["day"].isoformat()} for r in spark_rows]) == expected

    shown = sorted(without_rescued(show_rows(run_inlet, table)), key=lambda r: r["id"])
    assert shown == [{k: v for k, v in row.items() if v is not None} for row in expected]


@pytest.mark.parametrize("mode", ["name", "id"])
def test_column_mapped_tables_show_their_values_under_logical_names(golden, run_inlet, mode):
    rows = sorted(show_rows(run_inlet, golden[f"mapping_{mode}"]), key=lambda r: r["id"])
    assert rows == [{"id": 1, "label": "a", "info": {"x": 10}}, {"id": 2, "label": "b", "info": {"x": 20}}]


@pytest.mark.parametrize("mode", ["name", "id"])
def test_appends_to_column_mapped_tables_are_refused(golden, run_inlet, tmp_path, mode):
    run = ingest(run_inlet, tmp_path, golden[f"mapping_{mode}"], [{"id": 3, "label": "c"}])
    assert_refused(run, "columnMapping", f"delta.columnMapping.mode={mode}", str(golden[f"mapping_{mode}"]))


def test_show_applies_the_deletion_vectors_spark_wrote(golden, run_inlet):
    ids = sorted(r["id"] for r in show_rows(run_inlet, golden["deletion_vectors"]))
    assert ids == [i for i in range(10) if i % 3 != 0]


# delta-rs 1.6 refuses tables with the deletionVectors reader feature, so Spark and inlet
# are the readers here.
def test_appends_to_a_table_with_deletion_vectors_keep_deleted_rows_deleted(golden, spark, run_inlet, tmp_path):
    table = golden["deletion_vectors"]
    run = ingest(run_inlet, tmp_path, table, [{"id": 100, "name": "new"}])
    assert run.rc == 0, run.stderr
    expected = sorted([i for i in range(10) if i % 3 != 0] + [100])
    assert [r["id"] for r in spark.read.format("delta").load(str(table)).orderBy("id").collect()] == expected
    assert sorted(r["id"] for r in show_rows(run_inlet, table)) == expected


def test_check_constraints_are_enforced_on_append_as_spark_enforces_them(golden, spark, run_inlet, tmp_path):
    table = golden["check_constraint"]
    commits = lambda: sorted(p.name for p in (table / "_delta_log").glob("*.json"))  # noqa: E731
    before = commits()
    for i, bad in enumerate(([{"id": 1, "name": "a"}, {"id": -1, "name": "b"}],
                             [{"id": 2, "name": "a"}, {"id": None, "name": "b"}])):
        run = ingest(run_inlet, tmp_path / f"bad{i}", table, bad)
        assert_refused(run, "CHECK constraint 'id_positive'", "id > 0", str(table))
        assert commits() == before
    # Spark, too, rejects a NULL for which the constraint is not true.
    with pytest.raises(Exception, match="(?i)constraint"):
        spark.sql(f"INSERT INTO delta.`{table}` VALUES (NULL, 'n')")

    run = ingest(run_inlet, tmp_path / "good", table, [{"id": 5, "name": "e"}, {"id": 6, "name": "f"}])
    assert run.rc == 0, run.stderr
    assert [r["id"] for r in spark.read.format("delta").load(str(table)).orderBy("id").collect()] == [5, 6]


@pytest.mark.parametrize("table, words", [
    ("generated", ["generatedColumns", "id2"]),
    ("identity", ["identityColumns", "rid"]),
    ("timestamp_ntz", ["timestampNtz"]),
])
def test_appends_needing_features_inlet_lacks_are_refused_by_name(golden, run_inlet, tmp_path, table, words):
    before = sorted(p.name for p in (golden[table] / "_delta_log").glob("*.json"))
    run = ingest(run_inlet, tmp_path, golden[table], [{"id": 5, "name": "e"}])
    assert_refused(run, *words, str(golden[table]))
    assert sorted(p.name for p in (golden[table] / "_delta_log").glob("*.json")) == before


def test_show_refuses_timestamp_ntz_tables_by_feature(golden, run_inlet):
    assert_refused(show(run_inlet, golden["timestamp_ntz"]), "timestampNtz")


def test_a_v2_checkpoint_with_sidecars_is_read_and_the_table_appended_to(golden, spark, run_inlet, tmp_path):
    import shutil

    table = tmp_path / "v2"
    shutil.copytree(golden["v2_checkpoint"], table)
    log = table / "_delta_log"
    assert list((log / "_sidecars").glob("*.parquet")), "Spark wrote no sidecar"
    [checkpoint] = log.glob("*.checkpoint.*-*-*-*-*.json")
    # Only the checkpoint can tell the table's state now.
    checkpoint_version = int(checkpoint.name[:20])
    for commit in log.glob("*.json"):
        if commit.name[:20].isdigit() and int(commit.name[:20]) <= checkpoint_version and commit != checkpoint:
            commit.unlink()
    assert show_rows(run_inlet, table) == [{"id": 1, "name": "a"}]

    run = ingest(run_inlet, tmp_path, table, [{"id": 2, "name": "b"}])
    assert run.rc == 0, run.stderr
    rows = [r.asDict() for r in spark.read.format("delta").load(str(table)).orderBy("id").collect()]
    assert without_rescued(rows) == [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]
    assert sorted(without_rescued(show_rows(run_inlet, table)), key=lambda r: r["id"]) == without_rescued(rows)
