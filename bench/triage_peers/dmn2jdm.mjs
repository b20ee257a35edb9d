// Writes triage.jdm.json: the example area's triage model (config/areas/example/triage/
// triage.dmn) as a GoRules JDM graph for @gorules/zen-engine, so zen runs the same logic as
// Waymark in bench/run_all.sh. Decision tables become decisionTableNodes, translated cell by
// cell; the FEEL literal expressions become expression nodes, written by hand below, and the
// two sorts and the distinct step become one function node (ZEN's expression language has
// no sort and no distinct). Any FEEL this script does not know stops it, so a change to the
// DMN cannot silently drift from the graph.
// Usage: node dmn2jdm.mjs [OUT.json]   (default: triage.jdm.json beside this script)
import { XMLParser } from 'fast-xml-parser';
import fs from 'fs';

const dmnUrl = new URL('../../config/areas/example/triage/triage.dmn', import.meta.url);
const outFile = process.argv[2] || new URL('triage.jdm.json', import.meta.url);
const arr = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const text = (n) => (n === undefined ? '' : typeof n === 'object' ? String(n.text ?? '') : String(n)).trim();
const doc = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true,
  isArray: (name) => ['decision', 'rule', 'input', 'output', 'inputEntry', 'outputEntry', 'informationRequirement'].includes(name),
}).parse(fs.readFileSync(dmnUrl, 'utf8'));
const defs = doc.definitions;

// Names in the JDM context: input data keep theirs; decisions become lowerCamelCase keys.
const key = (name) => name.split(/\s+/).map((w, i) => (i > 0 ? w[0].toUpperCase() + w.slice(1) : w === w.toUpperCase() ? w.toLowerCase() : w[0].toLowerCase() + w.slice(1))).join('');
const decisionNames = arr(defs.decision).map((d) => d.name).sort((a, b) => b.length - a.length);
const renameDecisions = (expr) => decisionNames.reduce((e, n) => e.split(n).join(key(n)), expr);

// Decisions in dependency order (the order Waymark evaluates them in).
const byId = new Map(arr(defs.decision).map((d) => [d.id, d]));
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

const str = String.raw`"(?:[^"\\]|\\.)*"`;
const strList = String.raw`${str}(?:\s*,\s*${str})*`;
// One FEEL unary-tests cell as a ZEN unary test on `$` (the column's value). Only the forms
// the triage model uses; anything else is an error.
function unary(cell, where) {
  const t = cell.trim();
  let m;
  if (t === '-' || t === '') return '';
  if (new RegExp(`^${strList}$`).test(t)) return t; // "a" or "a", "b": equals one of them
  if (/^-?\d+(\.\d+)?$/.test(t)) return t;
  if (t === 'true' || t === 'false') return t;
  // A comparison on a number: FEEL gives null (no match) for a null input; ZEN would fail the
  // cell, which also skips the row, but say it outright.
  if ((m = /^(<=|>=|<|>)\s*(-?\d+(\.\d+)?)$/.exec(t))) return `$ != null and $ ${m[1]} ${m[2]}`;
  if ((m = new RegExp(`^not\\((${strList})\\)$`).exec(t))) return `not ($ in [${m[1]}])`;
  const contains = new RegExp(`^list contains\\(\\?,\\s*(${str})\\)$`);
  const parts = t.split(/\s+and\s+/);
  if (parts.every((p) => contains.test(p))) return parts.map((p) => `contains($, ${contains.exec(p)[1]})`).join(' and ');
  if ((m = new RegExp(`^some x in \\? satisfies list contains\\(\\[(${strList})\\],\\s*x\\)$`).exec(t))) return `some($, contains([${m[1]}], #))`;
  if ((m = new RegExp(`^some x in \\? satisfies x != (${str})$`).exec(t))) return `some($, # != ${m[1]})`;
  if ((m = new RegExp(`^every x in \\? satisfies x = (${str})$`).exec(t))) return `all($, # == ${m[1]})`;
  throw new Error(`${where}: no ZEN translation for the unary test ${JSON.stringify(t)}`);
}

function outputEntry(cell, where) {
  const t = cell.trim();
  if (new RegExp(`^${str}$`).test(t) || /^-?\d+(\.\d+)?$/.test(t)) return t;
  throw new Error(`${where}: no ZEN translation for the output entry ${JSON.stringify(t)}`);
}

