#!/usr/bin/env bash
# Runs every benchmark from a release build. Usage: bench/run_all.sh BUILD_DIR
set -euo pipefail
build=${1:-build-bench}
mkdir -p bench/results
"$build/bench/intake_bench" --seconds 10 --clients 64 | tee bench/results/intake.txt
"$build/bench/queue_bench" 1000000 300 | tee bench/results/queue.txt
# Triage decisions per second per core: Waymark's engine, zen-engine and feelin on the same model.
bash bench/triage.sh "$build" 10 | tee bench/results/triage.txt
# The commissioner dashboard at a million referrals beside plain SQL in SQLite and PostgreSQL 15.
bash bench/dashboard.sh "$build"
