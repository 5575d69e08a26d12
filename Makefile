# hetsched — the two set-up commands of the README:
#   make demo   build and solve the bundled AI-cluster example
#   make test   run the whole test suite
# Both install the build prerequisites first when they are missing (Debian/Ubuntu, as root or with sudo).
# Everything runs in the release profile, so the solver back-end is compiled once for both.

CARGO ?= cargo
EXAMPLE ?= instances/examples/ai-cluster.json

# ccache caches the C++ of the HiGHS back-end across target directories when it is installed.
ifneq ($(shell command -v ccache 2>/dev/null),)
export CMAKE_C_COMPILER_LAUNCHER := ccache
export CMAKE_CXX_COMPILER_LAUNCHER := ccache
export CCACHE_BASEDIR := /
export CCACHE_NOHASHDIR := 1
endif

.PHONY: deps demo test bench lint

deps:
	@bash scripts/install-deps.sh

demo: deps
	$(CARGO) run --release -- solve $(EXAMPLE) --assignments

test: deps
	$(CARGO) test --release

bench: deps
	$(CARGO) bench

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --all-targets -- -D warnings
