#!/usr/bin/env bash
# Runs every benchmark from a release build. Usage: bench/run_all.sh BUILD_DIR
set -euo pipefail
build=${1:-build-bench}
mkdir -p bench/results
"$build/bench/intake_bench" --seconds 10 --clients 64 | tee bench/results/intake.txt
"$build/bench/queue_bench" 1000000 300 | tee bench/results/queue.txt
# Triage decisions per second per core: Waymark's engine and the same model through feelin.
"$build/bench/triage_bench" 10 bench/results/triage-inputs.json | tee bench/results/triage.txt
(cd bench/triage_peers && { [ -d node_modules ] || npm install --silent; } && node feelin.mjs ../results/triage-inputs.json 10) \
  | tee -a bench/results/triage.txt
# The commissioner dashboard at a million referrals beside plain SQL in SQLite and PostgreSQL 15.
bash bench/dashboard.sh "$build"
