#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for a
# bounded time. Exit 0 only when no target found a crash, leak or hang.
# Usage: tests/fuzz/run.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-${WAYMARK_FUZZ_SECONDS:-30}}
gen=$(command -v ninja >/dev/null && echo "-G Ninja" || true)
cmake -S . -B build-fuzz $gen -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DWAYMARK_FUZZ=ON -DWAYMARK_TESTS=OFF >/dev/null
targets=$(grep -ho 'waymark_fuzz_target(\(fuzz_[a-z_]*\)' tests/fuzz/CMakeLists.txt | sed 's/.*(//' || true)
targets="$targets $(cd tests/fuzz && ls fuzz_rules_*.cc 2>/dev/null | sed 's/\.cc$//' || true)"
passed=0; failed=0
for t in $targets; do
  if ! cmake --build build-fuzz --target "$t" -j"${JOBS:-2}" >"build-fuzz/$t.build.log" 2>&1; then
    echo "fuzz: $t does not build"; grep -m 20 'error' "build-fuzz/$t.build.log" || tail -n 20 "build-fuzz/$t.build.log"
    failed=$((failed+1)); continue
  fi
  corpus=$(mktemp -d)
  seed="tests/fuzz/corpus/${t#fuzz_}"
  [ -d "$seed" ] && cp -r "$seed"/. "$corpus"/
  echo "fuzz: $t for ${secs}s"
  if "build-fuzz/tests/fuzz/$t" "$corpus" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 >"build-fuzz/$t.log" 2>&1; then
    passed=$((passed+1)); tail -n 3 "build-fuzz/$t.log"
  else
    failed=$((failed+1)); tail -n 40 "build-fuzz/$t.log"
  fi
  rm -rf "$corpus"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
