#!/usr/bin/env python3
# bench/csv_peers.py: inlet's CSV (and Parquet) -> Delta load side by side with DuckDB, Polars
# and pyarrow + delta-rs on one generated IoT-like data set, each tool its own process.
"""Time inlet against DuckDB, Polars and pyarrow + deltalake loading CSV (or Parquet).

  bench/csv_peers.py                          # 256 MB of CSV in 8 files, every tool
  bench/csv_peers.py --size 32 --tools duckdb,polars,pyarrow
  bench/csv_peers.py --parquet                # the same rows as Parquet -> Delta

Every tool runs as its own process under /usr/bin/time -f '%e %M' (os.wait4 when there is no
/usr/bin/time): wall seconds by this script's clock, peak RSS of the tool's process. After a
run, the output's row count is read from its Parquet footers and checked against the input.

  inlet     inlet ingest --source DIR/*.csv --option cloudFiles.format=csv --option header=true
            --option cloudFiles.inferColumnTypes=true --option cloudFiles.schemaLocation=C
            (--parquet: cloudFiles.format=parquet) -> a Delta table
  duckdb    COPY (SELECT * FROM read_csv('DIR/*.csv')) TO 'out.parquet' (FORMAT parquet):
            one Parquet file, no Delta log (DuckDB does not write Delta)
  polars    pl.scan_csv('DIR/*.csv', try_parse_dates=True) -> a Delta table (sink_delta, or
            collect + write_delta) when deltalake is importable, else sink_parquet
  pyarrow   pyarrow.csv.open_csv per file, streamed as one RecordBatchReader into
            deltalake.write_deltalake -> a Delta table
  baseline  pyarrow read + pyarrow.parquet write of one Parquet file: the floor a Delta
            writer adds its work to

Ratios: "x inlet" is the tool's time over inlet's (above 1: inlet was faster); "x baseline"
the same over the baseline's.  The input is in the page cache (just written) for every tool.
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
# Run inside the project's virtualenv (duckdb, deltalake, pyarrow live there).
if Path(sys.prefix).resolve() != (REPO / ".venv").resolve() and VENV_PYTHON.exists():
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])

import argparse  # noqa: E402
import datetime  # noqa: E402
import importlib.util  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ALL_TOOLS = ["inlet", "duckdb", "polars", "pyarrow", "baseline"]
# Python modules a tool needs; a tool whose module is missing is skipped with a note.
TOOL_MODULES = {"duckdb": ["duckdb"], "polars": ["polars"], "pyarrow": ["pyarrow", "deltalake"],
                "baseline": ["pyarrow"]}
FILES = 8
HEADER = ["id", "device", "ts", "temp", "humidity", "lat", "long", "status", "ok", "note"]
STATUSES = ["ok", "ok", "ok", "warn", "error", "offline"]
NOTES = ["", "nominal", "battery low", "recalibrated", "fan noise", "door open"]
QUOTED_NOTES = ['"high temp, check fan"', '"moved, lat/long updated"', '"reset, 3 times"']
START = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
UNITS = {"": 10**6, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6,
         "g": 10**9, "gb": 10**9}


def log(message):
    print(f"[csv_peers] {message}", flush=True)


def parse_size(text):
    """'256' or '256m' -> 256_000_000 bytes; '1g' -> 10^9 (decimal units, as MB/s is)."""
    t = text.strip().lower()
    digits = t.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = t[len(digits):]
    if not digits or unit not in UNITS:
        raise argparse.ArgumentTypeError(f"bad size {text!r} (e.g. 32, 256m, 1g)")
    return int(float(digits) * UNITS[unit])


# ---------------------------------------------------------------------------------------------
# The data set


def write_csv_file(path, rows, first_id, rng):
    """rows IoT readings, ids first_id.., timestamps one per 250 ms; ~10% of the notes are
    quoted and hold a comma, ~15% are empty (null)."""
    devices = [f"dev-{i:05d}" for i in range(5000)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(HEADER) + "\n")
        chunk = []
        base = START.timestamp()
        rand, choice = rng.random, rng.choice
        for i in range(first_id, first_id + rows):
            ts = datetime.datetime.fromtimestamp(base + i * 0.25, datetime.timezone.utc)
            r = rand()
            note = choice(QUOTED_NOTES) if r < 0.1 else ("" if r < 0.25 else choice(NOTES[1:]))
            chunk.append(f"{i},{choice(devices)},{ts:%Y-%m-%d %H:%M:%S}.{ts.microsecond // 1000:03d},"
                         f"{15 + 20 * rand():.2f},{30 + 60 * rand():.1f},{180 * rand() - 90:.6f},"
                         f"{360 * rand() - 180:.6f},{choice(STATUSES)},"
                         f"{'true' if rand() < 0.9 else 'false'},{note}\n")
            if len(chunk) == 10000:
                f.write("".join(chunk))
                chunk.clear()
        f.write("".join(chunk))


def generate(data_dir, size_bytes, seed):
    """FILES CSV files of about size_bytes in all; returns (paths, rows)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sample = data_dir / "sample.tmp"
    write_csv_file(sample, 2000, 1, random.Random(seed))
    bytes_per_row = sample.stat().st_size / 2000
    sample.unlink()
    rows_per_file = max(1, int(size_bytes / FILES / bytes_per_row))
    paths = []
    for n in range(FILES):
        path = data_dir / f"iot-{n:02d}.csv"
        write_csv_file(path, rows_per_file, 1 + n * rows_per_file, rng)
        paths.append(path)
    return paths, rows_per_file * FILES


