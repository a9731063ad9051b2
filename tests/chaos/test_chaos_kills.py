# Random SIGKILLs (and injected crashes and I/O failures) during `inlet ingest`, with files
# landing between and during runs: after each trial every record is in the table exactly once.
import os
import random
import shutil
from collections import Counter

from chaos_harness import KILLED, Trial

MAX_REPORTED_FAILURES = 5


def test_random_kills_lose_and_duplicate_nothing(chaos_config, chaos_root):
    trials = int(os.environ.get("INLET_CHAOS_TRIALS", "200"))
    master = os.environ.get("INLET_CHAOS_SEED") or str(random.SystemRandom().randrange(10**9))
    only = os.environ.get("INLET_CHAOS_ONLY")
    indices = [int(only)] if only else list(range(trials))
    print(f"chaos: seed {master}, {len(indices)} trials, uninterrupted run "
          f"{chaos_config.full_run_seconds:.3f}s, scratch {chaos_root}")

    failures = []
    outcomes = Counter()
    for index in indices:
        seed = f"{master}:{index}"
        root = chaos_root / f"trial-{index}"
        trial = Trial(chaos_config, root, seed)
        try:
            trial.run()
        except AssertionError as e:
            kept = root.rename(chaos_root / f"failed-{index}")
            failures.append(f"trial {index} (seed {seed}): {e}\n{trial.describe()}\n"
                            f"  folders kept in {kept}\n  replay: INLET_CHAOS_SEED={master} "
                            f"INLET_CHAOS_ONLY={index} .venv/bin/python -m pytest tests/chaos "
                            f"-k random_kills")
            if len(failures) >= MAX_REPORTED_FAILURES:
                break
            continue
        outcomes.update(trial.outcomes)
        shutil.rmtree(root)
    print("chaos: runs by (kind, exit code): "
          + ", ".join(f"{kind} {rc}: {n}" for (kind, rc), n in sorted(outcomes.items())))
    assert not failures, (f"{len(failures)} chaos trial(s) failed, seed {master}:\n"
                          + "\n".join(failures))
    if not only:
        # The kills must land inside runs, or the trials proved nothing.
        assert outcomes["killed", KILLED] >= len(indices) // 2, outcomes
