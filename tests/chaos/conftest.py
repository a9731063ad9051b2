# Fixtures of the chaos tests: the inlet binary, a scratch folder (tmpfs when there is one),
# the generated data set and the measured length of an uninterrupted run, once per session.
import shutil
import tempfile
from pathlib import Path

import pytest

from chaos_harness import (DataSet, DataSpec, MalformedAccounting, TrialConfig,
                           malformed_enabled, measure_full_run, scratch_root)
from inlet_testlib import find_inlet_bin


@pytest.fixture(scope="session")
def inlet_bin():
    try:
        return find_inlet_bin()
    except FileNotFoundError as e:
        pytest.fail(str(e))


@pytest.fixture(scope="session")
def chaos_root():
    """A fresh folder for the session's trials; failed trials' folders are kept (and named in
    the failure), the rest is removed at the end."""
    base = scratch_root()
    root = Path(tempfile.mkdtemp(prefix="inlet-chaos-", dir=str(base) if base else None))
    yield root
    kept = [p for p in root.iterdir() if p.name.startswith("failed-")]
    if not kept:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def chaos_data(chaos_root):
    spec = DataSpec(malformed_every=31 if malformed_enabled() else 0)
    return DataSet(chaos_root / "pool", spec)


@pytest.fixture(scope="session")
def chaos_config(inlet_bin, chaos_data, chaos_root):
    malformed = MalformedAccounting() if malformed_enabled() else None
    seconds = measure_full_run(inlet_bin, chaos_data, chaos_root, malformed)
    return TrialConfig(inlet_bin, chaos_data, seconds, malformed)
