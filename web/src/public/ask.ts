// Ask for help: three journeys (young person, parent or carer, professional), one question
// per page, the NHS error-summary pattern, crisis help shown as soon as an answer signals
// danger, a check-your-answers page and a confirmation with the reference.
//
// Answers live in memory only (never in the URL or browser storage): a shared computer keeps
// nothing once the tab is closed.
import type { PageContext } from '../main';
import { navigate, afterRender } from '../main';
import { ApiError, area, crisisSignals, services, submitReferral, type Acknowledgement, type CrisisSignals, type ReferralSubmission } from '../api';
import {
  backLink,
  button,
  checkboxes,
  crisisCard,
  dateInput,
  errorSummary,
  radios,
  select,
  summaryList,
  textInput,
  textarea,
  type Choice,
  type ErrorItem,
} from '../components';
import { $, $all, html, type Raw } from '../dom';
import { postcodeDistrict } from './find';

export type Journey = 'young-person' | 'parent' | 'professional';

type Answers = Record<string, string | string[]>;

export const NEED_CHOICES: Choice[] = [
  { value: 'anxiety', text: 'Worry, fear or panic' },
  { value: 'low-mood', text: 'Feeling sad, low or hopeless' },
  { value: 'academic-stress', text: 'Stress about school, college or exams' },
  { value: 'bullying', text: 'Bullying, in person or online' },
  { value: 'body-image', text: 'Feeling bad about how they look' },
  { value: 'eating-difficulties', text: 'Worries about food or eating' },
  { value: 'eating-disorder', text: 'Signs of an eating disorder, like anorexia or bulimia' },
  { value: 'self-harm', text: 'Self-harm (hurting themselves on purpose)' },
  { value: 'suicidal-thoughts', text: 'Thoughts of ending their life' },
  { value: 'sleep', text: 'Sleep problems' },
  { value: 'anger', text: 'Anger or losing their temper' },
  { value: 'bereavement', text: 'Someone close has died' },
  { value: 'family-relationships', text: 'Problems at home or in the family' },
  { value: 'trauma', text: 'Something frightening or upsetting that happened' },
  { value: 'loneliness', text: 'Feeling lonely' },
  { value: 'self-esteem', text: 'Low confidence' },
  { value: 'adhd', text: 'Concentration, attention or being very active (ADHD)' },
  { value: 'autism', text: 'Autism' },
];

const RISK_CHOICES: Choice[] = [
  { value: 'suicidal-ideation', text: 'Thoughts of ending their life' },
  { value: 'suicide-plan', text: 'A plan to end their life' },
  { value: 'suicide-attempt', text: 'Has tried to end their life' },
  { value: 'self-harm-recent', text: 'Has hurt themselves on purpose in the last 2 weeks' },
  { value: 'self-harm-medical', text: 'Self-harm that needed treatment from a doctor or nurse' },
  { value: 'rapid-weight-loss', text: 'Losing a lot of weight quickly' },
  { value: 'not-eating-or-drinking', text: 'Not eating or drinking at all' },
  { value: 'harm-to-others', text: 'Might hurt someone else' },
  { value: 'safeguarding', text: 'Someone is hurting them, or home is not safe' },
  { value: 'none', text: 'None of these', exclusive: true },
];

// A young person asking for themselves reads the same choices in the first person: "a plan to
// end my life", not "their life". Codes are the same; only the words change.
const SELF_TEXT: Record<string, string> = {
  'body-image': 'Feeling bad about how I look',
  'self-harm': 'Self-harm (hurting myself on purpose)',
  'suicidal-thoughts': 'Thoughts of ending my life',
  anger: 'Anger or losing my temper',
  'suicidal-ideation': 'I think about ending my life',
  'suicide-plan': 'I have a plan to end my life',
  'suicide-attempt': 'I have tried to end my life',
  'self-harm-recent': 'I have hurt myself on purpose in the last 2 weeks',
  'self-harm-medical': 'I hurt myself and needed treatment from a doctor or nurse',
  'rapid-weight-loss': 'I am losing a lot of weight quickly',
  'not-eating-or-drinking': 'I am not eating or drinking at all',
  'harm-to-others': 'I might hurt someone else',
  safeguarding: 'Someone is hurting me, or home is not safe',
};
const inFirstPerson = (choices: Choice[]): Choice[] => choices.map((c) => ({ ...c, text: SELF_TEXT[c.value] ?? c.text }));
const SELF_NEED_CHOICES = inFirstPerson(NEED_CHOICES);
const SELF_RISK_CHOICES = inFirstPerson(RISK_CHOICES);
// Parents and professionals can also tell us about risks a young person rarely names
// themselves. Every one of these is a contract risk code the triage model reads.
const withRisks = (extra: Choice[]): Choice[] => [...RISK_CHOICES.filter((c) => !c.exclusive), ...extra, ...RISK_CHOICES.filter((c) => c.exclusive)];
const PARENT_RISK_CHOICES = withRisks([
  { value: 'acute-psychosis', text: 'Seeing or hearing things others do not, or very confused about what is real' },
  { value: 'medical-instability', text: 'Fainting, very dizzy or very unwell in their body' },
  { value: 'exploitation', text: 'Being pressured or used by other people (exploitation)' },
  { value: 'carer-cannot-cope', text: 'I cannot keep them safe at home' },
]);
const PROFESSIONAL_RISK_CHOICES = withRisks([
  { value: 'acute-psychosis', text: 'Signs of acute psychosis (hallucinations, delusions, very confused)' },
  { value: 'medical-instability', text: 'Physically unstable (fainting, very low heart rate or weight)' },
  { value: 'exploitation', text: 'Criminal or sexual exploitation' },
  { value: 'carer-cannot-cope', text: 'Parent or carer cannot cope or keep them safe' },
  { value: 'risk-of-admission', text: 'At risk of admission to hospital' },
]);

// What shows crisis help comes from the server (GET /api/v1/crisis-signals), loaded before the
// first question that watches for danger. If it cannot be loaded, the answers that matter
// most still show help here, and the server shows it again when the request is sent.
let signals: CrisisSignals = {
  risks: ['suicidal-ideation', 'suicide-plan', 'suicide-attempt', 'self-harm-medical'],
  context: ['in-emergency-department'],
  needs: ['suicidal-thoughts'],
  words: ['suicid', 'kill myself', 'end my life', 'overdos'],
};
async function loadSignals(): Promise<void> {
  try {
    signals = await crisisSignals();
  } catch {
    /* keep the short list above */
  }
}
// The server's rule (src/domain/crisis.cc): lower case, apostrophes dropped, every run of
// punctuation or spaces one space, and a phrase matches where a word starts.
function normalise(text: string): string {
  return ` ${text.toLowerCase().replace(/['\u2018\u2019]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ')}`;
}
function hasCrisisWords(text: string): boolean {
  const t = normalise(text);
  return signals.words.some((w) => t.includes(normalise(w).trimEnd()));
}

const IMPACT_CHOICES: Choice[] = [
  { value: 'none', text: 'Not at all' },
  { value: 'mild', text: 'A little', hint: 'Things are harder, but everyday life mostly goes on' },
  { value: 'moderate', text: 'Quite a lot', hint: 'Some days school, sleep, eating or friends are hard' },
  { value: 'severe', text: 'Very much', hint: 'Most days it is hard to get through the day' },
];

