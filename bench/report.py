# Turns bench/run's measurements into what people read: per-tool summaries (medians, MB/s,
# ratios to inlet), a markdown table and a PNG bar chart of MB/s.
import statistics

MIB = 1024 * 1024

# One line per tool for the table: what exactly is being timed.
WHAT = {
    "inlet": "`inlet ingest` availableNow, inferColumnTypes, fresh Delta table",
    "duckdb": "DuckDB `COPY (SELECT * FROM read_json(..)) TO .. (FORMAT parquet)`",
    "deltars": "pyarrow.json.read_json per file + deltalake.write_deltalake (one stream)",
    "spark": "Spark local[N]: spark.read.json schema, readStream json -> Delta, availableNow",
    "spark-stream": "the Spark streaming query alone (no JVM start, no schema pass)",
}


def summarize(tool, runs, input_bytes, input_rows, error=None):
    """Medians over the measured runs of one tool (warm-up already excluded)."""
    summary = {"tool": tool, "status": "failed" if error else "ok", "error": error,
               "runs": runs}
    if error or not runs:
        return summary
    wall = statistics.median(r["wall_s"] for r in runs)
    cpu = statistics.median(r["cpu_s"] for r in runs)
    summary.update({
        "median_wall_s": wall,
        "min_wall_s": min(r["wall_s"] for r in runs),
        "max_wall_s": max(r["wall_s"] for r in runs),
        "mb_per_s": input_bytes / 1e6 / wall,
        "rows_per_s": input_rows / wall,
        "peak_rss_bytes": max(r["max_rss_bytes"] for r in runs),
        "median_cpu_s": cpu,
        "cores_busy": cpu / wall,
    })
    if tool == "spark":
        stream = statistics.median(r["inner"]["stream_s"] for r in runs)
        summary.update({
            "median_stream_s": stream,
            "stream_mb_per_s": input_bytes / 1e6 / stream,
            "stream_rows_per_s": input_rows / stream,
            "median_session_s": statistics.median(r["inner"]["session_s"] for r in runs),
            "median_infer_s": statistics.median(r["inner"]["infer_s"] for r in runs),
        })
    return summary


def add_ratios(summaries):
    """inlet's speed-up over each peer: peer median wall / inlet median wall (>1: inlet faster)."""
    inlet = summaries.get("inlet")
    if not inlet or inlet["status"] != "ok":
        return
    for tool, summary in summaries.items():
        if tool == "inlet" or summary["status"] != "ok":
            continue
        summary["inlet_speedup"] = summary["median_wall_s"] / inlet["median_wall_s"]
        if tool == "spark":
            summary["inlet_speedup_vs_stream"] = summary["median_stream_s"] / inlet["median_wall_s"]


def _fmt(value, pattern):
    return "—" if value is None else pattern.format(value)


def table_rows(summaries):
    """(label, summary-like dict) rows for the table and chart; Spark gets a stream-only row."""
    rows = []
    for tool, s in summaries.items():
        rows.append((tool, s))
        if tool == "spark" and s["status"] == "ok":
            rows.append(("spark-stream", {
                "status": "ok", "median_wall_s": s["median_stream_s"],
                "mb_per_s": s["stream_mb_per_s"], "rows_per_s": s["stream_rows_per_s"],
                "inlet_speedup": s.get("inlet_speedup_vs_stream")}))
    return rows


