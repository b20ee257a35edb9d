// The example triage model evaluated with feelin (a JavaScript FEEL interpreter) as the FEEL
// engine: every literal expression, input expression, unary test and output entry of
// config/areas/example/triage/triage.dmn goes through feelin; the decision graph and the hit
// policies (PRIORITY, COLLECT, UNIQUE, FIRST) are wired here. Same inputs as triage_bench.
// Memory per model: V8 heap and RSS growth over loading ten copies of the plan, each run once.
// Agreement with Waymark on the first 100 inputs when its decisions are given (feelin is slow).
// Usage: node --expose-gc feelin.mjs INPUTS.json SECONDS [WAYMARK-DECISIONS.json] -> one JSON line
import { evaluate, unaryTest } from 'feelin';
import { XMLParser } from 'fast-xml-parser';
import fs from 'fs';

const [inputsFile, secondsArg, decisionsFile] = process.argv.slice(2);
const seconds = Number(secondsArg || 5);
const { directory, inputs } = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
const dmnUrl = new URL('../../config/areas/example/triage/triage.dmn', import.meta.url);
const arr = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const text = (n) => (n === undefined ? '' : typeof n === 'object' ? String(n.text ?? '') : String(n));
const load = () => {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true,
    isArray: (name) => ['decision', 'rule', 'input', 'output', 'inputEntry', 'outputEntry', 'informationRequirement'].includes(name) }).parse(fs.readFileSync(dmnUrl, 'utf8'));
  const defs = doc.definitions;
  const byId = new Map(arr(defs.decision).map((d) => [d.id, d]));
  // Decisions in dependency order.
  const order = [];
  const seen = new Set();
  const visit = (d) => {
    if (seen.has(d.id)) return;
    seen.add(d.id);
    for (const ir of arr(d.informationRequirement)) {
      const href = ir.requiredDecision?.href;
      if (href) visit(byId.get(href.replace('#', '')));
    }
    order.push(d);
  };
  arr(defs.decision).forEach(visit);
  const plan = order.map((d) => {
    if (d.literalExpression) return { name: d.name, literal: text(d.literalExpression.text) };
    const t = d.decisionTable;
    return {
      name: d.name, hit: t.hitPolicy || 'UNIQUE',
      inputs: arr(t.input).map((i) => text(i.inputExpression.text)),
      outputs: arr(t.output).map((o) => o.name),
      outputValues: arr(t.output).map((o) => (o.outputValues ? evaluate('[' + text(o.outputValues.text) + ']', {}).value : null)),
      rules: arr(t.rule).map((r) => ({ in: arr(r.inputEntry).map(text), out: arr(r.outputEntry).map(text) })),
    };
  });
  return plan;
};

function decide(plan, input) {
  const ctx = { ...input, directory };
  for (const d of plan) {
    if (d.literal !== undefined) { ctx[d.name] = evaluate(d.literal, ctx).value; continue; }
    const ins = d.inputs.map((e) => evaluate(e, ctx).value);
    const hits = [];
    d.rules.forEach((r, i) => {
      if (r.in.every((t, j) => t === '-' || t === '' || unaryTest(t, { ...ctx, '?': ins[j] }).value === true)) hits.push(i);
    });
    const out = (i) => {
      const v = d.rules[i].out.map((t) => (t && t !== '-' ? evaluate(t, ctx).value : null));
      if (d.outputs.length === 1) return v[0];
      return Object.fromEntries(d.outputs.map((n, k) => [n, v[k]]));
    };
    if (d.hit === 'COLLECT') ctx[d.name] = hits.map(out);
    else if (d.hit === 'PRIORITY') {
      const vals = hits.map(out);
      const ov = d.outputValues[0] || [];
      vals.sort((a, b) => ov.indexOf(a) - ov.indexOf(b));
      ctx[d.name] = vals.length ? vals[0] : null;
    } else ctx[d.name] = hits.length ? out(hits[0]) : null;
  }
  return ctx;
}

const settle = () => { if (globalThis.gc) { globalThis.gc(); globalThis.gc(); } };
const copies = 10;
settle();
const before = process.memoryUsage();
const plans = [];
for (let i = 0; i < copies; ++i) {
  plans.push(load());
  decide(plans[i], inputs[i]);
}
settle();
const after = process.memoryUsage();
const plan = plans[0];

let agreement;
if (decisionsFile) {
  const expected = JSON.parse(fs.readFileSync(decisionsFile, 'utf8'));
  agreement = { inputs: 100, priority: 0, thriveGroup: 0, services: 0, all: 0 };
  for (let i = 0; i < agreement.inputs; ++i) {
    const r = decide(plan, inputs[i]);
    const w = expected[i];
    const ok = [r.Priority === w.priority, r['THRIVE group'] === w.thriveGroup,
      JSON.stringify((r['Recommended services'] ?? []).map((s) => s.id)) === JSON.stringify(w.services.map((s) => s.id))];
    ['priority', 'thriveGroup', 'services'].forEach((k, j) => { if (ok[j]) ++agreement[k]; });
    if (ok.every(Boolean)) ++agreement.all;
  }
}

for (let i = 0; i < 20; ++i) decide(plan, inputs[i % inputs.length]);
let n = 0, emergencies = 0;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
let elapsed = 0;
while (elapsed < seconds) {
  for (let k = 0; k < 10; ++k, ++n) if (decide(plan, inputs[n % inputs.length]).Priority === 'emergency') ++emergencies;
  elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
}
const cpu = process.cpuUsage(cpu0);
const kb = (x) => Math.round(x / 1024);
console.log(JSON.stringify({ engine: 'feelin', decisionsPerSecond: Math.round(n / elapsed),
  decisionsPerCpuSecond: Math.round(n / ((cpu.user + cpu.system) / 1e6)), decisions: n,
  emergencyShare: emergencies / n,
  modelMemoryKb: { rss: kb((after.rss - before.rss) / copies), heap: kb((after.heapUsed - before.heapUsed) / copies) },
  agreement }));
