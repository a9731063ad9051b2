#!/usr/bin/env python3
# Deterministic IoT benchmark data set: scripts/gen_iot.py rows, sized in bytes, written by
# several processes, and reused when its manifest says the same parameters already exist.
"""Generate (or reuse) an IoT NDJSON data set of a given size for bench/run.

The data set lives in OUT/<name>/ (only the .json files, so `dir/*.json` and Spark's directory
load see nothing else) and its manifest in OUT/<name>.manifest.json. Files are numbered
iot-0001.json, ...; file i holds device ids [1 + i*rows_per_file, ...] so ids are unique across
the set. --drift-share spreads files written by the drifted producer (gen_iot shape 2) evenly
over the set. Same parameters -> same bytes, on any machine.
"""

import argparse
import json
import math
import multiprocessing
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import gen_iot  # noqa: E402  (scripts/ is not a package)

# The manifest format; bump when the layout or the row recipe changes so old sets are rebuilt.
MANIFEST_VERSION = 1
# Rows sampled (in memory) to estimate the bytes per row that turn --size into rows per file.
kSampleRows = 2000
# Default file size when --files is not given: large enough that per-file overheads do not
# dominate, small enough that 1 GB makes ~100 files for the parallel readers to share.
DEFAULT_FILE_BYTES = 10_000_000

UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6,
         "g": 10**9, "gb": 10**9, "t": 10**12, "tb": 10**12}


