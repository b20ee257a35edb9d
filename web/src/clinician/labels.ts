// Plain names for codes shown on staff pages.
export const STATUS_TEXT: Record<string, string> = {
  received: 'Received',
  triaged: 'Triaged',
  'awaiting-decision': 'Awaiting decision',
  routed: 'Routed',
  waiting: 'On waiting list',
  'in-care': 'In care',
  discharged: 'Discharged',
  transferred: 'Transferred',
  closed: 'Closed',
};

export const THRIVE_TEXT: Record<string, string> = {
  'getting-advice': 'Getting advice',
  'getting-help': 'Getting help',
  'getting-more-help': 'Getting more help',
  'getting-risk-support': 'Getting risk support',
  thriving: 'Thriving',
};

export const SOURCE_TEXT: Record<string, string> = {
  A1: 'GP',
  A2: 'Health visitor',
  A3: 'Other primary care',
  B1: 'Self',
  B2: 'Parent or carer',
  C1: 'Social care',
  C2: 'Education',
  C3: 'Housing',
  E1: 'Police',
  E2: 'Courts',
  E3: 'Probation',
  E6: 'Youth offending team',
  F1: 'School nurse',
  G4: 'Voluntary sector',
  H1: 'Emergency department',
  H2: 'Other secondary care',
  M6: 'Other',
  M7: 'Single point of access',
};

export const MECHANISMS: { value: string; text: string }[] = [
  { value: '01', text: 'Face to face' },
  { value: '02', text: 'Telephone' },
  { value: '04', text: 'Talk type (for example, text chat)' },
  { value: '11', text: 'Video call' },
];

export const ATTEND: { value: string; text: string }[] = [
  { value: '5', text: 'Attended on time' },
  { value: '6', text: 'Arrived late but was seen' },
  { value: '7', text: 'Arrived late and could not be seen' },
  { value: '2', text: 'Cancelled by the young person or family' },
  { value: '3', text: 'Did not attend, no warning' },
  { value: '4', text: 'Cancelled or postponed by the service' },
];

export function clockText(minutes: number | undefined, breached?: boolean): string {
  if (minutes === undefined || minutes === null) return 'No clock yet';
  if (breached || minutes < 0) return `Overdue by ${duration(-minutes)}`;
  return `${duration(minutes)} left`;
}

function duration(m: number): string {
  m = Math.round(m);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days`;
}

/** Why a service declines a referral: the codes the decline action takes (reasonCode), with
 * the words staff see. The one list: the decline form and the referral history both use it. */
export const DECLINE_REASONS: { value: string; text: string; hint?: string }[] = [
  { value: 'not-meeting-criteria', text: 'Their needs are not what this service helps with', hint: 'Does not meet the service criteria' },
  { value: 'outside-age-range', text: 'They are too young or too old for this service' },
  { value: 'outside-area', text: 'They live outside the area this service covers' },
  { value: 'needs-met-elsewhere', text: 'Another service would meet their needs better' },
  { value: 'more-information-needed', text: 'We need more information before we can decide' },
  { value: 'already-receiving-help', text: 'They are already getting help for this' },
  { value: 'family-declined', text: 'The young person or family does not want this service' },
  { value: 'other', text: 'Another reason', hint: 'Say what it is in the details box' },
];

export const CONTACT_METHOD_TEXT: Record<string, string> = { phone: 'phone call', text: 'text message', email: 'email', letter: 'letter' };