const DURATION_CHOICES: Choice[] = [
  { value: '1', text: 'Less than 2 weeks' },
  { value: '4', text: '2 weeks to 2 months' },
  { value: '16', text: '2 to 6 months' },
  { value: '52', text: 'More than 6 months' },
];

const SOURCE_CHOICES: Choice[] = [
  { value: 'A1', text: 'GP practice' },
  { value: 'C2', text: 'School, college or other education' },
  { value: 'F1', text: 'School nursing' },
  { value: 'C1', text: 'Social care' },
  { value: 'E6', text: 'Youth offending team' },
  { value: 'E1', text: 'Police' },
  { value: 'H1', text: 'Emergency department' },
  { value: 'G4', text: 'Voluntary or community organisation' },
  { value: 'M6', text: 'Somewhere else' },
];

const YES_NO: Choice[] = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
];

interface Step {
  id: string;
  /** Label on the check-your-answers page. */
  key: string;
  render(a: Answers, err: (id: string) => string | undefined): Raw | Promise<Raw>;
  read(form: HTMLFormElement, a: Answers): void;
  validate(a: Answers): ErrorItem[];
  show(a: Answers): Raw | string;
  /** Crisis help can appear on this page as answers change. */
  watchesDanger?: boolean;
  /** Asked only when this is true (a follow-up question); skipped otherwise. */
  applies?(a: Answers): boolean;
  /** Server field paths (problem body) that this page answers. */
  paths?: RegExp;
}

const applies = (s: Step, a: Answers) => !s.applies || s.applies(a);

const str = (a: Answers, k: string) => (typeof a[k] === 'string' ? (a[k] as string) : '');
const list = (a: Answers, k: string) => (Array.isArray(a[k]) ? (a[k] as string[]) : []);
const formStr = (f: HTMLFormElement, k: string) => String(new FormData(f).get(k) ?? '').trim();
const formList = (f: HTMLFormElement, k: string) => new FormData(f).getAll(k).map(String);
const choiceText = (choices: Choice[], v: string) => choices.find((c) => c.value === v)?.text ?? v;