def markdown_table(summaries):
    lines = ["| tool | median wall s | MB/s | rows/s | peak RSS MiB | CPU s (user+sys) "
             "| inlet speed-up | what is timed |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for label, s in table_rows(summaries):
        if s["status"] != "ok":
            lines.append(f"| {label} | FAILED | | | | | | {s['error']} |")
            continue
        rss = s.get("peak_rss_bytes")
        speedup = "1 (reference)" if label == "inlet" else _fmt(s.get("inlet_speedup"), "{:.2f}×")
        lines.append(
            f"| {label} | {s['median_wall_s']:.2f} | {s['mb_per_s']:.1f} "
            f"| {s['rows_per_s']:,.0f} | {_fmt(rss / MIB if rss else None, '{:,.0f}')} "
            f"| {_fmt(s.get('median_cpu_s'), '{:.1f}')} | {speedup} | {WHAT[label]} |")
    return "\n".join(lines)


def markdown_report(result):
    """The whole .md file for one comparison run."""
    m, d = result["machine"], result["dataset"]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    out = [
        f"# inlet benchmark: {d['size']} of IoT NDJSON ({result['timestamp']})",
        "",
        f"- data: {d['bytes'] / 1e6:,.0f} MB, {d['rows']:,} rows, {d['files']} files, "
        f"drift share {d['drift_share']:g}, seed {d['seed']} (`{d['dir']}`)",
        f"- machine: {m['cores']} cores ({m['cpu_model']}), {m['ram_bytes'] / 2**30:.1f} GiB RAM, "
        f"load average at start {m['loadavg_start'][0]:.2f}, at end {m['loadavg_end'][0]:.2f}",
        f"- threads per tool: {result['threads']}; inlet passed inlet.threads: "
        f"{'yes' if result['inlet_threads_option'] else 'no (option not in ingest --help)'}",
        f"- median of {result['runs']} runs per tool after one warm-up round, tools "
        f"alternating order per round; MB = 10^6 bytes of input JSON",
        f"- versions: {versions}",
        f"- inlet commit: {m['git_commit']}{' (+ uncommitted changes)' if m['git_dirty'] else ''}",
        "",
        markdown_table(result["tools"]),
        "",
        "inlet speed-up = peer median wall / inlet median wall, from this one run. "
        "See bench/README.md for what each peer does and the caveats.",
    ]
    spark = result["tools"].get("spark")
    if spark and spark["status"] == "ok":
        out += ["", f"Spark phases (median): session start {spark['median_session_s']:.1f} s, "
                    f"schema inference pass {spark['median_infer_s']:.1f} s, "
                    f"streaming query {spark['median_stream_s']:.1f} s."]
    return "\n".join(out) + "\n"


def bar_chart(result, path):
    """PNG of input MB/s per tool (median), inlet first and highlighted."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [(label, s) for label, s in table_rows(result["tools"]) if s["status"] == "ok"]
    labels = [label for label, _ in rows]
    values = [s["mb_per_s"] for _, s in rows]
    colors = ["#d9534f" if label == "inlet" else "#5b8db8" for label in labels]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    bars = ax.bar(labels, values, color=colors)
    for bar, value in zip(bars, values):
        ax.annotate(f"{value:.0f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=9)
    d, m = result["dataset"], result["machine"]
    ax.set_ylabel("input MB/s (median wall time)")
    ax.set_title(f"JSON -> table, {d['bytes'] / 1e6:,.0f} MB, {d['files']} files, "
                 f"{m['cores']} cores, {result['threads']} threads")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def rss_scaling_markdown(result):
    lines = [f"# inlet peak RSS vs input size ({result['timestamp']})", "",
             "| size | MB | tool | median wall s | MB/s | peak RSS MiB |",
             "|---|---:|---|---:|---:|---:|"]
    for point in result["points"]:
        for tool, s in point["tools"].items():
            if s["status"] != "ok":
                lines.append(f"| {point['size']} | | {tool} | FAILED | | {s['error']} |")
                continue
            lines.append(f"| {point['size']} | {point['bytes'] / 1e6:,.0f} | {tool} "
                         f"| {s['median_wall_s']:.2f} | {s['mb_per_s']:.1f} "
                         f"| {s['peak_rss_bytes'] / MIB:,.0f} |")
    lines += ["", result["verdict"]]
    return "\n".join(lines) + "\n"


def scale_markdown(result):
    lines = [f"# inlet discovery at scale ({result['timestamp']})", "",
             "| files | first load s | files/s | peak RSS MiB | re-discovery s (nothing new) "
             "| files/s | peak RSS MiB |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for p in result["points"]:
        if p.get("error"):
            lines.append(f"| {p['files']:,} | FAILED: {p['error']} | | | | | |")
            continue
        first, again = p["first_load"], p["rediscovery"]
        lines.append(f"| {p['files']:,} | {first['wall_s']:.2f} | {first['files_per_s']:,.0f} "
                     f"| {first['max_rss_bytes'] / MIB:,.0f} | {again['wall_s']:.2f} "
                     f"| {again['files_per_s']:,.0f} | {again['max_rss_bytes'] / MIB:,.0f} |")
    lines += ["", "first load = `inlet ingest` of N one-record files into a fresh table "
                  "(discovery + plan + read + write); re-discovery = the same command again "
                  "with nothing new (listing + one state lookup per file).", ""]
    micro = result["micro"]
    if micro.get("todo"):
        lines.append(f"**TODO** {micro['todo']}")
    else:
        lines += [f"Micro benchmarks (`inlet_micro_bench --benchmark_filter='{micro['filter']}'`; "
                  "items are files):",
                  "", "| benchmark | real time | files/s |", "|---|---:|---:|"]
        for b in micro["benchmarks"]:
            if b.get("error_message"):
                lines.append(f"| {b['name']} | skipped: {b['error_message']} | |")
                continue
            rate = b.get("items_per_second")
            lines.append(f"| {b['name']} | {b['real_time']:.3g} {b['time_unit']} "
                         f"| {_fmt(rate, '{:,.0f}')} |")
        if micro.get("warning"):
            lines += ["", f"**WARNING** {micro['warning']}"]
    return "\n".join(lines) + "\n"
