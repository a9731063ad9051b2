// Test hooks that make a step of the engine crash or fail on demand, so tests (and the
// chaos harness in tests/chaos/) can prove that every step is safe to die in:
//   INLET_TEST_CRASH_AT=<point>          SIGKILL the process when it reaches <point>
//   INLET_TEST_FAIL_AT=<point>[:ENOSPC]  make the step at <point> fail with an I/O error
//                                        (EIO by default; ENOSPC to mimic a full disk)
//   INLET_TEST_PAUSE_AT=<point>:<file>   at a crash point, create <file>.reached and wait
//                                        (up to 60 s) until <file> exists, so a test can act
//                                        at that exact step (e.g. append to a source file)
// Points: after_plan, mid_parse, after_parquet, after_commit, after_schema_version (an
// evolution's, or the first batch's when its read settled an inference guess) (crash);
// parquet_write, delta_commit, checkpoint_write, state_store_write, schema_write,
// bad_records_write (fail). Without the variables both calls cost one cached lookup.
#pragma once

#include "inlet/util/status.h"

namespace inlet {

// SIGKILLs the process when INLET_TEST_CRASH_AT names `point`; pauses there when
// INLET_TEST_PAUSE_AT does.
void MaybeCrashAt(const char* point);

// An injected IOError ("injected failure at <point>: <strerror>") when INLET_TEST_FAIL_AT
// names `point`; OK otherwise.
Status MaybeFailAt(const char* point);

}  // namespace inlet