const PHONE = /^\+?[0-9 ()-]{7,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// ---- Step builders ------------------------------------------------------------------------

function nameStep(id: string, question: string, who: string): Step {
  return {
    id,
    key: 'Name',
    render: (a, err) => html`<fieldset class="nhsuk-fieldset">
  <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--l"><h1 class="nhsuk-fieldset__heading" tabindex="-1">${question}</h1></legend>
  ${textInput({ id: 'givenName', label: 'First name', value: str(a, 'givenName'), autocomplete: who === 'you' ? 'given-name' : 'off', error: err('givenName'), spellcheck: false })}
  ${textInput({ id: 'familyName', label: 'Last name', value: str(a, 'familyName'), autocomplete: who === 'you' ? 'family-name' : 'off', error: err('familyName'), spellcheck: false })}
</fieldset>`,
    read: (f, a) => {
      a.givenName = formStr(f, 'givenName');
      a.familyName = formStr(f, 'familyName');
    },
    validate: (a) => {
      const e: ErrorItem[] = [];
      if (!str(a, 'givenName')) e.push({ id: 'givenName', message: `Enter ${who === 'you' ? 'your' : 'their'} first name` });
      if (!str(a, 'familyName')) e.push({ id: 'familyName', message: `Enter ${who === 'you' ? 'your' : 'their'} last name` });
      return e;
    },
    show: (a) => `${str(a, 'givenName')} ${str(a, 'familyName')}`,
    paths: /^youngPerson\.(givenName|familyName)/,
  };
}

function dobStep(question: string): Step {
  return {
    id: 'date-of-birth',
    key: 'Date of birth',
    render: (a, err) =>
      dateInput({
        id: 'dob',
        legend: question,
        hint: 'For example, 15 3 2011',
        pageHeading: true,
        error: err('dob'),
        value: { day: str(a, 'dobDay'), month: str(a, 'dobMonth'), year: str(a, 'dobYear') },
      }),
    read: (f, a) => {
      a.dobDay = formStr(f, 'dob-day');
      a.dobMonth = formStr(f, 'dob-month');
      a.dobYear = formStr(f, 'dob-year');
    },
    validate: (a) => {
      const d = Number(str(a, 'dobDay')), m = Number(str(a, 'dobMonth')), y = Number(str(a, 'dobYear'));
      if (!str(a, 'dobDay') && !str(a, 'dobMonth') && !str(a, 'dobYear')) return [{ id: 'dob', message: 'Enter a date of birth' }];
      const date = new Date(Date.UTC(y, m - 1, d));
      if (!Number.isInteger(d) || !Number.isInteger(m) || !/^\d{4}$/.test(str(a, 'dobYear')) || date.getUTCDate() !== d || date.getUTCMonth() !== m - 1) {
        return [{ id: 'dob', message: 'Date of birth must be a real date, like 15 3 2011' }];
      }
      const now = new Date();
      if (date > now) return [{ id: 'dob', message: 'Date of birth must be in the past' }];
      const age = (now.getTime() - date.getTime()) / (365.25 * 24 * 3600 * 1000);
      if (age >= 26) return [{ id: 'dob', message: 'This service is for people aged 25 or under' }];
      return [];
    },
    paths: /^youngPerson\.dateOfBirth/,
    show: (a) => isoDob(a).replace(/^(\d{4})-(\d{2})-(\d{2})$/, (_m, y, mo, d) => `${Number(d)} ${MONTHS[Number(mo) - 1]} ${y}`),
  };
}
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const isoDob = (a: Answers) => `${str(a, 'dobYear')}-${str(a, 'dobMonth').padStart(2, '0')}-${str(a, 'dobDay').padStart(2, '0')}`;

// Locality names for the check-your-answers page, filled in when the area is loaded.
const LOCALITY_NAMES: Record<string, string> = {};

function whereStep(id: string, key: string, question: string): Step {
  return {
    id,
    key,
    paths: /^(youngPerson\.postcode|locality)/,
    render: async (a, err) => {
      const ar = await area().catch(() => null);
      return html`<h1 tabindex="-1">${question}</h1>
${textInput({ id: 'postcode', label: 'Postcode', hint: 'For example, LE1 5WW', value: str(a, 'postcode'), width: 10, autocomplete: 'postal-code', error: err('postcode') })}
${select({
  id: 'locality',
  label: 'If you do not know the postcode, choose the area',
  value: str(a, 'locality'),
  choices: [{ value: '', text: 'Choose an area' }, ...(ar?.localities ?? []).map((l) => ({ value: l.code, text: l.name })), { value: 'out-of-area', text: 'Somewhere else' }],
})}`;
    },
    read: (f, a) => {
      a.postcode = formStr(f, 'postcode').toUpperCase();
      a.locality = formStr(f, 'locality');
    },
    validate: (a) => {
      if (!str(a, 'postcode') && !str(a, 'locality')) return [{ id: 'postcode', message: 'Enter a postcode, or choose the area' }];
      if (str(a, 'postcode') && !postcodeDistrict(str(a, 'postcode'))) return [{ id: 'postcode', message: 'Enter a real postcode, like LE1 5WW' }];
      return [];
    },
    show: (a) => str(a, 'postcode') || (str(a, 'locality') === 'out-of-area' ? 'Somewhere else' : LOCALITY_NAMES[str(a, 'locality')] ?? str(a, 'locality')),
  };
}

function needsStep(question: string, choices: Choice[] = NEED_CHOICES): Step {
  return {
    id: 'what-help',
    key: 'Help with',
    render: (a, err) =>
      checkboxes({ id: 'needs', legend: question, hint: 'Choose all that apply', pageHeading: true, choices, value: list(a, 'needs'), error: err('needs') }),
    read: (f, a) => {
      a.needs = formList(f, 'needs');
    },
    validate: (a) => (list(a, 'needs').length ? [] : [{ id: 'needs', message: 'Choose at least one thing you would like help with' }]),
    paths: /^needs/,
    show: (a) => html`<ul class="nhsuk-list">${list(a, 'needs').map((n) => html`<li>${choiceText(choices, n)}</li>`)}</ul>`,
    watchesDanger: true,
  };
}

function risksStep(question: string, choices: Choice[] = RISK_CHOICES): Step {
  return {
    id: 'safety',
    key: 'Safety',
    render: (a, err) =>
      checkboxes({
        id: 'risks',
        legend: question,
        hint: 'Choose all that apply. This helps us see who needs help first.',
        pageHeading: true,
        choices,
        value: list(a, 'risks'),
        error: err('risks'),
      }),
    read: (f, a) => {
      a.risks = formList(f, 'risks');
    },
    validate: (a) => (list(a, 'risks').length ? [] : [{ id: 'risks', message: 'Choose any that apply, or "None of these"' }]),
    paths: /^risks/,
    show: (a) => html`<ul class="nhsuk-list">${list(a, 'risks').map((n) => html`<li>${choiceText(choices, n)}</li>`)}</ul>`,
    watchesDanger: true,
  };
}

function radioStep(id: string, key: string, answer: string, question: string, choices: Choice[], message: string, hint?: string, paths?: RegExp): Step {
  return {
    id,
    key,
    paths,
    render: (a, err) => radios({ id: answer, legend: question, hint, pageHeading: true, choices, value: str(a, answer), error: err(answer) }),
    read: (f, a) => {
      a[answer] = formStr(f, answer);
    },
    validate: (a) => (str(a, answer) ? [] : [{ id: answer, message }]),
    show: (a) => choiceText(choices, str(a, answer)),
  };
}

function descriptionStep(question: string, hint: string): Step {
  return {
    id: 'in-your-own-words',
    key: 'In your own words',
    render: (a, err) => textarea({ id: 'description', label: question, hint, pageHeading: true, value: str(a, 'description'), error: err('description'), rows: 6 }),
    read: (f, a) => {
      a.description = formStr(f, 'description');
    },
    validate: (a) => (str(a, 'description').length > 10000 ? [{ id: 'description', message: 'Write 10,000 characters or fewer' }] : []),
    show: (a) => str(a, 'description') || 'Nothing added',
    paths: /^description/,
    watchesDanger: true,
  };
}

function contactStep(id: string, question: string, required: boolean, hint: string): Step {
  return {
    id,
    key: 'Contact details',
    render: (a, err) => html`<fieldset class="nhsuk-fieldset" aria-describedby="contact-hint">
  <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--l"><h1 class="nhsuk-fieldset__heading" tabindex="-1">${question}</h1></legend>
  <div class="nhsuk-hint" id="contact-hint">${hint}</div>
  ${textInput({ id: 'phone', label: 'Phone number', value: str(a, 'phone'), type: 'tel', autocomplete: 'tel', width: 20, error: err('phone') })}
  ${textInput({ id: 'email', label: 'Email address', value: str(a, 'email'), type: 'email', autocomplete: 'email', spellcheck: false, error: err('email') })}
</fieldset>`,
    read: (f, a) => {
      a.phone = formStr(f, 'phone');
      a.email = formStr(f, 'email');
    },
    validate: (a) => {
      const e: ErrorItem[] = [];
      if (str(a, 'phone') && !PHONE.test(str(a, 'phone'))) e.push({ id: 'phone', message: 'Enter a phone number, like 07700 900 982' });
      if (str(a, 'email') && !EMAIL.test(str(a, 'email'))) e.push({ id: 'email', message: 'Enter an email address, like name@example.com' });
      if (required && !e.length && !str(a, 'phone') && !str(a, 'email')) e.push({ id: 'phone', message: 'Enter a phone number or an email address' });
      return e;
    },
    show: (a) => [str(a, 'phone'), str(a, 'email')].filter(Boolean).join(', ') || 'None given',
    paths: /^youngPerson\.contact\.(phone|email)/,
  };
}

function referrerStep(professional: boolean): Step {
  return {
    id: 'your-details',
    key: 'Your details',
    paths: /^referrer\./,
    render: (a, err) => html`<fieldset class="nhsuk-fieldset" aria-describedby="you-hint">
  <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--l"><h1 class="nhsuk-fieldset__heading" tabindex="-1">Your details</h1></legend>
  <div class="nhsuk-hint" id="you-hint">So we can contact you about this request. Give a phone number or an email address, or both.</div>
  ${textInput({ id: 'referrerName', label: 'Your full name', value: str(a, 'referrerName'), autocomplete: 'name', spellcheck: false, error: err('referrerName') })}
  ${professional ? textInput({ id: 'referrerRole', label: 'Your job title', hint: 'For example, GP or head of year', value: str(a, 'referrerRole'), autocomplete: 'organization-title', error: err('referrerRole') }) : ''}
  ${professional ? textInput({ id: 'referrerOrganisation', label: 'Your organisation', value: str(a, 'referrerOrganisation'), autocomplete: 'organization', error: err('referrerOrganisation') }) : ''}
  ${textInput({ id: 'referrerPhone', label: 'Phone number', value: str(a, 'referrerPhone'), type: 'tel', autocomplete: 'tel', width: 20, error: err('referrerPhone') })}
  ${textInput({ id: 'referrerEmail', label: 'Email address', value: str(a, 'referrerEmail'), type: 'email', autocomplete: 'email', spellcheck: false, error: err('referrerEmail') })}
</fieldset>`,
    read: (f, a) => {
      for (const k of ['referrerName', 'referrerRole', 'referrerOrganisation', 'referrerPhone', 'referrerEmail']) a[k] = formStr(f, k);
    },
    validate: (a) => {
      const e: ErrorItem[] = [];
      if (!str(a, 'referrerName')) e.push({ id: 'referrerName', message: 'Enter your full name' });
      if (professional && !str(a, 'referrerRole')) e.push({ id: 'referrerRole', message: 'Enter your job title' });
      if (professional && !str(a, 'referrerOrganisation')) e.push({ id: 'referrerOrganisation', message: 'Enter your organisation' });
      if (str(a, 'referrerPhone') && !PHONE.test(str(a, 'referrerPhone'))) e.push({ id: 'referrerPhone', message: 'Enter a phone number, like 07700 900 982' });
      if (str(a, 'referrerEmail') && !EMAIL.test(str(a, 'referrerEmail'))) e.push({ id: 'referrerEmail', message: 'Enter an email address, like name@example.com' });
      if (!str(a, 'referrerPhone') && !str(a, 'referrerEmail')) e.push({ id: 'referrerPhone', message: 'Enter a phone number or an email address' });
      return e;
    },
    show: (a) =>
      html`${[str(a, 'referrerName'), professional ? `${str(a, 'referrerRole')}, ${str(a, 'referrerOrganisation')}` : '', str(a, 'referrerPhone'), str(a, 'referrerEmail')]
        .filter(Boolean)
        .map((x, i) => (i ? html`<br>${x}` : html`${x}`))}`,
  };
}

function nhsNumberStep(): Step {
  return {
    id: 'nhs-number',
    key: 'NHS number',
    paths: /^youngPerson\.nhsNumber/,
    render: (a, err) =>
      textInput({
        id: 'nhsNumber',
        label: 'What is their NHS number? (optional)',
        hint: 'It is 10 digits long, like 485 777 3456. Leave this empty if you do not know it.',
        pageHeading: true,
        value: str(a, 'nhsNumber'),
        width: 10,
        inputmode: 'numeric',
        error: err('nhsNumber'),
      }),
    read: (f, a) => {
      a.nhsNumber = formStr(f, 'nhsNumber');
    },
    validate: (a) => {
      const n = str(a, 'nhsNumber').replace(/[\s-]/g, '');
      if (!n) return [];
      if (!/^\d{10}$/.test(n) || !nhsCheck(n)) return [{ id: 'nhsNumber', message: 'Enter a valid 10-digit NHS number, or leave this empty' }];
      return [];
    },
    show: (a) => str(a, 'nhsNumber') || 'Not given',
  };
}

// ---- About the young person: context, gender, ethnic group, services tried ----------------

// The triage model's context codes (triage-contract.md), in the words of each journey's
// person. "In the emergency department now" also shows crisis help (the server's list).
const CONTEXT_CODES = ['looked-after', 'adopted', 'youth-justice', 'homeless', 'learning-disability', 'autism-diagnosed', 'send', 'young-carer', 'known-to-camhs', 'in-emergency-department'] as const;
type ContextWords = Record<(typeof CONTEXT_CODES)[number], { text: string; hint?: string }>;
const CONTEXT_SELF: ContextWords = {
  'looked-after': { text: 'I live in care, or with foster carers', hint: 'This is also called being looked after' },
  adopted: { text: 'I am adopted' },
  'youth-justice': { text: 'I have a youth justice worker, or I have been in trouble with the police' },
  homeless: { text: 'I do not have a safe, settled place to live', hint: 'For example, sleeping on friends\u2019 sofas' },
  'learning-disability': { text: 'I have a learning disability' },
  'autism-diagnosed': { text: 'I have been told by a doctor that I am autistic' },
  send: { text: 'I get extra help at school because of special needs or a disability', hint: 'This is also called SEND' },
  'young-carer': { text: 'I help look after someone in my family', hint: 'This is also called being a young carer' },
  'known-to-camhs': { text: 'I see CAMHS now, or I have seen them before' },
  'in-emergency-department': { text: 'I am in A&E (the emergency department) now' },
};
const CONTEXT_PARENT: ContextWords = {
  'looked-after': { text: 'They live in care, or with foster carers (looked after)' },
  adopted: { text: 'They are adopted' },
  'youth-justice': { text: 'They have a youth justice worker, or have been in trouble with the police' },
  homeless: { text: 'They do not have a safe, settled place to live' },
  'learning-disability': { text: 'They have a learning disability' },
  'autism-diagnosed': { text: 'They have an autism diagnosis' },
  send: { text: 'They have special educational needs or a disability (SEND)', hint: 'For example, they get extra help at school or have an EHC plan' },
  'young-carer': { text: 'They help look after someone in the family (a young carer)' },
  'known-to-camhs': { text: 'They see CAMHS now, or have seen them before' },
  'in-emergency-department': { text: 'They are in A&E (the emergency department) now' },
};
const CONTEXT_PROFESSIONAL: ContextWords = {
  'looked-after': { text: 'Looked-after child' },
  adopted: { text: 'Adopted' },
  'youth-justice': { text: 'Known to youth justice or a youth offending team' },
  homeless: { text: 'Homeless or in unstable housing' },
  'learning-disability': { text: 'Learning disability' },
  'autism-diagnosed': { text: 'Autism diagnosis' },
  send: { text: 'Special educational needs or disability (SEND), including an EHC plan' },
  'young-carer': { text: 'Young carer' },
  'known-to-camhs': { text: 'Known to CAMHS (open now or seen before)' },
  'in-emergency-department': { text: 'In the emergency department now' },
};
const contextChoices = (w: ContextWords): Choice[] => [
  ...CONTEXT_CODES.map((c) => ({ value: c, text: w[c].text, hint: w[c].hint })),
  { value: 'none', text: 'None of these', exclusive: true },
];
/** Plain names of context codes for staff pages. */
export const CONTEXT_TEXT: Record<string, string> = Object.fromEntries(CONTEXT_CODES.map((c) => [c, CONTEXT_PROFESSIONAL[c].text]));

function contextStep(id: string, question: string, words: ContextWords, hint: string): Step {
  const choices = contextChoices(words);
  return {
    id,
    key: 'Also true',
    render: (a, err) => checkboxes({ id: 'context', legend: question, hint, pageHeading: true, choices, value: list(a, 'context'), error: err('context') }),
    read: (f, a) => {
      a.context = formList(f, 'context');
    },
    validate: (a) => (list(a, 'context').length ? [] : [{ id: 'context', message: 'Choose any that are true, or "None of these"' }]),
    show: (a) => html`<ul class="nhsuk-list">${list(a, 'context').map((n) => html`<li>${choiceText(choices, n)}</li>`)}</ul>`,
    watchesDanger: true,
    paths: /^context/,
  };
}

// MHSDS gender identity codes (src/domain/codes.cc): 1 male, 2 female, 3 non-binary,
// 4 another way, X not known, Z not stated.
function genderStep(question: string, self: boolean): Step {
  const choices: Choice[] = [
    { value: '2', text: 'Female' },
    { value: '1', text: 'Male' },
    { value: '3', text: 'Non-binary' },
    { value: '4', text: self ? 'I describe my gender another way' : 'They describe their gender another way' },
    ...(self ? [] : [{ value: 'X', text: 'I do not know' }]),
    { value: 'Z', text: self ? 'I would rather not say' : 'Prefer not to say' },
  ];
  return {
    id: 'gender',
    key: 'Gender',
    render: (a, err) =>
      radios({ id: 'gender', legend: question, hint: 'This helps us check that our service is fair to everyone. You can skip this question.', pageHeading: true, choices, value: str(a, 'gender'), error: err('gender') }),
    read: (f, a) => {
      a.gender = formStr(f, 'gender');
    },
    validate: () => [],
    show: (a) => (str(a, 'gender') ? choiceText(choices, str(a, 'gender')) : 'Not answered'),
    paths: /^youngPerson\.gender/,
  };
}

// NHS ethnic category codes (src/domain/codes.cc), asked as a group and then a background,
// as NHS services do. Z is "not stated", 99 "not known".
const ETHNIC_BACKGROUNDS: Record<string, Choice[]> = {
  white: [
    { value: 'A', text: 'English, Welsh, Scottish, Northern Irish or British' },
    { value: 'B', text: 'Irish' },
    { value: 'C', text: 'Any other White background' },
  ],
  mixed: [
    { value: 'D', text: 'White and Black Caribbean' },
    { value: 'E', text: 'White and Black African' },
    { value: 'F', text: 'White and Asian' },
    { value: 'G', text: 'Any other mixed or multiple background' },
  ],
  asian: [
    { value: 'H', text: 'Indian' },
    { value: 'J', text: 'Pakistani' },
    { value: 'K', text: 'Bangladeshi' },
    { value: 'L', text: 'Any other Asian background' },
  ],
  black: [
    { value: 'M', text: 'Caribbean' },
    { value: 'N', text: 'African' },
    { value: 'P', text: 'Any other Black, African or Caribbean background' },
  ],
  other: [
    { value: 'R', text: 'Chinese' },
    { value: 'S', text: 'Any other ethnic group' },
  ],
};
const ETHNIC_GROUPS: Choice[] = [
  { value: 'white', text: 'White' },
  { value: 'mixed', text: 'Mixed or multiple ethnic groups' },
  { value: 'asian', text: 'Asian or Asian British' },
  { value: 'black', text: 'Black, African, Caribbean or Black British' },
  { value: 'other', text: 'Another ethnic group' },
];
/** Plain names of ethnic category codes for staff pages. */
export const ETHNIC_TEXT: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(ETHNIC_BACKGROUNDS).flatMap(([g, cs]) => cs.map((c) => [c.value, `${ETHNIC_GROUPS.find((x) => x.value === g)!.text}: ${c.text}`])),
  ),
  Z: 'Not stated',
  '99': 'Not known',
};
export const GENDER_TEXT: Record<string, string> = { '1': 'Male', '2': 'Female', '3': 'Non-binary', '4': 'Another way', X: 'Not known', Z: 'Not stated' };

