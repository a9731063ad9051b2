# What a benchmark result must say about where it ran: cores, RAM, CPU model, load, the
# inlet commit and the version of every tool timed, so results from two machines are comparable.
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _first_line(cmd):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stdout or proc.stderr).strip()
    return text.splitlines()[0] if text else None


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_bytes():
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0


def _package(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def machine_info(inlet, tools):
    versions = {"inlet": (_first_line([str(inlet), "--version"]) or "").removeprefix("inlet "),
                "python": platform.python_version(), "pyarrow": _package("pyarrow")}
    if "duckdb" in tools:
        versions["duckdb"] = _package("duckdb")
    if "deltars" in tools:
        versions["deltalake"] = _package("deltalake")
    if "spark" in tools:
        versions["pyspark"] = _package("pyspark")
        versions["delta-spark"] = _package("delta-spark")
        versions["java"] = _first_line(["java", "-version"])
    status = _first_line(["git", "-C", str(REPO), "status", "--porcelain"])
    return {
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "cpu_model": _cpu_model(),
        "ram_bytes": _ram_bytes(),
        "kernel": platform.platform(),
        "loadavg_start": list(os.getloadavg()),
        "git_commit": _first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "git_dirty": bool(status),
        "versions": versions,
    }
