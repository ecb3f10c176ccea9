# Trellis — the two commands a new user runs: `make demo` and `make test`.
# Each installs missing Debian packages (scripts/install-deps.sh), configures once, builds with
# ccache, then runs. BUILD_DIR and JOBS may be overridden.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps deps-e2e build test demo bench format clean

all: build

deps:
	@bash scripts/install-deps.sh build

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_CXX_COMPILER_LAUNCHER=ccache $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j$(JOBS)

# The browser tests (tests/e2e/) need Chromium and node_modules (playwright-core, axe-core).
test: build deps-e2e node_modules/.package-lock.json
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

deps-e2e:
	@bash scripts/install-deps.sh e2e

node_modules/.package-lock.json: package.json package-lock.json | deps-e2e
	npm ci --no-audit --no-fund

demo: build
	./$(BUILD_DIR)/trellis demo

bench: build
	@bash scripts/install-deps.sh bench
	bash bench/run.sh $(BUILD_DIR)

format:
	find src apps tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
