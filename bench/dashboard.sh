#!/usr/bin/env bash
# The commissioner dashboard on a 1,000,000-referral store, beside the same figures in plain
# SQL on SQLite and on PostgreSQL 15 (bench/dashboard_bench.cc). Makes the store once with
# `waymark demo generate` (kept in bench/results/, timed in generate-1m.txt), starts a
# throwaway PostgreSQL 15 server on 127.0.0.1 in a temporary folder, and always stops it.
#   bench/dashboard.sh BUILD_DIR [REFERRALS]
set -euo pipefail
build=${1:-build-bench}
referrals=${2:-1000000}
db=bench/results/demo-$referrals.db
mkdir -p bench/results

if [ ! -f "$db" ]; then
  echo "dashboard: generating $referrals synthetic referrals over 120 months (once; kept in $db)"
  /usr/bin/time -f "%e s wall, %U s user, %S s system, max RSS %M KB" \
    "$build/waymark" demo generate --db "$db" --referrals "$referrals" --months 120 \
    2>&1 | tr '\r' '\n' | grep -v '^\[' | tee bench/results/generate-$referrals.txt
fi

pgbin=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
if [ -z "$pgbin" ]; then
  echo "dashboard: PostgreSQL 15 is not installed (scripts/bootstrap --bench installs it)" >&2
  exit 1
fi
# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgdir=$(mktemp -d /tmp/waymark-bench-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$pgdir"
stop_pg() {
  as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop_pg EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$pgbin/initdb" -D "$pgdir/data" -U waymark -A trust --locale=C -E UTF8 --no-sync >/dev/null
# Memory for a 2-core, 24 GiB machine; no durability (the data is loaded for this run only).
as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $port -k $pgdir -c shared_buffers=2GB -c work_mem=256MB \
   -c maintenance_work_mem=1GB -c effective_cache_size=8GB -c fsync=off \
   -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=8GB" start >/dev/null
"$build/bench/dashboard_bench" --db "$db" --runs 5 \
  --pg "host=127.0.0.1 port=$port user=waymark dbname=postgres" | tee bench/results/dashboard.txt