const hasBackground = (a: Answers) => str(a, 'ethnicGroup') in ETHNIC_BACKGROUNDS;

function ethnicGroupStep(question: string, self: boolean): Step {
  const choices: Choice[] = [
    ...ETHNIC_GROUPS,
    ...(self ? [] : [{ value: '99', text: 'I do not know' }]),
    { value: 'Z', text: self ? 'I would rather not say' : 'Prefer not to say' },
  ];
  return {
    id: 'ethnic-group',
    key: 'Ethnic group',
    render: (a, err) =>
      radios({ id: 'ethnicGroup', legend: question, hint: 'This helps us check that our service is fair to everyone. You can skip this question.', pageHeading: true, choices, value: str(a, 'ethnicGroup'), error: err('ethnicGroup') }),
    read: (f, a) => {
      a.ethnicGroup = formStr(f, 'ethnicGroup');
    },
    validate: () => [],
    show: (a) => (str(a, 'ethnicGroup') ? choiceText(choices, str(a, 'ethnicGroup')) : 'Not answered'),
    paths: /^youngPerson\.ethnicCategory/,
  };
}

function ethnicBackgroundStep(question: string, self: boolean): Step {
  const choicesFor = (a: Answers): Choice[] => [
    ...(ETHNIC_BACKGROUNDS[str(a, 'ethnicGroup')] ?? []),
    { value: 'Z', text: self ? 'I would rather not say' : 'Prefer not to say' },
  ];
  return {
    id: 'ethnic-background',
    key: 'Ethnic background',
    applies: hasBackground,
    render: (a, err) => radios({ id: 'ethnicBackground', legend: question, pageHeading: true, choices: choicesFor(a), value: str(a, 'ethnicBackground'), error: err('ethnicBackground') }),
    read: (f, a) => {
      a.ethnicBackground = formStr(f, 'ethnicBackground');
    },
    // A background from another group (the group was changed) counts as not answered.
    validate: (a) => (choicesFor(a).some((c) => c.value === str(a, 'ethnicBackground')) ? [] : [{ id: 'ethnicBackground', message: 'Choose the background that fits best, or "prefer not to say"' }]),
    show: (a) => choiceText(choicesFor(a), str(a, 'ethnicBackground')),
  };
}

