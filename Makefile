# The README's two commands: `make demo` and `make test`. Both install what is missing
# (scripts/setup), build, then run.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: setup build demo test unit-test integration-test bench clean

setup:
	@scripts/setup

build: setup
	@test -f $(BUILD)/build.ninja || cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	@ninja -C $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo $(BUILD)/inlet

unit-test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

integration-test: build
	@INLET_BIN=$(CURDIR)/$(BUILD)/inlet .venv/bin/python -m pytest

test: unit-test integration-test

# The side-by-side benchmark (bench/README.md); SIZE=1g by default.
bench: build
	@ninja -C $(BUILD) inlet_micro_bench
	@bench/run --size $(or $(SIZE),1g) --inlet $(BUILD)/inlet --micro-bench $(BUILD)/inlet_micro_bench

clean:
	rm -rf $(BUILD)
