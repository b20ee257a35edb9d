#!/usr/bin/env bash
# Triage decisions per second per core, side by side in one run: Waymark's engine
# (triage_bench), @gorules/zen-engine running the same model as a JDM graph, and feelin
# evaluating the same DMN's FEEL. Same 10,000 generated inputs; zen's and feelin's answers are
# checked against Waymark's. Usage: bench/triage.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-bench}
seconds=${2:-10}
out=bench/results
mkdir -p "$out"
peers=bench/triage_peers
if [ ! -d "$peers/node_modules" ] || [ "$peers/package-lock.json" -nt "$peers/node_modules/.stamp" ]; then
  (cd "$peers" && npm ci --silent --no-audit --no-fund && touch node_modules/.stamp)
fi
# The JDM graph is made from the DMN, so the two cannot drift apart (git shows a stale copy).
(cd "$peers" && node dmn2jdm.mjs)

"$build/bench/triage_bench" "$seconds" "$out/triage-inputs.json" "$out/triage-waymark-decisions.json" \
  > "$out/triage-waymark.json"
(cd "$peers" && node --expose-gc zen.mjs ../results/triage-inputs.json "$seconds" \
  ../results/triage-waymark-decisions.json) > "$out/triage-zen.json"
(cd "$peers" && node --expose-gc feelin.mjs ../results/triage-inputs.json "$seconds" \
  ../results/triage-waymark-decisions.json) > "$out/triage-feelin.json"
cat "$out/triage-waymark.json" "$out/triage-zen.json" "$out/triage-feelin.json"

node --input-type=module - "$out" <<'EOF'
import fs from 'fs';
const dir = process.argv[2];
const [w, z, f] = ['waymark', 'zen', 'feelin'].map((n) => JSON.parse(fs.readFileSync(`${dir}/triage-${n}.json`, 'utf8')));
const fmt = (x) => x.toLocaleString('en-GB');
console.log('decisions per CPU-second (one thread):');
for (const r of [w, z, f])
  console.log(`  ${r.engine.padEnd(10)} ${fmt(r.decisionsPerCpuSecond).padStart(10)}   (${fmt(r.decisionsPerSecond)} per wall-clock second)`);
console.log(`  waymark / zen-engine: ${(w.decisionsPerCpuSecond / z.decisionsPerCpuSecond).toFixed(1)}x   waymark / feelin: ${Math.round(w.decisionsPerCpuSecond / f.decisionsPerCpuSecond)}x`);
const a = z.agreement;
console.log(`  zen agrees with waymark on ${a.all} of ${a.inputs} inputs (priority ${a.priority}, THRIVE group ${a.thriveGroup}, services in order ${a.services}, alerts ${a.alerts}; errors ${a.errors})`);
console.log(`  feelin agrees on ${f.agreement.all} of the first ${f.agreement.inputs}`);
const goal = w.decisionsPerCpuSecond >= 100000 && w.decisionsPerCpuSecond >= 10 * z.decisionsPerCpuSecond;
console.log(`  goal (>= 100,000/s per core and >= 10x zen-engine): ${goal ? 'met' : 'NOT met'}`);
EOF
