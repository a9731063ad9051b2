# Slow writers: files written into the landing folder in pieces, with pauses, while runs of
# `inlet ingest` are SIGKILLed at random instants. When the writers are done and the runs
# complete, every record is in the table exactly once (issue 12: 42% of such rows were lost).
#
# Two kinds of trial, each with the options a producer of that kind would run:
# - "torn": default options; every pause falls inside a line, as a producer that writes
#   records in buffer-sized chunks does. A file whose last line is torn and fresh is still
#   being written (inlet.fileSettleTime) and is never loaded before it is whole.
# - "appended": inlet.loadAppendedBytes=true; every pause falls at a line end, as a producer
#   that flushes whole records (a logger) does, so the file looks whole at every instant. A
#   file loaded while it was still growing has its appended lines loaded by a later run,
#   never its loaded bytes again. (Without the option these trials lose rows: the growth
#   is reported, not loaded.)
# "Done writing" is modelled by the writers finishing before the runs to completion: the
# pauses (tens of ms) are far below the settle time (5 s), so no torn line ever settles.
import os
import random
import shutil
import signal
import threading
import time

import pytest

from chaos_harness import (EXIT_OK, EXIT_SCHEMA_CHANGED, KILLED, TrialFailure, check_rerun_loads_nothing,
                           check_table, ingest_options, new_stream, run_to_completion)

MODES = {"torn": [], "appended": ["--option", "inlet.loadAppendedBytes=true"]}


def cut_points(data, rng, pieces, at_line_ends):
    """Offsets where a writer pauses: inside lines (never just after a newline), or only
    just after one."""
    line_ends = [i + 1 for i, byte in enumerate(data[:-1]) if byte == 0x0A]
    cuts = set()
    while len(cuts) < pieces - 1:
        if at_line_ends:
            cuts.add(rng.choice(line_ends))
            continue
        cut = rng.randrange(1, len(data))
        if data[cut - 1:cut] != b"\n":
            cuts.add(cut)
    return sorted(cuts) + [len(data)]


def slow_write(path, data, cuts, rng, errors):
    try:
        with open(path, "wb", buffering=0) as out:
            start = 0
            for cut in cuts:
                time.sleep(rng.uniform(0.005, 0.06))
                out.write(data[start:cut])
                start = cut
    except Exception as e:  # noqa: BLE001  (reported by the trial)
        errors.append(f"writer of {path}: {e!r}")


class SlowWriterTrial:
    def __init__(self, config, root, seed, mode):
        self.config, self.mode = config, mode
        self.rng = random.Random(f"{seed}:{mode}")
        self.landing = root / "landing"
        self.landing.mkdir(parents=True)
        self.stream = new_stream(config.inlet_bin, self.landing, root)
        self.bad_records_dir = root / "bad_records"
        self.args = ingest_options(config.malformed, self.bad_records_dir) + MODES[mode]
        self.events = []
        self.kills = 0

    def run(self):
        data, rng = self.config.data, self.rng
        names = list(data.initial)
        rng.shuffle(names)
        slow, whole = names[:4], names[4:]
        data.land(whole[:2], self.landing)
        errors, writers = [], []
        for name in slow:
            content = (data.pool / name).read_bytes()
            cuts = cut_points(content, rng, rng.randint(6, 14), at_line_ends=self.mode == "appended")
            writer_rng = random.Random(rng.random())
            writers.append(threading.Thread(target=slow_write,
                                            args=(self.landing / name, content, cuts, writer_rng, errors)))
        for writer in writers:
            writer.start()
        late_whole = whole[2:]
        while any(w.is_alive() for w in writers):
            if late_whole and rng.random() < 0.3:
                data.land([late_whole.pop()], self.landing)
            self.disrupted_run()
        for writer in writers:
            writer.join()
        if errors:
            raise TrialFailure("; ".join(errors))
        data.land(data.initial, self.landing)
        # A trial whose random kills all missed (runs ended first; likelier on a loaded
        # machine) gets a few more, aimed early, while the last files still wait to load.
        for _ in range(10):
            if self.kills:
                break
            self.disrupted_run(force_kill=True)
        run_to_completion(self.stream, self.args, self.events.append)
        check_table(self.stream.table, self.landing, data.records_in(data.initial), self.config.malformed,
                    self.bad_records_dir)
        check_rerun_loads_nothing(self.stream, self.args)

    def disrupted_run(self, force_kill=False):
        """One run, SIGKILLed after a random delay (or let finish, one time in four)."""
        delay = self.rng.uniform(0, self.config.full_run_seconds / (4 if force_kill else 1))
        finish = not force_kill and self.rng.random() < 0.25
        proc = self.stream.popen(*self.args)
        if not finish:
            time.sleep(delay)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
        self.kills += proc.returncode == KILLED
        self.events.append(f"run {'to its end' if finish else f'killed after {delay:.3f}s'} -> rc {proc.returncode}")
        if proc.returncode not in (EXIT_OK, EXIT_SCHEMA_CHANGED, KILLED):
            raise TrialFailure(f"run ended with rc {proc.returncode}:\n{err}")
        if "changed after" in err and self.mode == "torn":
            raise TrialFailure(f"a file still being written was loaded before it was whole:\n{err}")


@pytest.mark.parametrize("mode", sorted(MODES))
def test_slow_writers_lose_and_duplicate_nothing(chaos_config, chaos_root, mode):
    trials = int(os.environ.get("INLET_CHAOS_SLOW_TRIALS", "6"))
    master = os.environ.get("INLET_CHAOS_SEED") or str(random.SystemRandom().randrange(10**9))
    failures, kills = [], 0
    for index in range(trials):
        root = chaos_root / f"slow-{mode}-{index}"
        trial = SlowWriterTrial(chaos_config, root, f"{master}:{index}", mode)
        try:
            trial.run()
        except AssertionError as e:
            failures.append(f"trial {index} (INLET_CHAOS_SEED={master}): {e}\n  " + "\n  ".join(trial.events)
                            + f"\n  folders kept in {root}")
            continue
        kills += trial.kills
        shutil.rmtree(root)
    print(f"chaos slow writers ({mode}): seed {master}, {trials} trials, {kills} runs killed")
    assert not failures, "\n".join(failures)
    assert kills >= trials, "the kills must land inside runs, or the trials proved nothing"
