// The example triage model evaluated with feelin (a JavaScript FEEL interpreter) as the FEEL
// engine: every literal expression, input expression, unary test and output entry of
// config/areas/example/triage/triage.dmn goes through feelin; the decision graph and the hit
// policies (PRIORITY, COLLECT, UNIQUE, FIRST) are wired here. Same inputs as triage_bench.
// Usage: node feelin.mjs INPUTS.json SECONDS   -> one JSON line
import { evaluate, unaryTest } from 'feelin';
import { XMLParser } from 'fast-xml-parser';
import fs from 'fs';

const [inputsFile, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg || 5);
const { directory, inputs } = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
const xml = fs.readFileSync(new URL('../../config/areas/example/triage/triage.dmn', import.meta.url), 'utf8');
const arr = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const text = (n) => (n === undefined ? '' : typeof n === 'object' ? String(n.text ?? '') : String(n));
const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true,
  isArray: (name) => ['decision', 'rule', 'input', 'output', 'inputEntry', 'outputEntry', 'informationRequirement'].includes(name) }).parse(xml);
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

function decide(input) {
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

for (let i = 0; i < 200; ++i) decide(inputs[i % inputs.length]);
const before = process.memoryUsage().rss;
let n = 0, emergencies = 0;
const t0 = process.hrtime.bigint();
let elapsed = 0;
while (elapsed < seconds) {
  for (let k = 0; k < 50; ++k, ++n) if (decide(inputs[n % inputs.length]).Priority === 'emergency') ++emergencies;
  elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
}
console.log(JSON.stringify({ engine: 'feelin', decisionsPerSecond: Math.round(n / elapsed), decisions: n,
  emergencyShare: emergencies / n, rssKb: Math.round(before / 1024) }));