function ethnicCategory(a: Answers): string {
  const g = str(a, 'ethnicGroup');
  if (g === 'Z' || g === '99') return g;
  if (!hasBackground(a)) return '';
  const b = str(a, 'ethnicBackground');
  return b === 'Z' || (ETHNIC_BACKGROUNDS[g] ?? []).some((c) => c.value === b) ? b : '';
}

// Names of the directory's services, for the "already tried" question and check page.
const SERVICE_NAMES: Record<string, string> = {};

function triedStep(question: string, hint: string): Step {
  return {
    id: 'services-tried',
    key: 'Services already tried',
    render: async (a, err) => {
      const dir = await services().then((r) => r.services).catch(() => []);
      for (const d of dir) SERVICE_NAMES[d.id] = d.name;
      if (!dir.length) return html`<h1 tabindex="-1">${question}</h1><p>We could not load the list of services. You can continue, and tell us in your own words on a later page.</p>`;
      return checkboxes({
        id: 'triedServices',
        legend: question,
        hint,
        pageHeading: true,
        choices: [...dir.map((d) => ({ value: d.id, text: d.name })), { value: 'none', text: 'None of these, or I do not know', exclusive: true }],
        value: list(a, 'triedServices'),
        error: err('triedServices'),
      });
    },
    read: (f, a) => {
      a.triedServices = formList(f, 'triedServices');
    },
    validate: () => [],
    show: (a) => {
      const tried = list(a, 'triedServices').filter((x) => x !== 'none');
      return tried.length ? html`<ul class="nhsuk-list">${tried.map((t) => html`<li>${SERVICE_NAMES[t] ?? t}</li>`)}</ul>` : 'None';
    },
    paths: /^triedServices/,
  };
}

// ---- How to contact: the way, and whether a message is safe --------------------------------

/** The phone and email this journey collected for reaching the family. */
function contactFor(journey: Journey, a: Answers): { phone: string; email: string } {
  return journey === 'parent' ? { phone: str(a, 'referrerPhone'), email: str(a, 'referrerEmail') } : { phone: str(a, 'phone'), email: str(a, 'email') };
}

function methodStep(journey: Journey, question: string): Step {
  const choicesFor = (a: Answers): Choice[] => {
    const c = contactFor(journey, a);
    return [
      ...(c.phone ? [{ value: 'phone', text: 'Phone call' }, { value: 'text', text: 'Text message' }] : []),
      ...(c.email ? [{ value: 'email', text: 'Email' }] : []),
    ];
  };
  return {
    id: 'how-to-contact',
    key: 'Best way to contact',
    applies: (a) => choicesFor(a).length > 0,
    render: (a, err) => radios({ id: 'preferredMethod', legend: question, pageHeading: true, choices: choicesFor(a), value: str(a, 'preferredMethod'), error: err('preferredMethod') }),
    read: (f, a) => {
      a.preferredMethod = formStr(f, 'preferredMethod');
    },
    validate: (a) => (choicesFor(a).some((c) => c.value === str(a, 'preferredMethod')) ? [] : [{ id: 'preferredMethod', message: 'Choose how we should contact you' }]),
    show: (a) => choiceText(choicesFor(a), str(a, 'preferredMethod')),
    paths: /^youngPerson\.contact\.preferredMethod/,
  };
}