def csv_to_parquet(csv_paths, out_dir):
    """The same rows as Parquet written by pyarrow, one file per CSV file, one schema for all
    (the first file's inferred types; timestamps in microseconds, as Delta stores them)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    out_dir.mkdir(parents=True, exist_ok=True)
    schema = None
    paths = []
    for path in csv_paths:
        convert = pacsv.ConvertOptions(column_types=schema) if schema is not None else None
        table = pacsv.read_csv(path, convert_options=convert)
        if schema is None:
            fields = [pa.field(f.name, pa.timestamp("us") if pa.types.is_timestamp(f.type) else f.type)
                      for f in table.schema]
            schema = pa.schema(fields)
        table = table.cast(schema)
        out = out_dir / (path.stem + ".parquet")
        pq.write_table(table, out)
        paths.append(out)
    return paths


# ---------------------------------------------------------------------------------------------
# The tools' own processes (csv_peers.py --worker TOOL ...)


def worker(args):
    data, out, fmt = Path(args.data), Path(args.out), args.format
    files = sorted(data.glob(f"*.{fmt}"))
    threads = args.threads
    if args.worker == "duckdb":
        import duckdb
        con = duckdb.connect()
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        reader = "read_csv" if fmt == "csv" else "read_parquet"
        con.execute(f"COPY (SELECT * FROM {reader}('{data}/*.{fmt}')) TO '{out}' (FORMAT parquet)")
    elif args.worker == "polars":
        import polars as pl
        pattern = f"{data}/*.{fmt}"
        lf = pl.scan_csv(pattern, try_parse_dates=True) if fmt == "csv" else pl.scan_parquet(pattern)
        if importlib.util.find_spec("deltalake") is None:
            lf.sink_parquet(out)
        elif hasattr(lf, "sink_delta"):
            lf.sink_delta(out)
        else:
            try:
                df = lf.collect(engine="streaming")
            except TypeError:  # polars before the engine= parameter
                df = lf.collect(streaming=True)
            df.write_delta(str(out))
    elif args.worker in ("pyarrow", "baseline"):
        import pyarrow as pa
        if threads:
            pa.set_cpu_count(int(threads))
            pa.set_io_thread_count(int(threads))
        schema, batches = arrow_batches(files, fmt)
        if args.worker == "pyarrow":
            from deltalake import write_deltalake
            write_deltalake(str(out), pa.RecordBatchReader.from_batches(schema, batches))
        else:
            import pyarrow.parquet as pq
            with pq.ParquetWriter(out, schema) as writer:
                for batch in batches:
                    writer.write_batch(batch)
    else:
        raise SystemExit(f"csv_peers.py: unknown worker {args.worker}")


def arrow_batches(files, fmt):
    """(schema, batch iterator) over every file, one file open at a time. CSV: the first file's
    inferred types for all (open_csv infers from a file's first block)."""
    if fmt == "parquet":
        import pyarrow.dataset as ds
        dataset = ds.dataset([str(f) for f in files], format="parquet")
        return dataset.schema, iter(dataset.to_batches())
    import pyarrow.csv as pacsv
    first = pacsv.open_csv(files[0])
    schema = first.schema

    def gen():
        yield from first
        for path in files[1:]:
            yield from pacsv.open_csv(path, convert_options=pacsv.ConvertOptions(column_types=schema))

    return schema, gen()


# ---------------------------------------------------------------------------------------------
# Measuring


def measure(cmd, env=None):
    """(wall s, peak RSS bytes, rc, stderr) of cmd run as its own process."""
    if Path("/usr/bin/time").exists():
        with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
            started = time.monotonic()
            proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", stats.name, *map(str, cmd)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
            wall = time.monotonic() - started
            last = (stats.read().strip().splitlines() or ["0 0"])[-1].split()
        rss_kb = int(last[1]) if len(last) == 2 and last[1].isdigit() else 0
        return wall, rss_kb * 1024, proc.returncode, proc.stderr
    with tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return wall, usage.ru_maxrss * 1024, proc.returncode, err.read()


def count_rows(kind, path):
    """Rows of a Parquet file or of a Delta table's live files, from the Parquet footers."""
    import pyarrow.parquet as pq
    if kind == "parquet":
        return pq.read_metadata(path).num_rows
    from deltalake import DeltaTable
    return sum(pq.read_metadata(uri.removeprefix("file://")).num_rows
               for uri in DeltaTable(str(path)).file_uris())


def tool_command(tool, args, data_dir, work, fmt):
    """(cmd, output, output kind, env) for one fresh run of tool."""
    folder = work / tool
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = dict(os.environ)
    if tool == "inlet":
        table, checkpoint = folder / "table", folder / "checkpoint"
        cmd = [args.inlet, "ingest", "--source", f"{data_dir}/*.{fmt}", "--table", table,
               "--checkpoint", checkpoint, "--option", f"cloudFiles.format={fmt}",
               "--option", f"cloudFiles.schemaLocation={checkpoint}"]
        if fmt == "csv":
            cmd += ["--option", "header=true", "--option", "cloudFiles.inferColumnTypes=true"]
        if args.threads:
            cmd += ["--option", f"inlet.threads={args.threads}"]
        return cmd, table, "delta", env
    if tool == "polars" and args.threads:
        env["POLARS_MAX_THREADS"] = str(args.threads)
    if tool in ("duckdb", "baseline") or (tool == "polars" and importlib.util.find_spec("deltalake") is None):
        out, kind = folder / "out.parquet", "parquet"
    else:
        out, kind = folder / "table", "delta"
    cmd = [sys.executable, Path(__file__).resolve(), "--worker", tool, "--format", fmt,
           "--data", data_dir, "--out", out]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    return cmd, out, kind, env


def run_tools(tools, args, data_dir, work, fmt, input_bytes, rows):
    results = {t: {"walls": [], "rss": 0, "error": None, "kind": None} for t in tools}
    for round_ in range(args.runs):
        order = tools if round_ % 2 == 0 else list(reversed(tools))
        for tool in order:
            r = results[tool]
            if r["error"]:
                continue
            cmd, out, kind, env = tool_command(tool, args, data_dir, work, fmt)
            wall, rss, rc, err = measure(cmd, env)
            r["kind"] = kind
            if rc != 0:
                r["error"] = f"exit {rc}: {err.strip()[-600:]}"
                log(f"{tool}: FAILED ({r['error']})")
                continue
            try:
                got = count_rows(kind, out)
            except Exception as e:  # noqa: BLE001
                got, r["error"] = None, f"cannot count its output: {e}"
            if got is not None and got != rows:
                r["error"] = f"wrote {got} rows, expected {rows}"
            if r["error"]:
                log(f"{tool}: FAILED ({r['error']})")
                continue
            r["walls"].append(wall)
            r["rss"] = max(r["rss"], rss)
            log(f"{tool}: {wall:.2f}s, {rss / 1e6:.0f} MB peak RSS, {got} rows ({kind})")
            shutil.rmtree(work / tool, ignore_errors=True)
    return results


def print_table(title, results, input_bytes, rows, skipped):
    print(f"\n{title}: {input_bytes / 1e6:.0f} MB of input files, {rows} rows, {FILES} files "
          f"(MB/s of the input files; x inlet, x baseline: the tool's seconds over theirs)")
    median = {t: statistics.median(r["walls"]) for t, r in results.items() if r["walls"]}
    head = f"{'tool':<9} {'output':<8} {'seconds':>8} {'MB/s':>8} {'peak RSS MB':>12} {'x inlet':>8} {'x baseline':>11}"
    print(head)
    print("-" * len(head))
    for tool, r in results.items():
        if tool not in median:
            print(f"{tool:<9} {(r['kind'] or '-'):<8} {'FAILED':>8}  {r['error'] or ''}")
            continue
        s = median[tool]
        x_inlet = f"{s / median['inlet']:.2f}" if "inlet" in median else "-"
        x_base = f"{s / median['baseline']:.2f}" if "baseline" in median else "-"
        print(f"{tool:<9} {r['kind']:<8} {s:>8.2f} {input_bytes / 1e6 / s:>8.1f} {r['rss'] / 1e6:>12.0f} "
              f"{x_inlet:>8} {x_base:>11}")
    for tool, why in skipped.items():
        print(f"{tool:<9} skipped: {why}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--size", type=parse_size, default=parse_size("256"),
                        help="input size, MB by default (32, 256m, 1g; decimal units); default 256")
    parser.add_argument("--tools", default=",".join(ALL_TOOLS),
                        help=f"comma list of {','.join(ALL_TOOLS)} (default all)")
    parser.add_argument("--parquet", action="store_true",
                        help="load Parquet (the same rows, written by pyarrow) instead of CSV")
    parser.add_argument("--inlet", default=str(Path(os.environ.get("INLET_BIN", REPO / "build" / "inlet"))),
                        help="the inlet binary (default $INLET_BIN or build/inlet)")
    parser.add_argument("--runs", type=int, default=1, help="runs per tool; the median is shown")
    parser.add_argument("--threads", type=int, default=0, help="threads per tool (default: each tool's own)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work-dir", help="where data and outputs go (default a new temp dir, removed)")
    parser.add_argument("--keep", action="store_true", help="keep the data and outputs")
    # The tools' own processes.
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--format", default="csv", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return 0

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in ALL_TOOLS]
    if unknown:
        parser.error(f"unknown tools {unknown}; pick from {ALL_TOOLS}")
    skipped = {}
    for tool in list(tools):
        missing = [m for m in TOOL_MODULES.get(tool, []) if importlib.util.find_spec(m) is None]
        if missing:
            skipped[tool] = f"python module {', '.join(missing)} not installed in {sys.prefix}"
        elif tool == "inlet" and not (Path(args.inlet).is_file() and os.access(args.inlet, os.X_OK)):
            skipped[tool] = f"no inlet binary at {args.inlet} (build it or pass --inlet)"
    tools = [t for t in tools if t not in skipped]
    for tool, why in skipped.items():
        log(f"{tool}: skipped, {why}")
    if not tools:
        sys.exit("csv_peers.py: no tool to run")

    load = os.getloadavg()[0]
    if load > 0.25 * (os.cpu_count() or 1):
        log(f"warning: load average {load:.1f} on {os.cpu_count()} cores already; timings are suspect")
    work = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="csv_peers-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        started = time.monotonic()
        csv_paths, rows = generate(work / "csv", args.size, args.seed)
        fmt, data_dir, paths = "csv", work / "csv", csv_paths
        log(f"generated {rows} rows, {sum(p.stat().st_size for p in csv_paths) / 1e6:.0f} MB of CSV "
            f"in {FILES} files in {time.monotonic() - started:.1f}s ({data_dir})")
        if args.parquet:
            started = time.monotonic()
            paths = csv_to_parquet(csv_paths, work / "parquet")
            fmt, data_dir = "parquet", work / "parquet"
            log(f"wrote them as {sum(p.stat().st_size for p in paths) / 1e6:.0f} MB of Parquet "
                f"in {time.monotonic() - started:.1f}s")
        input_bytes = sum(p.stat().st_size for p in paths)
        results = run_tools(tools, args, data_dir, work / "out", fmt, input_bytes, rows)
        title = f"{'Parquet' if args.parquet else 'CSV'} -> Delta (duckdb and baseline: one Parquet file)"
        print_table(title, results, input_bytes, rows, skipped)
        failed = any(r["error"] for r in results.values())
    finally:
        if args.keep:
            log(f"kept {work}")
        elif not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
        else:
            shutil.rmtree(work / "out", ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
