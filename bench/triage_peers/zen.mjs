// The example triage model run by @gorules/zen-engine (Rust, native N-API module) as the JDM
// graph triage.jdm.json (made from triage.dmn by dmn2jdm.mjs). Same inputs as triage_bench;
// one evaluation at a time on one thread for SECONDS. Checks every input's priority, THRIVE
// group and services in order (and alert codes) against Waymark's decisions when given.
// Usage: node --expose-gc zen.mjs INPUTS.json SECONDS [WAYMARK-DECISIONS.json] -> one JSON line
import { ZenEngine } from '@gorules/zen-engine';
import fs from 'fs';

const [inputsFile, secondsArg, decisionsFile] = process.argv.slice(2);
const seconds = Number(secondsArg || 5);
const { directory, inputs } = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
const graph = fs.readFileSync(new URL('triage.jdm.json', import.meta.url));
const contexts = inputs.map((i) => ({ ...i, directory }));

// Memory per model: RSS (the engine is native) and V8 heap growth over loading ten copies of
// the graph, each evaluated once so that whatever zen compiles lazily is counted too.
const settle = () => { if (globalThis.gc) { globalThis.gc(); globalThis.gc(); } };
const engine = new ZenEngine();
const copies = 10;
settle();
const before = process.memoryUsage();
const loaded = [];
for (let i = 0; i < copies; ++i) {
  const d = engine.createDecision(graph);
  await d.evaluate(contexts[i]);
  loaded.push(d);
}
settle();
const after = process.memoryUsage();
const decision = loaded[0];

// Agreement with Waymark, input by input.
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const agreement = { inputs: inputs.length, priority: 0, thriveGroup: 0, services: 0, alerts: 0, all: 0, errors: 0 };
const differences = [];
const expected = decisionsFile ? JSON.parse(fs.readFileSync(decisionsFile, 'utf8')) : null;
for (let i = 0; i < contexts.length; ++i) {
  let r;
  try {
    r = (await decision.evaluate(contexts[i])).result;
  } catch (e) {
    ++agreement.errors;
    if (differences.length < 5) differences.push({ input: i, error: String(e).split('\n')[0] });
    continue;
  }
  if (!expected) continue;
  const w = { ...expected[i], services: expected[i].services.map((s) => s.id), alerts: expected[i].alerts.map((a) => a.code) };
  const z = {
    priority: r.priority,
    thriveGroup: r.thriveGroup,
    services: (r.recommendedServices ?? []).map((s) => s.id),
    alerts: (r.alerts ?? []).map((a) => a.code),
  };
  const ok = {
    priority: z.priority === w.priority,
    thriveGroup: z.thriveGroup === w.thriveGroup,
    services: same(z.services, w.services),
    alerts: same(z.alerts, w.alerts),
  };
  for (const k of Object.keys(ok)) if (ok[k]) ++agreement[k];
  if (Object.values(ok).every(Boolean)) ++agreement.all;
  else if (differences.length < 5) differences.push({ input: i, waymark: w, zen: z });
}

// Warm up, then count decisions until the time is up, awaiting each one (one at a time).
for (let i = 0; i < 200; ++i) await decision.evaluate(contexts[i % contexts.length]);
let n = 0, emergencies = 0;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
let elapsed = 0;
while (elapsed < seconds) {
  for (let k = 0; k < 50; ++k, ++n)
    if ((await decision.evaluate(contexts[n % contexts.length])).result.priority === 'emergency') ++emergencies;
  elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
}
const cpu = process.cpuUsage(cpu0);
const kb = (x) => Math.round(x / 1024);
console.log(JSON.stringify({
  engine: 'zen-engine', decisionsPerSecond: Math.round(n / elapsed),
  decisionsPerCpuSecond: Math.round(n / ((cpu.user + cpu.system) / 1e6)), decisions: n,
  emergencyShare: emergencies / n,
  modelMemoryKb: { rss: kb((after.rss - before.rss) / copies), heap: kb((after.heapUsed - before.heapUsed) / copies) },
  agreement: expected ? agreement : undefined, differences: expected ? differences : undefined,
}));
engine.dispose();