function messageStep(journey: Journey, question: string, hint: string, yes: string, no: string): Step {
  const choices: Choice[] = [
    { value: 'yes', text: yes },
    { value: 'no', text: no },
  ];
  return {
    id: 'leaving-a-message',
    key: 'Leaving a message',
    applies: (a) => {
      const c = contactFor(journey, a);
      return !!(c.phone || c.email);
    },
    render: (a, err) => radios({ id: 'safeToLeaveMessage', legend: question, hint, pageHeading: true, choices, value: str(a, 'safeToLeaveMessage'), error: err('safeToLeaveMessage') }),
    read: (f, a) => {
      a.safeToLeaveMessage = formStr(f, 'safeToLeaveMessage');
    },
    validate: (a) => (str(a, 'safeToLeaveMessage') ? [] : [{ id: 'safeToLeaveMessage', message: 'Choose yes or no' }]),
    show: (a) => choiceText(choices, str(a, 'safeToLeaveMessage')),
    paths: /^youngPerson\.contact\.safeToLeaveMessage/,
  };
}

function nhsCheck(n: string): boolean {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(n[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check !== 10 && check === Number(n[9]);
}

// ---- The three journeys -------------------------------------------------------------------

const GENDER_Q = { self: 'What is your gender? (optional)', parent: "What is your child's gender? (optional)", professional: "What is the young person's gender? (optional)" };
const ETHNIC_Q = { self: 'What is your ethnic group? (optional)', parent: "What is your child's ethnic group? (optional)", professional: "What is the young person's ethnic group? (optional)" };

const JOURNEYS: Record<Journey, { title: string; steps: Step[] }> = {
  'young-person': {
    title: 'Ask for help for yourself',
    steps: [
      nameStep('your-name', 'What is your name?', 'you'),
      dobStep('What is your date of birth?'),
      whereStep('where-you-live', 'Where you live', 'Where do you live?'),
      needsStep('What would you like help with?', SELF_NEED_CHOICES),
      risksStep('Is any of this happening to you now?', SELF_RISK_CHOICES),
      contextStep('about-you', 'Are any of these true for you?', CONTEXT_SELF, 'Choose all that are true. This helps us find the right help for you.'),
      radioStep('impact', 'How much it affects your everyday life', 'impact', 'How much is this getting in the way of your everyday life?', IMPACT_CHOICES, 'Choose how much this gets in the way', undefined, /^impact/),
      radioStep('how-long', 'How long', 'duration', 'How long has this been going on?', DURATION_CHOICES, 'Choose how long this has been going on', undefined, /^durationWeeks/),
      descriptionStep('Tell us what is happening, in your own words (optional)', 'Write as much or as little as you like.'),
      genderStep(GENDER_Q.self, true),
      ethnicGroupStep(ETHNIC_Q.self, true),
      ethnicBackgroundStep('Which of these best describes your background?', true),
      contactStep('contact', 'How can we contact you? (optional)', false, 'We will only use these to talk to you about your request.'),
      methodStep('young-person', 'How would you like us to contact you?'),
      messageStep(
        'young-person',
        'If we cannot reach you, can we leave a message?',
        'Some people share a phone or email with others at home. If a message might not be safe or private for you, choose no. That is fine, and we will keep trying to reach you.',
        'Yes, you can leave a message',
        'No, do not leave a message',
      ),
      radioStep('parent-or-carer', 'Contact your parent or carer', 'parentMayBeContacted', 'Can we contact your parent or carer about this?', YES_NO, 'Choose yes or no', 'If you say no, we will not contact them unless we are very worried about your safety.'),
    ],
  },
  parent: {
    title: 'Ask for help for your child',
    steps: [
      referrerStep(false),
      methodStep('parent', 'How would you like us to contact you?'),
      messageStep(
        'parent',
        'If we cannot reach you, can we leave a message?',
        'Choose no if someone else might hear or see the message and that would not be safe or private.',
        'Yes, you can leave a message',
        'No, do not leave a message',
      ),
      nameStep('child-name', "What is your child's name?", 'they'),
      dobStep("What is your child's date of birth?"),
      whereStep('where-they-live', 'Where your child lives', 'Where does your child live?'),
      needsStep('What would you like help with for your child?'),
      risksStep('Is any of this happening to your child now?', PARENT_RISK_CHOICES),
      contextStep('about-your-child', 'Are any of these true for your child?', CONTEXT_PARENT, 'Choose all that are true. This helps us find the right help.'),
      radioStep('impact', 'How much it affects everyday life', 'impact', "How much is this getting in the way of your child's everyday life?", IMPACT_CHOICES, 'Choose how much this gets in the way', undefined, /^impact/),
      radioStep('how-long', 'How long', 'duration', 'How long has this been going on?', DURATION_CHOICES, 'Choose how long this has been going on', undefined, /^durationWeeks/),
      triedStep('Has your child already had help from any of these services? (optional)', 'Choose any that did not help enough. This helps us not to send you back to the same place.'),
      descriptionStep('Tell us what is happening, in your own words (optional)', 'What have you noticed? What has helped so far?'),
      genderStep(GENDER_Q.parent, false),
      ethnicGroupStep(ETHNIC_Q.parent, false),
      ethnicBackgroundStep("Which of these best describes your child's background?", false),
      radioStep('consent', 'Your child agrees', 'youngPersonAgrees', 'Does your child know you are asking for help, and agree?', YES_NO, 'Choose yes or no', 'We will still read your request if they do not know yet.'),
    ],
  },
  professional: {
    title: 'Refer a young person',
    steps: [
      referrerStep(true),
      radioStep('where-you-work', 'Where you work', 'source', 'Where do you work?', SOURCE_CHOICES, 'Choose where you work', undefined, /^source/),
      nameStep('young-person-name', "What is the young person's name?", 'they'),
      dobStep("What is the young person's date of birth?"),
      nhsNumberStep(),
      whereStep('where-they-live', 'Where the young person lives', 'Where does the young person live?'),
      needsStep('What do they need help with?'),
      risksStep('Is any of this happening to the young person now?', PROFESSIONAL_RISK_CHOICES),
      contextStep('about-the-young-person', 'Does any of this apply to the young person?', CONTEXT_PROFESSIONAL, 'Choose all that apply.'),
      radioStep('impact', 'How much it affects everyday life', 'impact', 'How much is this getting in the way of their everyday life?', IMPACT_CHOICES, 'Choose how much this gets in the way', undefined, /^impact/),
      radioStep('how-long', 'How long', 'duration', 'How long has this been going on?', DURATION_CHOICES, 'Choose how long this has been going on', undefined, /^durationWeeks/),
      triedStep('Which services have already been tried without enough help? (optional)', 'Choose all that apply. The triage team will not offer the same service again without a reason.'),
      descriptionStep('Describe your concerns (optional)', 'What have you noticed, what has been tried, and any risks we should know about.'),
      genderStep(GENDER_Q.professional, false),
      ethnicGroupStep(ETHNIC_Q.professional, false),
      ethnicBackgroundStep("Which of these best describes the young person's background?", false),
      contactStep('family-contact', 'How can we contact the young person or their family? (optional)', false, 'We use these to arrange help. Leave them empty if you would rather we went through you.'),
      methodStep('professional', 'How would they like us to contact them?'),
      messageStep(
        'professional',
        'Is it safe to leave a message for the young person or their family?',
        'For example, on voicemail or by text. Choose no if a message could put the young person at risk or break their privacy.',
        'Yes, it is safe to leave a message',
        'No, do not leave a message',
      ),
      radioStep('consent', 'Young person agrees', 'youngPersonAgrees', 'Does the young person know about this referral, and agree to it?', YES_NO, 'Choose yes or no'),
      radioStep('parent-or-carer', 'Parent or carer', 'parentMayBeContacted', 'Can we contact their parent or carer?', YES_NO, 'Choose yes or no'),
    ],
  },
};

const answers: Record<Journey, Answers> = { 'young-person': {}, parent: {}, professional: {} };
let lastAck: { ack: Acknowledgement; journey: Journey } | null = null;

export function signalsDanger(a: Answers): boolean {
  if (list(a, 'risks').some((r) => signals.risks.includes(r))) return true;
  if (list(a, 'needs').some((n) => signals.needs.includes(n))) return true;
  if (list(a, 'context').some((c) => signals.context.includes(c))) return true;
  return hasCrisisWords(str(a, 'description'));
}

function crisisRegion(show: boolean): Raw {
  // A live region that is always in the page, so screen readers announce crisis help when it appears.
  return html`<div id="crisis-region" aria-live="assertive">${show ? crisisCard(undefined, 'You can get help right now', 2) : ''}</div>`;
}

// ---- Pages --------------------------------------------------------------------------------

export function askStartPage(ctx: PageContext): void {
  ctx.main.innerHTML = html`<h1>Ask for help</h1>
<p class="nhsuk-lede-text">Tell us what is going on. A member of our team will read it and work out the best help with you.</p>
<p>It takes about 5 minutes. We ask one question on each page. You can check your answers before you send them.</p>
<h2>Who are you?</h2>
<ul class="nhsuk-list">
  <li><a class="nhsuk-action-link__link" href="/ask/young-person/your-name">I am a young person asking for help for myself</a></li>
  <li><a class="nhsuk-action-link__link" href="/ask/parent/your-details">I am a parent or carer asking for help for my child</a></li>
  <li><a class="nhsuk-action-link__link" href="/ask/professional/your-details">I am a professional referring a young person</a></li>
</ul>
<div class="nhsuk-inset-text">
  <span class="nhsuk-u-visually-hidden">Information: </span>
  <p>If you are worried about your safety right now, do not fill in this form. <a href="/get-help-now">Get help now</a>.</p>
</div>`.s;
}

export async function askStepPage(ctx: PageContext): Promise<void> {
  const journey = ctx.params.journey as Journey;
  const j = JOURNEYS[journey];
  const index = j.steps.findIndex((s) => s.id === ctx.params.step);
  if (index < 0) {
    ctx.main.innerHTML = html`<h1>Page not found</h1><p><a href="/ask">Start again</a></p>`.s;
    return;
  }
  const step = j.steps[index];
  const a = answers[journey];
  const changing = ctx.query.get('change') === '1';
  if (!applies(step, a)) {
    // A follow-up reached by its address when it does not apply: go on to the next question.
    const next = j.steps.slice(index + 1).find((s) => applies(s, a));
    navigate(next && !changing ? `/ask/${journey}/${next.id}` : `/ask/${journey}/check`, { replace: true });
    return;
  }
  // Follow-up questions that do not apply (no phone number, no ethnic group) are skipped.
  const asked = j.steps.filter((s) => applies(s, a));
  const at = asked.indexOf(step);
  const previous = asked[at - 1];
  const back = changing ? `/ask/${journey}/check` : previous ? `/ask/${journey}/${previous.id}` : '/ask';

  if (step.watchesDanger) await loadSignals();
  const draw = async (errors: ErrorItem[]) => {
    const err = (id: string) => errors.find((e) => e.id === id)?.message;
    const body = await step.render(a, err);
    ctx.main.innerHTML = html`${backLink(back)}
<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">
${errorSummary(errors)}
<span class="nhsuk-caption-m">${j.title}: question ${at + 1} of ${asked.length}</span>
${step.watchesDanger ? crisisRegion(signalsDanger(a)) : ''}
<form id="step-form" novalidate>
  ${body}
  ${button('Continue')}
</form>
</div></div>`.s;
    const form = $('#step-form') as HTMLFormElement;
    wireExclusiveCheckboxes(form);
    if (step.watchesDanger) {
      const update = () => {
        const trial: Answers = { ...a };
        step.read(form, trial);
        const region = $('#crisis-region')!;
        const danger = signalsDanger(trial);
        const showing = !!region.firstElementChild;
        if (danger !== showing) region.innerHTML = danger ? crisisCard(undefined, 'You can get help right now', 2).s : '';
      };
      form.addEventListener('change', update);
      form.addEventListener('input', update);
    }
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      step.read(form, a);
      const errs = step.validate(a);
      if (errs.length) {
        void draw(errs).then(() => afterRender(true));
        return;
      }
      // After a change, a follow-up that now applies and has no answer is asked next (a new
      // ethnic group needs its background); otherwise back to the check page.
      const later = j.steps.slice(index + 1).filter((s) => applies(s, a));
      const next = changing ? later.find((s) => s.applies && s.validate(a).length) : later[0];
      navigate(next ? `/ask/${journey}/${next.id}${changing ? '?change=1' : ''}` : `/ask/${journey}/check`);
    });
  };
  await draw([]);
}

