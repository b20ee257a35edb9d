// Every area's triage model opens in the bpmn.io DMN toolkit (dmn-moddle, the reader behind
// dmn-js and Camunda Modeler) with no warnings, so a clinical lead can edit it there.
// Prints "N passed, N failed".   node tests/rules/dmn_tools_read_model.mjs
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { DmnModdle } = createRequire(join(ROOT, 'web', 'package.json'))('dmn-moddle');

let passed = 0;
let failed = 0;
const areas = join(ROOT, 'config', 'areas');
for (const area of readdirSync(areas)) {
  const dir = join(areas, area, 'triage');
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.dmn'))) {
    const name = `${area}/triage/${file}`;
    try {
      const { rootElement, warnings } = await new DmnModdle().fromXML(readFileSync(join(dir, file), 'utf8'), 'dmn:Definitions');
      const tables = rootElement.drgElement.filter((e) => e.decisionLogic?.$type === 'dmn:DecisionTable');
      if (warnings.length) throw new Error(warnings.map((w) => w.message.split('\n')[0]).join('; '));
      if (!tables.length) throw new Error('no decision tables were read');
      console.log(`PASS  ${name}: ${rootElement.drgElement.length} elements, ${tables.length} decision tables`);
      passed++;
    } catch (e) {
      console.log(`FAIL  ${name}: ${e.message}`);
      failed++;
    }
  }
}
if (passed + failed === 0) {
  console.log('FAIL  no triage model found under config/areas');
  failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
