// Plain names for the codes in report tables. The CSV downloads keep the codes (MHSDS).
import { SOURCE_TEXT, THRIVE_TEXT } from '../clinician/labels';

// MHSDS GenderIDCode.
export const GENDER_TEXT: Record<string, string> = {
  '1': 'Male',
  '2': 'Female',
  '3': 'Non-binary',
  '4': 'Another gender',
  X: 'Not known',
  Z: 'Not stated',
};

// MHSDS EthnicCategory (2001 census categories).
export const ETHNICITY_TEXT: Record<string, string> = {
  A: 'White British',
  B: 'White Irish',
  C: 'Any other White background',
  D: 'Mixed White and Black Caribbean',
  E: 'Mixed White and Black African',
  F: 'Mixed White and Asian',
  G: 'Any other mixed background',
  H: 'Indian',
  J: 'Pakistani',
  K: 'Bangladeshi',
  L: 'Any other Asian background',
  M: 'Caribbean',
  N: 'African',
  P: 'Any other Black background',
  R: 'Chinese',
  S: 'Any other ethnic group',
  Z: 'Not stated',
  '99': 'Not known',
};

/** The words for a row label of the table `id` ("B1" → "Self (B1)"). */
export function rowLabel(id: string, label: string, localities: Record<string, string>): string {
  if (label === 'not recorded') return 'Not recorded';
  const withCode = (text: string | undefined) => (text ? `${text} (${label})` : label);
  if (id === 'referrals-by-source') return withCode(SOURCE_TEXT[label]);
  if (id === 'referrals-by-gender' || id === 'equality-by-gender') return withCode(GENDER_TEXT[label]);
  if (id === 'referrals-by-ethnicity' || id === 'equality-by-ethnicity') return withCode(ETHNICITY_TEXT[label]);
  if (id === 'referrals-by-thrive-group') return THRIVE_TEXT[label] ?? label;
  if (id === 'referrals-by-locality') return label === 'out-of-area' ? 'Out of area' : localities[label] ?? label;
  if (id === 'referrals-by-age-band' || id === 'equality-by-age-band') return label.replace('-', ' to ');
  if (id === 'referrals-by-month' && /^\d{4}-\d{2}$/.test(label)) return monthText(label, true);
  return label;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-03" → "Mar" (short) or "March 2026" (long). */
export function monthText(ym: string, long = false): string {
  const [y, m] = ym.split('-').map(Number);
  if (!y || !m || m < 1 || m > 12) return ym;
  return long ? `${MONTHS_LONG[m - 1]} ${y}` : MONTHS[m - 1];
}

/** A standard as written by the directory ("10 working-days") in plain words. */
export function standardText(s: string): string {
  return s.replace(/working-day/g, 'working day');
}