function wireExclusiveCheckboxes(form: HTMLFormElement): void {
  form.addEventListener('change', (ev) => {
    const t = ev.target as HTMLInputElement;
    if (t.type !== 'checkbox' || !t.checked) return;
    const boxes = $all<HTMLInputElement>(`input[type=checkbox][name="${t.name}"]`, form);
    if (t.dataset.exclusive) boxes.forEach((b) => b !== t && (b.checked = false));
    else boxes.forEach((b) => b.dataset.exclusive && (b.checked = false));
  });
}

function buildSubmission(journey: Journey, a: Answers): ReferralSubmission {
  const type = journey === 'young-person' ? 'self' : journey;
  const referrer: ReferralSubmission['referrer'] = { type };
  if (journey !== 'young-person') {
    referrer.name = str(a, 'referrerName');
    if (str(a, 'referrerPhone')) referrer.phone = str(a, 'referrerPhone');
    if (str(a, 'referrerEmail')) referrer.email = str(a, 'referrerEmail');
  }
  if (journey === 'professional') {
    referrer.role = str(a, 'referrerRole');
    referrer.organisation = str(a, 'referrerOrganisation');
  }
  const yp: ReferralSubmission['youngPerson'] = {
    givenName: str(a, 'givenName'),
    familyName: str(a, 'familyName'),
    dateOfBirth: isoDob(a),
  };
  if (str(a, 'postcode')) yp.postcode = str(a, 'postcode');
  if (str(a, 'nhsNumber')) yp.nhsNumber = str(a, 'nhsNumber').replace(/[\s-]/g, '');
  const steps = JOURNEYS[journey].steps;
  const answered = (id: string) => steps.some((s) => s.id === id && applies(s, a));
  const contact: NonNullable<ReferralSubmission['youngPerson']['contact']> = {};
  // The young person's own phone and email (a parent's are the referrer's).
  if (journey !== 'parent' && str(a, 'phone')) contact.phone = str(a, 'phone');
  if (journey !== 'parent' && str(a, 'email')) contact.email = str(a, 'email');
  if (answered('how-to-contact') && str(a, 'preferredMethod')) contact.preferredMethod = str(a, 'preferredMethod');
  if (answered('leaving-a-message') && str(a, 'safeToLeaveMessage')) contact.safeToLeaveMessage = str(a, 'safeToLeaveMessage') === 'yes';
  if (Object.keys(contact).length) yp.contact = contact;
  if (str(a, 'gender')) yp.gender = str(a, 'gender');
  if (ethnicCategory(a)) yp.ethnicCategory = ethnicCategory(a);
  const body: ReferralSubmission = {
    referrer,
    youngPerson: yp,
    source: journey === 'young-person' ? 'B1' : journey === 'parent' ? 'B2' : str(a, 'source'),
    needs: list(a, 'needs'),
    risks: list(a, 'risks').filter((r) => r !== 'none'),
    context: list(a, 'context').filter((c) => c !== 'none'),
    impact: str(a, 'impact'),
    consent: {
      youngPersonAgrees: journey === 'young-person' ? true : str(a, 'youngPersonAgrees') === 'yes',
      parentMayBeContacted: journey === 'parent' ? true : str(a, 'parentMayBeContacted') === 'yes',
    },
  };
  if (str(a, 'duration')) body.durationWeeks = Number(str(a, 'duration'));
  if (str(a, 'description')) body.description = str(a, 'description');
  if (!str(a, 'postcode') && str(a, 'locality')) body.locality = str(a, 'locality');
  const tried = list(a, 'triedServices').filter((t) => t !== 'none');
  if (journey !== 'young-person' && tried.length) body.triedServices = tried;
  return body;
}

