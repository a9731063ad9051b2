"""CSV through `inlet ingest` as Auto Loader runs it (issue 14): inference from the header
with Spark's CSV types, rescued data for values that do not fit and columns that are not in
the schema, addNewColumns on a new header column, bad records, FAILFAST, and the table read
by delta-rs and by Spark + Delta equal to Spark's own read of the files."""
import json
from pathlib import Path

import pytest

from deltalake import DeltaTable

from inlet_testlib import delta_schema

CSV = ["--option", "cloudFiles.format=csv", "--option", "header=true", "--option", "inlet.fileSettleTime=0"]


def ingest(run_inlet, tmp_path, *extra, infer=True):
    args = ["ingest", "--source", f"{tmp_path}/landing/*.csv", "--table", tmp_path / "table",
            "--checkpoint", tmp_path / "checkpoint", *CSV]
    if infer:
        args += ["--option", "cloudFiles.inferColumnTypes=true",
                 "--option", f"cloudFiles.schemaLocation={tmp_path / 'checkpoint'}"]
    return run_inlet(*args, *extra)


def land(tmp_path, name, text):
    folder = tmp_path / "landing"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def delta_rows(table):
    return DeltaTable(str(table)).to_pyarrow_table().to_pylist()


def by_id(table):
    return {r["id"]: r for r in delta_rows(table)}


def test_inferred_types_and_rescued_values(run_inlet, tmp_path):
    land(tmp_path, "a.csv", "id,name,temp,ok,day\n1,alpha,21.5,true,2024-01-05\n2,\"b,c\",19,false,2024-01-06\n")
    run = ingest(run_inlet, tmp_path)
    assert run.rc == 0, run.stderr
    assert delta_schema(tmp_path / "table") == [("id", "integer"), ("name", "string"), ("temp", "double"),
                                                ("ok", "boolean"), ("day", "date"), ("_rescued_data", "string")]
    # A later file with a temp that is no number: rescued, with the file it came from.
    second = land(tmp_path, "b.csv", "id,name,temp,ok,day\n3,gamma,warm,true,2024-01-07\n")
    run = ingest(run_inlet, tmp_path)
    assert run.rc == 0, run.stderr
    rows = by_id(tmp_path / "table")
    assert rows[2]["name"] == "b,c" and rows[2]["temp"] == 19.0
    assert rows[3]["temp"] is None
    assert json.loads(rows[3]["_rescued_data"]) == {"temp": "warm", "_file_path": f"file:{second}"}
    assert rows[1]["_rescued_data"] is None


def test_a_new_header_column_adds_a_schema_version_and_loads_on_the_next_run(run_inlet, tmp_path):
    land(tmp_path, "a.csv", "id,name\n1,alpha\n")
    assert ingest(run_inlet, tmp_path).rc == 0
    land(tmp_path, "b.csv", "id,name,score\n2,beta,0.5\n")
    run = ingest(run_inlet, tmp_path)
    assert run.rc == 3, run.stderr
    assert "score" in run.stderr
    version = (tmp_path / "checkpoint" / "_schemas" / "1").read_text().split("\n")
    names = [f["name"] for f in json.loads(json.loads(version[1])["dataSchemaJson"])["fields"]]
    assert names == ["id", "name", "score"]
    run = ingest(run_inlet, tmp_path)
    assert run.rc == 0, run.stderr
    rows = by_id(tmp_path / "table")
    assert rows[1]["score"] is None and rows[2]["score"] == 0.5
    assert rows[2]["_rescued_data"] is None


def test_a_header_that_names_columns_in_another_order_is_rescued(run_inlet, tmp_path):
    land(tmp_path, "a.csv", "id,name\n1,alpha\n")
    assert ingest(run_inlet, tmp_path).rc == 0
    moved = land(tmp_path, "b.csv", "name,id\nbeta,2\n")
    run = ingest(run_inlet, tmp_path)
    assert run.rc == 0, run.stderr
    rows = delta_rows(tmp_path / "table")
    moved_row = [r for r in rows if r["id"] is None][0]
    assert json.loads(moved_row["_rescued_data"]) == {"name": "beta", "id": "2", "_file_path": f"file:{moved}"}


def test_malformed_records_go_to_bad_records_or_fail_naming_file_and_line(run_inlet, tmp_path):
    # With a schema and no rescued data column CSV is read as Spark reads it: a ragged row
    # or a value that does not convert is malformed.
    path = land(tmp_path, "a.csv", "id,name\n1,alpha\n2\nx,gamma\n4,delta\n")
    bad_dir = tmp_path / "bad"
    run = ingest(run_inlet, tmp_path, "--schema", "id INT, name STRING", "--option", "mode=DROPMALFORMED",
                 "--option", f"badRecordsPath={bad_dir}", infer=False)
    assert run.rc == 0, run.stderr
    assert sorted(by_id(tmp_path / "table")) == [1, 4]
    saved = [json.loads(line) for f in bad_dir.rglob("part-*") for line in f.read_text().splitlines()]
    assert sorted((r["line"], r["reason"]) for r in saved) == [
        (3, "malformed CSV record: expected 2 values, found 1"),
        (4, "malformed CSV record: value 'x' of column id does not convert to integer")]
    assert all(r["path"] == str(path) for r in saved)
    failing = tmp_path / "failfast"
    failing.mkdir()
    run = run_inlet("ingest", "--source", f"{tmp_path}/landing/*.csv", "--table", failing / "table",
                    "--checkpoint", failing / "checkpoint", "--schema", "id INT, name STRING", *CSV,
                    "--option", "mode=FAILFAST")
    assert run.rc == 1
    assert f"{path}:3 (byte 16): malformed CSV record: expected 2 values, found 1" in run.stderr


def test_format_options_are_checked_before_anything_is_written(run_inlet, tmp_path):
    land(tmp_path, "a.csv", "id\n1\n")
    run = ingest(run_inlet, tmp_path, "--option", "quote=ab")
    assert run.rc == 2
    assert "option quote" in run.stderr
    assert not (tmp_path / "table").exists()
    run = ingest(run_inlet, tmp_path, "--option", "cloudFiles.format=xlsx")
    assert run.rc == 2
    assert "supported: json, csv" in run.stderr


@pytest.mark.spark
def test_spark_and_delta_rs_read_the_table_as_spark_reads_the_files(run_inlet, tmp_path, spark):
    text = ("id,name,temp,ok,ts\n1,alpha,21.5,true,2024-01-05T10:00:00\n2,\"multi\nline\",,false,2024-01-05 11:30:00\n"
            "3,\"quote \\\"inside\\\"\",-4e2,TRUE,\n")
    land(tmp_path, "a.csv", text)
    run = ingest(run_inlet, tmp_path, "--option", "multiLine=true")
    assert run.rc == 0, run.stderr
    files = (spark.read.option("header", "true").option("inferSchema", "true").option("multiLine", "true")
             .csv(str(tmp_path / "landing")))
    table = spark.read.format("delta").load(str(tmp_path / "table"))
    assert [f.name for f in table.schema.fields] == [f.name for f in files.schema.fields] + ["_rescued_data"]
    assert [f.dataType for f in table.schema.fields][:-1] == [f.dataType for f in files.schema.fields]
    want = sorted(tuple(r) for r in files.collect())
    assert sorted(tuple(r)[:-1] for r in table.collect()) == want
    rs = delta_rows(tmp_path / "table")
    assert sorted((r["id"], r["name"], r["temp"], r["ok"]) for r in rs) == sorted((r[0], r[1], r[2], r[3]) for r in want)
