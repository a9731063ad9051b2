# VARIANT end to end: what inlet writes for `singleVariantColumn` and for a `VARIANT` hint is
# read by Spark 4.2 + Delta 4.4 as the same values Spark's own parse_json makes of the same
# text, by delta-rs (which has no variant type) as its struct<metadata, value> storage, and by
# `inlet show`; a variant table Spark made is appended to and read back.
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.spark

# Lines with every kind of value a variant holds: nested objects and arrays, a key order
# Spark sorts, a decimal, an integer past long, a double, JSON null, an empty object.
RECORDS = [
    '{"id": 1, "payload": {"b": 2, "a": [1, 2.5, "x", null, true], "nested": {"z": {}}}}',
    '{"id": 2, "payload": 12345678901234567890123}',
    '{"id": 3, "payload": "text with \\"quotes\\" and \\u00e9"}',
    '{"id": 4, "payload": null}',
    '{"id": 5, "payload": [1.5e300, -0.0, 3.25, 100000000000]}',
    '{"id": 6}',
]


def write_landing(tmp_path, lines):
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "part-0.json").write_text("".join(line + "\n" for line in lines))
    return landing


def ingest(run_inlet, tmp_path, landing, table, *options):
    checkpoint = tmp_path / "checkpoint"
    extra = [arg for option in options for arg in ("--option", option)]
    return run_inlet("ingest", "--source", f"{landing}/*.json", "--table", table, "--checkpoint", checkpoint,
                     "--option", f"cloudFiles.schemaLocation={checkpoint}", *extra)


def spark_json_texts(spark, texts):
    """What Spark's parse_json then to_json makes of each JSON text (None for None)."""
    rows = spark.createDataFrame([(i, t) for i, t in enumerate(texts)], "i INT, s STRING") \
        .selectExpr("i", "to_json(parse_json(s)) AS j").orderBy("i").collect()
    return [r["j"] for r in rows]


def protocol_of(table):
    for line in (Path(table) / "_delta_log" / "00000000000000000000.json").read_text().splitlines():
        action = json.loads(line)
        if "protocol" in action:
            return action["protocol"]
    raise AssertionError("no protocol action")


def schema_fields(tmp_path):
    """The fields of the stream's _schemas/0."""
    version, entry = (tmp_path / "checkpoint" / "_schemas" / "0").read_text().splitlines()[:2]
    assert version == "v1"
    return json.loads(json.loads(entry)["dataSchemaJson"])["fields"]


def shown(run_inlet, table):
    run = run_inlet("show", table, "--format", "json", "--limit", "1000")
    assert run.rc == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def test_a_single_variant_column_holds_each_record_as_spark_parses_it(spark, run_inlet, tmp_path):
    from deltalake import DeltaTable

    landing = write_landing(tmp_path, RECORDS)
    table = tmp_path / "table"
    run = ingest(run_inlet, tmp_path, landing, table, "singleVariantColumn=v")
    assert run.rc == 0, run.stderr

    assert protocol_of(table) == {"minReaderVersion": 3, "minWriterVersion": 7, "readerFeatures": ["variantType"],
                                  "writerFeatures": ["appendOnly", "invariants", "variantType"]}
    frame = spark.read.format("delta").load(str(table))
    assert frame.schema.simpleString() == "struct<v:variant>"
    got = sorted(r["j"] for r in frame.selectExpr("to_json(v) AS j").collect())
    assert got == sorted(spark_json_texts(spark, RECORDS))
    # Spark navigates the binary form, not just its text.
    ids = sorted(r["i"] for r in frame.selectExpr("variant_get(v, '$.id', 'int') AS i").collect())
    assert ids == [1, 2, 3, 4, 5, 6]

    # delta-rs has no variant type: it reads the storage struct, both fields binary.
    rs = DeltaTable(str(table)).to_pyarrow_table()
    assert [f.name for f in rs.schema.field("v").type] == ["metadata", "value"]
    assert rs.num_rows == len(RECORDS)

    # inlet prints doubles in the shortest form that reads back (1.5e+300), Spark as Java does
    # (1.5E300): the values are compared, not the texts.
    by_id = lambda values: sorted(values, key=lambda v: v["id"])  # noqa: E731
    assert by_id(r["v"] for r in shown(run_inlet, table)) == by_id(json.loads(t) for t in spark_json_texts(spark, RECORDS))


def test_a_variant_hint_keeps_any_value_and_null_apart_from_absent(spark, run_inlet, tmp_path):
    landing = write_landing(tmp_path, RECORDS)
    table = tmp_path / "table"
    run = ingest(run_inlet, tmp_path, landing, table, "cloudFiles.inferColumnTypes=true",
                 "cloudFiles.schemaHints=payload VARIANT")
    assert run.rc == 0, run.stderr
    assert {"name": "payload", "type": "variant", "nullable": True, "metadata": {}} in schema_fields(tmp_path)

    frame = spark.read.format("delta").load(str(table))
    assert frame.schema["payload"].dataType.simpleString() == "variant"
    rows = frame.selectExpr("id", "to_json(payload) AS j", "payload IS NULL AS sql_null").orderBy("id").collect()
    records = [json.loads(line) for line in RECORDS]
    expected = spark_json_texts(spark, [json.dumps(r["payload"]) if "payload" in r else None for r in records])
    assert [r["j"] for r in rows] == expected
    # A JSON null is a variant null (not SQL NULL); an absent field is SQL NULL.
    assert [r["sql_null"] for r in rows] == [False, False, False, False, False, True]
    assert rows[3]["j"] == "null"


