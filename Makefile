# The README's two commands: `make demo` and `make test`. Both install what is missing
# (scripts/setup), build, then run.
BUILD ?= build
JOBS ?= $(shell nproc)
CARGO ?= $(shell command -v cargo || echo $$HOME/.cargo/bin/cargo)

.PHONY: setup build demo test unit-test integration-test bench clean fuzz test-asan

setup:
	@scripts/setup

build: setup
	@test -f $(BUILD)/build.ninja || cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	@ninja -C $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo $(BUILD)/inlet

unit-test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@CARGO_TARGET_DIR=$(CURDIR)/.cache/cargo-target $(CARGO) test --release --locked --lib --quiet \
	  --manifest-path src/inlet/storage/object_store/ffi/Cargo.toml

integration-test: build
	@INLET_BIN=$(CURDIR)/$(BUILD)/inlet .venv/bin/python -m pytest

test: unit-test integration-test

# The side-by-side benchmark (bench/README.md); SIZE=1g by default.
bench: build
	@ninja -C $(BUILD) inlet_micro_bench
	@bench/run --size $(or $(SIZE),1g) --inlet $(BUILD)/inlet --micro-bench $(BUILD)/inlet_micro_bench

# libFuzzer targets (fuzz/README.md), FUZZ_SECONDS each (300 by default; CI uses 60).
fuzz: setup
	@FUZZ_SECONDS=$(or $(FUZZ_SECONDS),300) JOBS=$(JOBS) scripts/fuzz

# Everything under ASan + UBSan (GCC) in build-asan: ctest, then the pytest suite.
test-asan: setup
	@JOBS=$(JOBS) scripts/test-asan

clean:
	rm -rf $(BUILD)
