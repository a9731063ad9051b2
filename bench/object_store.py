#!/usr/bin/env python3
"""inlet on S3 against inlet on local disk, side by side in one run, through a local S3
server (moto's, started here): the same generated IoT JSON loaded from a landing folder into
a table on local disk, and from a bucket into a table in a bucket. Prints wall time and
throughput of each and their ratio, then how fast a landing zone of many small objects is
discovered and loaded, with the LIST requests it took (counted in the server's log).

  bench/object_store.py --files 8 --rows-per-file 60000 --runs 3 --objects 10000
  bench/object_store.py --files 0 --objects 0 --listing-objects 100000   # listing only
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if Path(sys.executable).resolve() != (REPO / ".venv/bin/python").resolve() and (REPO / ".venv/bin/python").exists():
    os.execv(str(REPO / ".venv/bin/python"), [str(REPO / ".venv/bin/python"), *sys.argv])
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests/integration"))
import gen_iot  # noqa: E402
from object_stores import MotoS3  # noqa: E402


def ingest(inlet, source, table, checkpoint, env):
    start = time.monotonic()
    run = subprocess.run([str(inlet), "ingest", "--source", source, "--table", table, "--checkpoint", str(checkpoint),
                          "--option", "cloudFiles.inferColumnTypes=true",
                          "--option", f"cloudFiles.schemaLocation={checkpoint}"],
                         capture_output=True, text=True, env={**os.environ, **env})
    elapsed = time.monotonic() - start
    if run.returncode != 0:
        sys.exit(f"ingest {source} -> {table} failed:\n{run.stderr}")
    return elapsed


def timed(inlet, args, env):
    start = time.monotonic()
    run = subprocess.run([str(inlet), *map(str, args)], capture_output=True, text=True, env={**os.environ, **env})
    if run.returncode != 0:
        sys.exit(f"inlet {' '.join(map(str, args))} failed:\n{run.stderr}")
    return time.monotonic() - start


def listing_bench(inlet, server, work, objects, env):
    """Discovery of a landing zone of `objects` keys: the first (full) listing, then the run
    after 100 more keys arrived, listed in full and incrementally (from the cursor)."""
    server.create_bucket("wide")
    one = b'{"device_id": 1, "temp": 20.5}\n'

    def put(keys):
        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda k: server.client.put_object(Bucket="wide", Key=k, Body=one), keys))

    put([f"in/{i // 1000:04d}/{i:07d}.json" for i in range(objects)])
    lists = lambda: list_requests(server.log.name, "wide")  # noqa: E731

    def run(checkpoint, mode, *extra):
        server.log.flush()
        before = lists()
        args = ["ingest", "--source", "s3://wide/in/*/*.json", "--table", work / f"t-{checkpoint}",
                "--checkpoint", work / checkpoint, "--schema", "device_id BIGINT, temp DOUBLE",
                "--option", f"cloudFiles.useIncrementalListing={mode}", *extra]
        elapsed = timed(inlet, args, env)
        server.log.flush()
        return elapsed, lists() - before

    # Both streams start by taking the existing keys as seen (includeExistingFiles=false), so
    # what is timed is the listing, not the loading of 100k one-line files.
    first = [run(name, mode, "--option", "cloudFiles.includeExistingFiles=false")
             for name, mode in (("c-full", "false"), ("c-incr", "true"))]
    put([f"in/9999/{objects + i:07d}.json" for i in range(100)])
    full = run("c-full", "false")
    incremental = run("c-incr", "true")
    print(f"discovery of {objects} objects in {objects // 1000} folders on S3 (moto), then 100 new ones:")
    for label, (elapsed, count) in (("first run, full listing", first[0]), ("first run, full listing (2)", first[1])):
        print(f"  {label:32s} {elapsed:7.2f} s  {objects / elapsed:9.0f} files/s  LIST requests: {count}")
    print(f"  {'next run, full listing':32s} {full[0]:7.2f} s  {(objects + 100) / full[0]:9.0f} files/s  "
          f"LIST requests: {full[1]}")
    print(f"  {'next run, incremental listing':32s} {incremental[0]:7.2f} s  {'':>9s}          "
          f"LIST requests: {incremental[1]}")
    print(f"  incremental / full wall time     {incremental[0] / full[0]:7.3f}")


def list_requests(log_path, bucket):
    text = Path(log_path).read_text(errors="replace")
    return len(re.findall(rf'"GET /{re.escape(bucket)}\?[^"]*list-type=2', text)) + \
        len(re.findall(rf'"GET /{re.escape(bucket)}/?\?[^"]*delimiter', text))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--rows-per-file", type=int, default=60000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--objects", type=int, default=10000, help="small objects for the discovery part (0: skip)")
    parser.add_argument("--listing-objects", type=int, default=0,
                        help="keys for the listing part, full against incremental (0: skip; the issue's figure: 100000)")
    parser.add_argument("--inlet", default=os.environ.get("INLET_BIN", str(REPO / "build/inlet")))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="inlet-bench-s3-"))
    server = MotoS3(work)
    try:
        env = server.env()
        if args.files:
            landing = work / "landing"
            paths = gen_iot.generate(landing, args.files, args.rows_per_file, seed=42)
            size = sum(p.stat().st_size for p in paths)
            server.create_bucket("landing")
            server.create_bucket("lake")
            for p in paths:
                server.upload("landing", f"iot/{p.name}", p)
            local, remote = [], []
            for run in range(args.runs):  # interleaved, so drift of the machine hits both alike
                local.append(ingest(args.inlet, str(landing), str(work / f"t{run}"), work / f"c-local{run}", env))
                remote.append(ingest(args.inlet, "s3://landing/iot", f"s3://lake/t{run}", work / f"c-s3{run}", env))
            mb = size / 1e6
            print(f"ingest of {mb:.0f} MB ({args.files} files), median of {args.runs} runs:")
            print(f"  local disk -> local table   {statistics.median(local):7.2f} s  {mb / statistics.median(local):7.1f} MB/s")
            print(f"  S3 (moto)  -> S3 table      {statistics.median(remote):7.2f} s  {mb / statistics.median(remote):7.1f} MB/s")
            print(f"  S3 / local wall time        {statistics.median(remote) / statistics.median(local):7.2f}")

        if args.objects:
            server.create_bucket("many")
            one = b'{"device_id": 1, "temp": 20.5}\n'
            with concurrent.futures.ThreadPoolExecutor(32) as pool:
                list(pool.map(lambda i: server.client.put_object(Bucket="many", Key=f"in/{i:07d}.json", Body=one),
                              range(args.objects)))
            before = list_requests(server.log.name, "many")
            elapsed = ingest(args.inlet, "s3://many/in/*.json", str(work / "t-many"), work / "c-many", env)
            server.log.flush()
            lists = list_requests(server.log.name, "many") - before
            print(f"discovery and load of {args.objects} one-record objects from S3 (full listing):")
            print(f"  {elapsed:7.2f} s  {args.objects / elapsed:9.0f} files/s  LIST requests: {lists}")
        if args.listing_objects:
            listing_bench(args.inlet, server, work, args.listing_objects, env)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