def test_variants_nested_in_structs_and_arrays_read_back_in_spark(spark, run_inlet, tmp_path):
    lines = ['{"id": 1, "a": {"b": {"x": [1, 2]}, "c": 1}, "arr": [{"k": 1}, 2, "s"]}',
             '{"id": 2, "a": {"b": null, "c": 2}, "arr": []}',
             '{"id": 3, "a": {"c": 3}, "arr": [null]}']
    landing = write_landing(tmp_path, lines)
    table = tmp_path / "table"
    run = ingest(run_inlet, tmp_path, landing, table, "cloudFiles.inferColumnTypes=true",
                 "cloudFiles.schemaHints=a.b VARIANT, arr ARRAY<VARIANT>")
    assert run.rc == 0, run.stderr
    frame = spark.read.format("delta").load(str(table))
    assert frame.schema["a"].dataType.simpleString() == "struct<b:variant,c:bigint>"
    assert frame.schema["arr"].dataType.simpleString() == "array<variant>"
    rows = frame.selectExpr("id", "to_json(a.b) AS b", "transform(arr, e -> to_json(e)) AS arr").orderBy("id").collect()
    assert [(r["b"], r["arr"]) for r in rows] == [('{"x":[1,2]}', ['{"k":1}', "2", '"s"']), ("null", []),
                                                 (None, ["null"])]


def test_a_table_that_gains_a_variant_column_moves_to_the_variant_protocol_in_that_commit(spark, run_inlet,
                                                                                           tmp_path):
    landing = write_landing(tmp_path, ['{"id": 1}'])
    table = tmp_path / "table"
    options = ("cloudFiles.inferColumnTypes=true",)
    assert ingest(run_inlet, tmp_path, landing, table, *options).rc == 0
    assert protocol_of(table) == {"minReaderVersion": 1, "minWriterVersion": 2}
    (landing / "part-1.json").write_text('{"id": 2, "p": {"x": [1]}}\n')
    run = ingest(run_inlet, tmp_path, landing, table, *options, "cloudFiles.schemaHints=p VARIANT")
    assert run.rc == 0, run.stderr

    commit = [json.loads(line) for line in (table / "_delta_log" / "00000000000000000001.json").read_text().splitlines()]
    [protocol] = [a["protocol"] for a in commit if "protocol" in a]
    assert protocol["readerFeatures"] == ["variantType"]
    assert set(protocol["writerFeatures"]) == {"appendOnly", "invariants", "variantType"}
    assert any("metaData" in a for a in commit), "the schema change and the protocol go in one commit"
    rows = spark.read.format("delta").load(str(table)).selectExpr("id", "to_json(p) AS j").orderBy("id").collect()
    assert [(r["id"], r["j"]) for r in rows] == [(1, None), (2, '{"x":[1]}')]


def test_a_variant_table_spark_made_is_appended_to_and_read_back(spark, run_inlet, tmp_path):
    table = tmp_path / "spark_variant"
    spark.sql(f"CREATE TABLE delta.`{table}` (id BIGINT, payload VARIANT) USING delta")
    spark.sql(f"INSERT INTO delta.`{table}` SELECT 100, parse_json('{{\"from\": \"spark\", \"n\": [1, 2]}}')")
    landing = write_landing(tmp_path, RECORDS[:3])
    run = ingest(run_inlet, tmp_path, landing, table, "cloudFiles.inferColumnTypes=true",
                 "cloudFiles.schemaHints=payload VARIANT")
    assert run.rc == 0, run.stderr

    rows = spark.read.format("delta").load(str(table)).selectExpr("id", "to_json(payload) AS j") \
        .orderBy("id").collect()
    texts = [json.dumps(json.loads(line)["payload"]) for line in RECORDS[:3]]
    assert [r["id"] for r in rows] == [1, 2, 3, 100]
    assert [r["j"] for r in rows] == spark_json_texts(spark, texts) + ['{"from":"spark","n":[1,2]}']
    by_id = {r["id"]: r["payload"] for r in shown(run_inlet, table)}
    assert by_id[100] == {"from": "spark", "n": [1, 2]}
    assert by_id[1] == json.loads(rows[0]["j"])


@pytest.mark.parametrize("option", ["cloudFiles.schemaHints=id BIGINT", "cloudFiles.schemaEvolutionMode=rescue",
                                    "rescuedDataColumn=_r"])
def test_single_variant_column_refuses_what_would_split_the_record(run_inlet, tmp_path, option):
    landing = write_landing(tmp_path, RECORDS[:1])
    run = ingest(run_inlet, tmp_path, landing, tmp_path / "table", "singleVariantColumn=v", option)
    assert run.rc == 2, run.stderr
    assert "singleVariantColumn" in run.stderr and option.split("=")[0] in run.stderr
    assert not (tmp_path / "table").exists()