function inputExpression(expr, where) {
  const t = renameDecisions(expr.trim()).replace(/\bcount\(/g, 'len(');
  if (!/^[A-Za-z][A-Za-z0-9]*$|^len\([A-Za-z]+\)(\s*\+\s*len\([A-Za-z]+\))*$/.test(t))
    throw new Error(`${where}: no ZEN translation for the input expression ${JSON.stringify(expr)}`);
  return t;
}

// The literal expressions, by decision: the FEEL text they translate (checked against the
// DMN, whitespace aside) and the ZEN. `sortedIn` marks the lists the function node sorts.
const SUFFIX_TRIED = ' (tried before without enough help, so offered after the others)';
const literals = {
  'Eligible services': {
    feel: `(for s in directory return
  if s.minAge <= age and age <= s.maxAge
     and (list contains(s.localities, locality)
          or (locality != "out-of-area" and list contains(s.localities, "all")))
     and not(some n in needs satisfies list contains(s.needsExcluded, n))
     and (count(needs) = 0
          or list contains(s.needsTaken, "any")
          or (some n in needs satisfies list contains(s.needsTaken, n)))
     and (every c in s.contextsRequired satisfies list contains(context, c))
     and (count(s.contextsAnyOf) = 0
          or (some c in s.contextsAnyOf satisfies list contains(context, c)))
  then s.id
  else null
)[item != null]`,
    // ZEN closures have one anonymous variable (#), so "no need of the young person is
    // excluded" is written the other way round: no excluded need is one of theirs.
    zen: `map(filter(directory, #.minAge <= age and age <= #.maxAge
  and (contains(#.localities, locality) or (locality != "out-of-area" and contains(#.localities, "all")))
  and none(#.needsExcluded, contains(needs, #))
  and (len(needs) == 0 or contains(#.needsTaken, "any") or some(#.needsTaken, contains(needs, #)))
  and all(#.contextsRequired, contains(context, #))
  and (len(#.contextsAnyOf) == 0 or some(#.contextsAnyOf, contains(context, #)))), #.id)`,
  },
  'Ranked candidates': {
    feel: `sort(
  (for c in (if Candidate services = null then [] else Candidate services) return
    if not(list contains(Eligible services, c.id)) then null
    else if list contains(triedServices, c.id) and Priority != "emergency"
    then {id: c.id, reason: c.reason + "${SUFFIX_TRIED}", rank: c.rank + 1000}
    else {id: c.id, reason: c.reason, rank: c.rank}
  )[item != null],
  function(a, b) a.rank < b.rank or (a.rank = b.rank and a.id < b.id))`,
    zen: `map(filter(candidateServices ?? [], contains(eligibleServices, #.id)),
  contains(triedServices, #.id) and priority != "emergency"
    ? {id: #.id, reason: #.reason + "${SUFFIX_TRIED}", rank: #.rank + 1000}
    : {id: #.id, reason: #.reason, rank: #.rank})`,
    sortedIn: 'rankedCandidates',
  },
  'Ranked fallbacks': {
    feel: `sort(
  (for c in (if Fallback services = null then [] else Fallback services) return
    if list contains(Eligible services, c.id) then c else null
  )[item != null],
  function(a, b) a.rank < b.rank or (a.rank = b.rank and a.id < b.id))`,
    zen: `filter(fallbackServices ?? [], contains(eligibleServices, #.id))`,
    sortedIn: 'rankedFallbacks',
  },
  'Recommended services': {
    feel: `if count(Ranked candidates) > 0 then
  for sid in distinct values(for c in Ranked candidates return c.id)
  return {id: sid, reason: Ranked candidates[item.id = sid][1].reason}
else if count(Ranked fallbacks) > 0 then
  for c in Ranked fallbacks return {id: c.id, reason: c.reason}
else
  [{id: "crisis", reason: "Last resort, as no other service here fits. " + Signposting advice + ". The all-age crisis line can advise in the meantime"}]`,
    // Runs in zen's function node (QuickJS), with the two sorts above.
    js: `const recommend = (input, rc, rf) => {
  if (rc.length > 0) {
    const seen = new Set();
    const out = [];
    for (const c of rc) if (!seen.has(c.id)) { seen.add(c.id); out.push({ id: c.id, reason: c.reason }); }
    return out;
  }
  if (rf.length > 0) return rf.map((c) => ({ id: c.id, reason: c.reason }));
  return [{ id: 'crisis', reason: 'Last resort, as no other service here fits. ' + input.signpostingAdvice + '. The all-age crisis line can advise in the meantime' }];
};`,
  },
  Alerts: {
    feel: `if Alert rules = null then [] else Alert rules`,
    zen: `alertRules ?? []`,
  },
};

const squash = (s) => s.replace(/\s+/g, ' ').trim();
let x = 0;
const pos = () => ({ x: (x += 260), y: 100 });
const nodes = [{ id: 'request', type: 'inputNode', name: 'Request', position: { x: 0, y: 100 }, content: { schema: '' } }];
const sorted = [];
for (const d of order) {
  const k = key(d.name);
  if (d.literalExpression) {
    const lit = literals[d.name];
    if (!lit) throw new Error(`decision "${d.name}": a literal expression with no ZEN translation here`);
    if (squash(text(d.literalExpression.text)) !== squash(lit.feel))
      throw new Error(`decision "${d.name}": its FEEL changed; update its translation in dmn2jdm.mjs`);
    if (lit.sortedIn) sorted.push(lit.sortedIn);
    if (lit.js) {
      const source = `// ${d.name}, and the sorts of ${sorted.join(' and ')} (by rank, then id)
const byRankThenId = (a, b) => (a.rank !== b.rank ? a.rank - b.rank : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
${lit.js}
export const handler = (input) => {
${sorted.map((s) => `  const ${s} = [...(input.${s} ?? [])].sort(byRankThenId);`).join('\n')}
  return { ...input, ${sorted.join(', ')}, ${k}: recommend(input, ${sorted.join(', ')}) };
};`;
      nodes.push({ id: k, type: 'functionNode', name: d.name, position: pos(), content: { source } });
    } else {
      nodes.push({
        id: k, type: 'expressionNode', name: d.name, position: pos(),
        content: { expressions: [{ id: `${k}-1`, key: k, value: squash(lit.zen) }], passThrough: true, inputField: null, outputPath: null, executionMode: 'single' },
      });
    }
    continue;
  }
  const t = d.decisionTable;
  const policy = t.hitPolicy || 'UNIQUE';
  const inputs = arr(t.input).map((inp, i) => ({ id: `i${i + 1}`, name: inp.label || `input ${i + 1}`, field: inputExpression(text(inp.inputExpression.text), `${d.name} input ${i + 1}`) }));
  const outs = arr(t.output);
  const single = outs.length === 1;
  const outputs = outs.map((o, i) => ({ id: `o${i + 1}`, name: o.name, field: single ? k : o.name }));
  let rules = arr(t.rule).map((r, ri) => {
    const row = { _id: r.id, _description: text(r.description) };
    arr(r.inputEntry).forEach((e, i) => { row[`i${i + 1}`] = unary(text(e.text), `${d.name} row ${ri + 1}`); });
    arr(r.outputEntry).forEach((e, i) => { row[`o${i + 1}`] = outputEntry(text(e.text), `${d.name} row ${ri + 1}`); });
    return row;
  });
  let hitPolicy;
  if (policy === 'COLLECT' && !t.aggregation) hitPolicy = 'collect';
  else if (policy === 'FIRST') hitPolicy = 'first';
  else if (policy === 'UNIQUE') hitPolicy = 'first'; // the rows exclude each other (clinical cases check it)
  else if (policy === 'PRIORITY' && single) {
    // ZEN has first and collect only. P = the matching row whose output comes first in the
    // output values; rows stably sorted by that order and then "first" is the same thing.
    const ov = text(outs[0].outputValues).match(new RegExp(str, 'g'));
    const rank = (row) => ov.indexOf(row.o1);
    if (rules.some((r) => rank(r) < 0)) throw new Error(`${d.name}: an output not in its output values`);
    rules = rules.map((r, i) => [r, i]).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([r]) => r);
    hitPolicy = 'first';
  } else throw new Error(`${d.name}: hit policy ${policy} has no ZEN translation here`);
  nodes.push({
    id: k, type: 'decisionTableNode', name: d.name, position: pos(),
    content: { hitPolicy, inputs, outputs, rules, passThrough: true, inputField: null, outputPath: hitPolicy === 'collect' ? k : null, executionMode: 'single' },
  });
}
// The response holds every decision's result (as Waymark's evaluation does), not the whole
// context with the inputs and the directory, which zen would otherwise convert back to JS.
nodes.push({
  id: 'decisions', type: 'expressionNode', name: 'Decisions', position: pos(),
  content: { expressions: order.map((d) => ({ id: `decisions-${key(d.name)}`, key: key(d.name), value: key(d.name) })), passThrough: false, inputField: null, outputPath: null, executionMode: 'single' },
});
nodes.push({ id: 'response', type: 'outputNode', name: 'Response', position: pos(), content: { schema: '' } });
const edges = nodes.slice(1).map((n, i) => ({ id: `e${i + 1}`, type: 'edge', sourceId: nodes[i].id, targetId: n.id }));
fs.writeFileSync(outFile, JSON.stringify({ contentType: 'application/vnd.gorules.decision', nodes, edges }, null, 2) + '\n');
