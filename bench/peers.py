#!/usr/bin/env python3
# The peers bench/run compares inlet with, each run as its own process (so /usr/bin/time sees
# only its own RSS and CPU): DuckDB JSON -> Parquet, delta-rs, and Spark structured streaming.
"""Usage: peers.py {duckdb,deltars,spark} --data DIR --out PATH [--checkpoint DIR] [--threads N]

Each mode does what a data engineer would write for "load this folder of NDJSON", prints one
JSON line on stdout with its in-process timings, and exits non-zero on any error. Row counts
are checked by bench/run afterwards, outside the timed process.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Spark's heap: enough that a 5 GB availableNow run never spills or dies of GC, the same
# for every size so its RSS is comparable between runs.
SPARK_DRIVER_MEMORY = "2g"


def run_duckdb(args):
    import duckdb
    started = time.monotonic()
    con = duckdb.connect()
    con.execute(f"SET threads = {int(args.threads)}")
    glob = str(Path(args.data) / "*.json")
    # read_json's defaults (auto-detected schema); union_by_name only if asked, since a drifted
    # set otherwise fails detection (see bench/README.md).
    union = ", union_by_name = true" if args.union_by_name else ""
    con.execute(f"COPY (SELECT * FROM read_json('{glob}'{union})) TO '{args.out}' "
                f"(FORMAT parquet)")
    return {"inner_s": time.monotonic() - started}


def _grouped_by_schema(paths):
    """Yields (schema, batches) for runs of consecutive files with one inferred schema; each
    file is read with pyarrow.json only when the writer pulls its batches, so memory holds one
    file. The caller must exhaust each group's batches before asking for the next group."""
    import pyarrow.json as pj
    tables = (pj.read_json(path) for path in paths)
    head = next(tables, None)
    while head is not None:
        carry = []

        def group(first=head, carry=carry):
            yield from first.to_batches()
            for table in tables:
                if table.schema != first.schema:
                    carry.append(table)  # the first file of the next group
                    return
                yield from table.to_batches()

        yield head.schema, group()
        head = carry[0] if carry else None


def run_deltars(args):
    import pyarrow as pa
    from deltalake import write_deltalake
    pa.set_cpu_count(int(args.threads))
    pa.set_io_thread_count(int(args.threads))
    started = time.monotonic()
    paths = sorted(str(p) for p in Path(args.data).glob("*.json"))
    if not paths:
        raise SystemExit(f"peers.py deltars: no *.json files in {args.data}")
    writes = 0
    for schema, batches in _grouped_by_schema(paths):
        reader = pa.RecordBatchReader.from_batches(schema, batches)
        # One streaming write per run of same-schema files; a drifted file merges its schema.
        write_deltalake(args.out, reader, mode="append",
                        schema_mode="merge" if writes else None)
        writes += 1
    return {"inner_s": time.monotonic() - started, "writes": writes}


def _stop_spark_jvm(spark):
    """Stops the session and waits for the JVM child, so its peak RSS and CPU are counted in
    this process's children (what /usr/bin/time reports) instead of being orphaned."""
    from pyspark import SparkContext
    gateway = SparkContext._gateway
    spark.stop()
    proc = getattr(gateway, "proc", None) if gateway is not None else None
    if gateway is not None:
        gateway.shutdown()
    if proc is not None:
        if proc.stdin:
            proc.stdin.close()  # the JVM exits when its parent's pipe closes
        proc.wait(timeout=60)


def run_spark(args):
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from delta import configure_spark_with_delta_pip
    from pyspark.sql import SparkSession

    threads = int(args.threads)
    work = Path(args.checkpoint).parent
    started = time.monotonic()
    builder = (
        SparkSession.builder.master(f"local[{threads}]")
        .appName("inlet-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(threads))
        .config("spark.default.parallelism", str(threads))
        .config("spark.databricks.delta.snapshotPartitions", str(threads))
        .config("spark.driver.memory", SPARK_DRIVER_MEMORY)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(work / "spark-warehouse"))
        .config("spark.jars.ivy", str(REPO / ".cache" / "ivy"))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
    )
    spark = configure_spark_with_delta_pip(builder).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    session_s = time.monotonic() - started

    data = str(Path(args.data))
    inferred = time.monotonic()
    schema = spark.read.json(data).schema  # a full pass over the data, as Spark infers
    infer_s = time.monotonic() - inferred

    streamed = time.monotonic()
    query = (spark.readStream.format("json").schema(schema).load(data)
             .writeStream.format("delta")
             .option("checkpointLocation", args.checkpoint)
             .trigger(availableNow=True)
             .start(args.out))
    query.awaitTermination()
    stream_s = time.monotonic() - streamed
    if query.exception() is not None:
        raise SystemExit(f"peers.py spark: streaming query failed: {query.exception()}")
    _stop_spark_jvm(spark)
    return {"inner_s": time.monotonic() - started, "session_s": session_s,
            "infer_s": infer_s, "stream_s": stream_s}


MODES = {"duckdb": run_duckdb, "deltars": run_deltars, "spark": run_spark}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=sorted(MODES))
    parser.add_argument("--data", required=True, help="folder of *.json files")
    parser.add_argument("--out", required=True, help="Parquet file or Delta table to write")
    parser.add_argument("--checkpoint", help="Spark streaming checkpoint folder")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--union-by-name", action="store_true",
                        help="DuckDB: read_json(..., union_by_name=true) for drifted sets")
    args = parser.parse_args()
    if args.mode == "spark" and not args.checkpoint:
        parser.error("spark needs --checkpoint")
    timings = MODES[args.mode](args)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v
                      for k, v in timings.items()}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
