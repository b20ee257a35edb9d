// The triage decision's reasons as sentences a clinician can check against the decision
// tables. The model's row descriptions read "condition → outcome" ("Suicide plan → emergency:
// crisis response within 1 hour"); an arrow read aloud says nothing, so it never reaches the
// page. Each fired row becomes one sentence naming its table and row, and the row that decided
// each result is kept apart from rows that also matched (the engine may list every match).
import type { Decision } from '../api';

export interface FiredRow {
  decision: string;
  row: number | null;
  condition: string; // "Suicide plan"; empty when the row has no arrow
  outcome: string; // "emergency (crisis response within 1 hour)"; the whole text when no arrow
  sentence: string;
  /** This row gave the result (false: it matched, but a higher row won). */
  decided: boolean;
}

const ARROW = /\s*(?:→|->|⇒)\s*/;

/** Any text with its arrows said in words. */
export function withoutArrows(text: string): string {
  return text.replace(/\s*(?:→|->|⇒)\s*/g, ', so ');
}

function lowerFirst(s: string): string {
  // Keep acronyms (ADHD, CAMHS, NICE) as they are.
  return s.length > 1 && s[1] === s[1].toLowerCase() ? s[0].toLowerCase() + s.slice(1) : s;
}

function upperFirst(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** "emergency: crisis response within 1 hour" -> "emergency (crisis response within 1 hour)". */
function outcomeWords(outcome: string): string {
  const at = outcome.indexOf(': ');
  if (at < 0 || outcome.includes('(')) return outcome;
  return `${outcome.slice(0, at)} (${outcome.slice(at + 2)})`;
}

export function splitReason(text: string): { condition: string; outcome: string } {
  const parts = text.split(ARROW);
  if (parts.length < 2) return { condition: '', outcome: text.trim() };
  return { condition: parts[0].trim(), outcome: outcomeWords(parts.slice(1).join(', so ').trim()) };
}

/** A recommended service's reason: "crisis team responds within 1 hour, because the referral
 * matches “emergency”". */
export function serviceReasonSentence(reason: string): string {
  const { condition, outcome } = splitReason(reason);
  if (!condition) return upperFirst(withoutArrows(outcome)).replace(/[.!?]?$/, '.');
  return `${upperFirst(outcome)}, because the referral matches “${lowerFirst(condition)}”.`;
}

function sentenceFor(decision: string, row: number | null, condition: string, outcome: string): string {
  const where = row === null ? `${decision} table` : `${decision} table, row ${row}`;
  if (!condition) return `${where}: ${lowerFirst(withoutArrows(outcome)).replace(/[.!?]$/, '')}.`;
  const because = `because the referral matches “${lowerFirst(condition)}” (${where}).`;
  switch (decision) {
    case 'Priority':
      return `Priority is ${outcome} ${because}`;
    case 'THRIVE group':
      return `The THRIVE group is ${outcome} ${because}`;
    case 'Candidate services':
      return `Suggested: ${outcome}, ${because}`;
    default:
      return `${decision}: ${outcome}, ${because}`;
  }
}

const PRIORITY_WORDS: Record<string, string> = { emergency: 'emergency', 'very-urgent': 'very urgent', urgent: 'urgent', routine: 'routine' };

/** Every fired row as a sentence, with the row that decided each result marked. Takes the
 * decision's rulesFired as the API gives it: {decision, rule: "Row 3: ..."} and, if a newer
 * server adds them, {row, description, decided | winner | won | selected}. */
export function firedRows(d: Decision): FiredRow[] {
  const rows: FiredRow[] = (d.rulesFired as (Decision['rulesFired'][number] & Record<string, unknown>)[]).map((f) => {
    const text = typeof f.description === 'string' ? f.description : String(f.rule ?? '');
    const m = /^Row (\d+)(?::\s*([\s\S]*))?$/.exec(text);
    const row = typeof f.row === 'number' ? f.row : m ? Number(m[1]) : null;
    const rest = m ? (m[2] ?? '') : text;
    const { condition, outcome } = splitReason(rest);
    const flag = ['decided', 'winner', 'won', 'selected'].map((k) => f[k]).find((v) => typeof v === 'boolean') as boolean | undefined;
    return { decision: f.decision, row, condition, outcome, sentence: sentenceFor(f.decision, row, condition, outcome), decided: flag ?? false };
  });
  if (rows.some((r) => r.decided)) return rows;
  // No flags from the server: work out the deciding row of each table from the result.
  // The first matching row in table order gives the result (hit policy P takes the first of
  // equal outputs); one row alone decided it whatever it says.
  const decide = (table: string, matches: (r: FiredRow) => boolean) => {
    const inTable = rows.filter((r) => r.decision === table);
    const winner = inTable.length === 1 ? inTable[0] : inTable.filter(matches).sort((x, y) => (x.row ?? 0) - (y.row ?? 0))[0];
    if (winner) winner.decided = true;
  };
  const pw = PRIORITY_WORDS[d.priority] ?? d.priority;
  decide('Priority', (r) => (r.condition ? r.outcome.toLowerCase().startsWith(pw) : r.outcome.toLowerCase().includes(pw)));
  const tw = (d.thriveGroup ?? '').replace(/-/g, ' ');
  decide('THRIVE group', (r) => r.outcome.toLowerCase().startsWith(tw) || (!r.condition && r.outcome.toLowerCase().includes(tw)));
  // Candidate services: the row whose reason the first recommendation carries.
  const first = d.services?.[0]?.reason ?? '';
  decide('Candidate services', (r) => !!first && splitReason(first).condition === r.condition && splitReason(first).outcome === r.outcome);
  // Any other table with a single row: that row decided it.
  for (const table of new Set(rows.map((r) => r.decision))) {
    const inTable = rows.filter((r) => r.decision === table);
    if (inTable.length === 1) inTable[0].decided = true;
  }
  return rows;
}