def parse_size(text):
    """'50m' -> 50_000_000. Decimal units (1g = 10^9 bytes) so MB/s figures use the same MB."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([a-z]*)", text.strip().lower())
    if not match or match.group(2) not in UNITS:
        raise ValueError(f"size '{text}': expected a number with k, m, g or t, e.g. 1g or 50m")
    digits, unit = match.groups()
    value = float(digits) * UNITS[unit]
    if value < 1000:
        raise ValueError(f"size '{text}' is under 1 KB; the smallest useful data set is ~1m")
    return int(value)


def format_size(size_bytes):
    """50_000_000 -> '50m', 10**9 -> '1g' (the inverse of parse_size for round numbers)."""
    for unit, factor in (("t", 10**12), ("g", 10**9), ("m", 10**6), ("k", 10**3)):
        if size_bytes >= factor and size_bytes % factor == 0:
            return f"{size_bytes // factor}{unit}"
    return f"{size_bytes}b"


def bytes_per_row(seed):
    """Average NDJSON bytes of one shape-1 row, from a deterministic in-memory sample."""
    import random
    rng = random.Random(f"sample:{seed}")
    total = 0
    for i in range(kSampleRows):
        row = gen_iot.make_row(rng, 1_000_000 + i, gen_iot.START_EPOCH_MS + i * 7)
        total += len(json.dumps(row, separators=(", ", ": "))) + 1
    return total / kSampleRows


def drifted_files(files, drift_share):
    """Indices (0-based) of the files written with shape 2: file i is drifted when the running
    count floor((i+1)*share) steps up, which spreads them evenly and is deterministic."""
    if drift_share <= 0:
        return set()
    return {i for i in range(files)
            if math.floor((i + 1) * drift_share) > math.floor(i * drift_share)}


def plan(size_bytes, files=None, drift_share=0.0, seed=42):
    """The parameters that fully determine a data set (also its manifest's `params`)."""
    if not 0.0 <= drift_share <= 1.0:
        raise ValueError(f"--drift-share {drift_share}: must be between 0 and 1")
    if files is None:
        files = max(1, math.ceil(size_bytes / DEFAULT_FILE_BYTES))
    if files < 1:
        raise ValueError(f"--files {files}: must be at least 1")
    rows_total = max(files, round(size_bytes / bytes_per_row(seed)))
    return {
        "manifest_version": MANIFEST_VERSION,
        "size": format_size(size_bytes),
        "size_bytes": size_bytes,
        "files": files,
        "rows_per_file": math.ceil(rows_total / files),
        "drift_share": drift_share,
        "seed": seed,
    }


def dataset_name(params):
    drift = f"-drift{params['drift_share']:g}" if params["drift_share"] > 0 else ""
    return f"iot-{params['size']}-f{params['files']}{drift}-s{params['seed']}"


def _write_one(job):
    """Pool worker: writes file `index` (0-based) and returns (name, bytes, rows, shape)."""
    out, index, rows_per_file, seed, shape = job
    [path] = gen_iot.generate(out, 1, rows_per_file, seed=seed,
                              start_id=1 + index * rows_per_file, first_file=index + 1,
                              prefix="iot-", shape=shape)
    return path.name, path.stat().st_size, rows_per_file, shape


def _reusable_manifest(manifest_path, data_dir, params):
    """The manifest when one with these exact params exists and every file has its size."""
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        return None
    if manifest.get("params") != params:
        return None
    for entry in manifest["files"]:
        path = data_dir / entry["name"]
        if not path.is_file() or path.stat().st_size != entry["bytes"]:
            return None
    return manifest


def ensure_dataset(out, size_bytes, files=None, drift_share=0.0, seed=42, jobs=None, log=print):
    """Generates the data set unless an identical one is present; returns its manifest (a dict
    with params, dir, files [{name, bytes, rows, shape}], rows, bytes)."""
    params = plan(size_bytes, files, drift_share, seed)
    out = Path(out)
    data_dir = out / dataset_name(params)
    manifest_path = out / (dataset_name(params) + ".manifest.json")
    manifest = _reusable_manifest(manifest_path, data_dir, params)
    if manifest is not None:
        log(f"reusing data set {data_dir} ({manifest['bytes'] / 1e6:,.0f} MB, "
            f"{manifest['rows']:,} rows, {len(manifest['files'])} files)")
        manifest["dir"] = str(data_dir)
        return manifest

    # Start clean: a half-written or differently sized set must not leave stray files behind.
    if data_dir.exists():
        for stale in data_dir.iterdir():
            stale.unlink()
    data_dir.mkdir(parents=True, exist_ok=True)
    drifted = drifted_files(params["files"], drift_share)
    work = [(str(data_dir), i, params["rows_per_file"], seed, 2 if i in drifted else 1)
            for i in range(params["files"])]
    jobs = jobs or os.cpu_count() or 1
    log(f"generating {data_dir}: {params['files']} files x {params['rows_per_file']:,} rows "
        f"(~{size_bytes / 1e6:,.0f} MB, {len(drifted)} drifted) with {jobs} processes")
    started = time.monotonic()
    with multiprocessing.Pool(processes=min(jobs, len(work))) as pool:
        written = sorted(pool.imap_unordered(_write_one, work, chunksize=1))
    entries = [{"name": n, "bytes": b, "rows": r, "shape": s} for n, b, r, s in written]
    manifest = {
        "params": params,
        "files": entries,
        "rows": sum(e["rows"] for e in entries),
        "bytes": sum(e["bytes"] for e in entries),
        "generated_seconds": round(time.monotonic() - started, 1),
    }
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")
    log(f"generated {manifest['bytes'] / 1e6:,.0f} MB in {manifest['generated_seconds']} s")
    manifest["dir"] = str(data_dir)
    return manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", required=True, help="total bytes, e.g. 50m, 1g, 5g (decimal)")
    parser.add_argument("--files", type=int, default=None,
                        help=f"number of files (default: one per {DEFAULT_FILE_BYTES // 10**6} MB)")
    parser.add_argument("--drift-share", type=float, default=0.0,
                        help="fraction of files written by the drifted producer (gen_iot shape 2)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--out", default=str(REPO / "bench" / "data"),
                        help="folder that holds data sets (default bench/data)")
    args = parser.parse_args()
    try:
        manifest = ensure_dataset(args.out, parse_size(args.size), args.files, args.drift_share,
                                  args.seed, args.jobs)
    except ValueError as error:
        parser.error(str(error))
    print(manifest["dir"])


if __name__ == "__main__":
    main()
