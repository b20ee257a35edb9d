# The two commands a newcomer needs: `make run` and `make test`. Everything installs itself.
SHELL := /bin/bash
JOBS ?= 2
PORT ?= 8080
DB ?= var/waymark.db
AREA ?= example
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: bootstrap build build-debug web run test test-fast test-slow format format-check bench clean

bootstrap:
	@bash scripts/bootstrap

build: bootstrap web
	@cmake -S . -B build $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DWAYMARK_TESTS=OFF >/dev/null
	@cmake --build build -j$(JOBS)

web:
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi

build-debug: bootstrap web
	@cmake -S . -B build-debug $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DWAYMARK_SANITIZE=ON -DWAYMARK_BENCH=ON >/dev/null
	@cmake --build build-debug -j$(JOBS)

run: build
	@mkdir -p $(dir $(DB))
	@./build/waymark serve --port $(PORT) --db $(DB) --area $(AREA) --demo

# Every tier CI runs: format check, unit, API, rules, browser, then the bounded slow tier.
test: bootstrap format-check build-debug
	@cd build-debug && ctest --output-on-failure -j$(JOBS) --timeout 900

# Only the fast tier (units and API), for the edit-compile-test loop.
test-fast: build-debug
	@cd build-debug && ctest --output-on-failure -j$(JOBS) -L fast

format:
	@git ls-files '*.h' '*.cc' | xargs -r clang-format -i

format-check:
	@bad=$$(git ls-files '*.h' '*.cc' | xargs -r clang-format --dry-run 2>&1 | grep -o '^[^:]*\.\(h\|cc\)' | sort -u); \
	if [ -n "$$bad" ]; then echo "format-check: not clang-formatted (run make format):"; echo "$$bad"; exit 1; fi; \
	echo "format-check: ok"

bench:
	@bash scripts/bootstrap --bench
	@cmake -S . -B build-bench $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DWAYMARK_TESTS=OFF -DWAYMARK_BENCH=ON >/dev/null
	@cmake --build build-bench -j$(JOBS)
	@bash bench/run_all.sh build-bench

clean:
	rm -rf build build-debug build-bench build-fuzz