// Maps a server field path to the page that asks it.
function stepForPath(journey: Journey, path: string): string {
  const steps = JOURNEYS[journey].steps;
  return steps.find((s) => s.paths?.test(path))?.id ?? steps[0].id;
}

export async function askCheckPage(ctx: PageContext): Promise<void> {
  const journey = ctx.params.journey as Journey;
  const j = JOURNEYS[journey];
  const a = answers[journey];
  await loadSignals();
  for (const l of (await area().catch(() => null))?.localities ?? []) LOCALITY_NAMES[l.code] = l.name;
  const asked = () => j.steps.filter((s) => applies(s, a));
  const missing = asked().find((s) => s.validate(a).length > 0);
  if (missing && Object.keys(a).length === 0) {
    ctx.main.innerHTML = html`<h1>Your answers are not here any more</h1>
<p>For your privacy, we do not keep answers once you leave or reload the page.</p>
<p><a href="/ask">Start again</a></p>`.s;
    return;
  }

  const draw = (errors: ErrorItem[], sending = false) => {
    const shown = asked();
    ctx.main.innerHTML = html`${backLink(`/ask/${journey}/${shown[shown.length - 1].id}`)}
<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">
${errorSummary(errors)}
<h1 tabindex="-1">Check your answers before sending your request</h1>
${signalsDanger(a) ? crisisCard(undefined, 'You can get help right now', 2) : ''}
${summaryList(
  shown.map((s) => ({
    key: s.key,
    value: s.validate(a).length ? html`<span class="nhsuk-error-message">Not answered yet</span>` : s.show(a),
    href: `/ask/${journey}/${s.id}?change=1`,
  })),
)}
<h2>Now send your request</h2>
<p>When you send this request, you are telling us that what you have said is true, as far as you know.</p>
<form id="send-form" novalidate>
  ${button(sending ? 'Sending…' : 'Send request')}
</form>
</div></div>`.s;
    $('#send-form')!.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void send();
    });
  };

  const send = async () => {
    const local: ErrorItem[] = [];
    for (const s of asked()) {
      for (const e of s.validate(a)) local.push({ id: e.id, message: e.message, href: `/ask/${journey}/${s.id}?change=1` });
    }
    if (local.length) {
      draw(local);
      afterRender(true);
      return;
    }
    const btn = $('#send-form button') as HTMLButtonElement;
    btn.disabled = true;
    try {
      const ack = await submitReferral(buildSubmission(journey, a));
      lastAck = { ack, journey };
      answers[journey] = {};
      navigate('/ask/confirmation', { replace: true });
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Please try again.');
      const items: ErrorItem[] = err.fields.length
        ? err.fields.map((f) => ({ id: f.path, message: friendly(f.path, f.message), href: `/ask/${journey}/${stepForPath(journey, f.path)}?change=1` }))
        : [{ id: 'send-form', message: err.message }];
      draw(items);
      if (err.crisisHelp) $('#error-summary')!.insertAdjacentHTML('afterend', crisisCard(err.crisisHelp, 'You can get help right now', 2).s);
      afterRender(true);
    }
  };
  draw([]);
}

function friendly(path: string, message: string): string {
  const names: Record<string, string> = {
    'youngPerson.dateOfBirth': 'Date of birth',
    'youngPerson.postcode': 'Postcode',
    'youngPerson.nhsNumber': 'NHS number',
    'referrer.phone': 'Phone number',
    'referrer.email': 'Email address',
    'youngPerson.contact.phone': 'Phone number',
    'youngPerson.contact.email': 'Email address',
    'youngPerson.contact.preferredMethod': 'How to contact',
    'youngPerson.contact.safeToLeaveMessage': 'Leaving a message',
    'youngPerson.gender': 'Gender',
    'youngPerson.ethnicCategory': 'Ethnic group',
    context: 'What is also true',
    triedServices: 'Services already tried',
  };
  return `${names[path] ?? path}: ${message}`;
}

export function askConfirmationPage(ctx: PageContext): void {
  if (!lastAck) {
    ctx.main.innerHTML = html`<h1>Track your request</h1>
<p>For your privacy, this page is only shown once, straight after you send a request.</p>
<p>If you wrote down your reference and link, you can <a href="/track">track your request</a>.</p>`.s;
    return;
  }
  const { ack, journey } = lastAck;
  const link = location.origin + ack.trackUrl;
  const who = journey === 'young-person' ? 'you' : journey === 'parent' ? 'you and your child' : 'the young person';
  ctx.main.innerHTML = html`<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">
<div class="nhsuk-panel">
  <h1 class="nhsuk-panel__title" tabindex="-1">Request sent</h1>
  <div class="nhsuk-panel__body">Your reference is<br><strong class="wm-reference" id="reference">${ack.reference}</strong></div>
</div>
${ack.crisisHelp ? crisisCard(ack.crisisHelp, 'Do not wait for us if you are in danger', 2) : ''}
<h2>Write this down</h2>
<p>Write down your reference and this private link, or save them somewhere safe. You need both to see what is happening with the request. Do not share the link with anyone you would not want to see it.</p>
<p class="wm-token"><a id="track-link" href="${ack.trackUrl}">${link}</a></p>
<p>If you lose the link, your reference on its own is not enough. Contact us and we will help.</p>
<h2>What happens next</h2>
<ul>
  <li>A member of our team will read the request ${ack.crisisHelp ? 'very soon' : 'within a few working days'}.</li>
  <li>We will contact ${who} to talk about the best help.</li>
  <li>You can check progress at any time with the link above.</li>
</ul>
<p><a href="/information/while-you-wait">Looking after yourself while you wait</a></p>
</div></div>`.s;
}
