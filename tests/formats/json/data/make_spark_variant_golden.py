"""Writes spark_variant_golden.jsonl: the VARIANT bytes Spark's try_parse_json gives for each
line of spark_variant_cases.txt (one JSON value per line), or "error" where Spark refuses it.
json_variant_test.cc checks inlet's encoder against these bytes. Run with the project
virtualenv (pyspark is in requirements.txt) after editing the cases:
    .venv/bin/python tests/formats/json/data/make_spark_variant_golden.py
"""
import json
import pathlib

from pyspark.sql import SparkSession

here = pathlib.Path(__file__).parent
cases = (here / "spark_variant_cases.txt").read_text(encoding="utf-8").splitlines()
spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
         .getOrCreate())
rows = (spark.createDataFrame([(c,) for c in cases], "s string")
        .selectExpr("s", "try_parse_json(s) AS v").collect())
with open(here / "spark_variant_golden.jsonl", "w", encoding="utf-8") as out:
    for row in rows:
        entry = {"json": row["s"]}
        if row["v"] is None:
            entry["error"] = True
        else:
            entry["value"] = bytes(row["v"].value).hex()
            entry["metadata"] = bytes(row["v"].metadata).hex()
        out.write(json.dumps(entry) + "\n")
spark.stop()
