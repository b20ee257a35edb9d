// The one API client. Types follow docs/api/openapi.yaml (served at /api/v1/openapi.yaml).
// Staff calls carry the HttpOnly session cookie (same origin); the server's CSRF defence is
// the SameSite=Strict cookie plus a same-origin Origin header, which the browser sends.

export interface FieldProblem {
  path: string;
  message: string;
}

export interface CrisisContact {
  name: string;
  how: string;
  when: string;
}

export interface CrisisHelp {
  message: string;
  contacts: CrisisContact[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly crisisHelp?: CrisisHelp,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  return callText<T>(method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json', headers);
}

/** A request whose body is already text of `contentType` (JSON, or a DMN file's XML). */
async function callText<T>(
  method: string,
  path: string,
  body: string | undefined,
  contentType: string,
  headers: Record<string, string> = {},
): Promise<T> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = contentType;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: h,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'We could not reach the service. Check your connection and try again.');
  }
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const e = json?.error ?? {};
    throw new ApiError(res.status, e.message ?? `Something went wrong (${res.status}).`, e.fields ?? [], json?.crisisHelp, json);
  }
  return json as T;
}

// ---- Public -------------------------------------------------------------------------------

export type ReferrerType = 'self' | 'parent' | 'professional';

export interface ReferralSubmission {
  referrer: { type: ReferrerType; name?: string; role?: string; organisation?: string; email?: string; phone?: string };
  youngPerson: {
    givenName: string;
    familyName: string;
    dateOfBirth: string;
    nhsNumber?: string;
    postcode?: string;
    /** MHSDS gender identity code: 1, 2, 3, 4, X (not known), Z (not stated). */
    gender?: string;
    /** NHS ethnic category code: A to S, Z (not stated), 99 (not known). */
    ethnicCategory?: string;
    contact?: { phone?: string; email?: string; preferredMethod?: 'phone' | 'text' | 'email' | 'letter' | string; safeToLeaveMessage?: boolean };
  };
  source: string;
  needs: string[];
  risks: string[];
  context: string[];
  impact: string;
  durationWeeks?: number;
  description?: string;
  locality?: string;
  /** Service ids already tried without enough help. */
  triedServices?: string[];
  consent: { youngPersonAgrees: boolean; parentMayBeContacted: boolean };
}

export interface Acknowledgement {
  reference: string;
  statusToken: string;
  statusUrl: string;
  trackUrl: string;
  crisisHelp?: CrisisHelp;
}

export interface FamilyStatus {
  reference: string;
  receivedOn: string;
  stage: string;
  headline: string;
  position?: number;
  expectedWaitWeeks?: number;
  nextAppointment?: string;
  whatIsHappening?: string;
  whatHappensNext?: string;
  ifThingsGetWorse?: CrisisHelp;
}

export interface Service {
  id: string;
  name: string;
  /** For staff: may use clinical terms. */
  description: string;
  /** For the public pages: plain words (falls back to description on older servers). */
  publicDescription?: string;
  offers?: string[];
  eligibility?: {
    minAge?: number;
    maxAge?: number;
    localities?: string[];
    needsTaken?: string[];
    needsExcluded?: string[];
    contextsRequired?: string[];
    contextsAnyOf?: string[];
    note?: string;
  };
  whoMayRefer?: string[];
  referralSources?: string[];
  hours?: string;
  thriveGroups?: string[];
  contact?: { example?: boolean; text?: string };
  accessStandard?: { target?: { text?: string } };
}

export interface Area {
  id: string;
  name: string;
  localities: { code: string; name: string }[];
}

export const submitReferral = (body: ReferralSubmission) => call<Acknowledgement>('POST', '/api/v1/referrals', body);

export const familyStatus = (reference: string, token: string) =>
  call<FamilyStatus>('GET', `/api/v1/referrals/${encodeURIComponent(reference)}/status`, undefined, {
    'X-Status-Token': token,
  });

export function services(q: { need?: string; age?: number; locality?: string; postcode?: string } = {}) {
  const p = new URLSearchParams();
  if (q.need) p.set('need', q.need);
  if (q.age !== undefined) p.set('age', String(q.age));
  if (q.locality) p.set('locality', q.locality);
  if (q.postcode) p.set('postcode', q.postcode); // a district only, e.g. LE1
  const qs = p.toString();
  return call<{ services: Service[] }>('GET', '/api/v1/services' + (qs ? '?' + qs : ''));
}

export const service = (id: string) => call<Service>('GET', `/api/v1/services/${encodeURIComponent(id)}`);

/** What shows crisis help: the server's own lists (src/domain/crisis.cc), so the form and
 * the server agree on every answer. */
export interface CrisisSignals {
  risks: string[];
  context: string[];
  needs: string[];
  /** Lower case; each matches where a word starts. */
  words: string[];
}
let signalsCache: Promise<CrisisSignals> | null = null;
export function crisisSignals(): Promise<CrisisSignals> {
  signalsCache ??= call<CrisisSignals>('GET', '/api/v1/crisis-signals').catch((e) => {
    signalsCache = null;
    throw e;
  });
  return signalsCache;
}

let areaCache: Promise<Area> | null = null;
export function area(): Promise<Area> {
  areaCache ??= call<Area>('GET', '/api/v1/area').catch((e) => {
    areaCache = null;
    throw e;
  });
  return areaCache;
}

// ---- Staff --------------------------------------------------------------------------------

export interface Me {
  username: string;
  displayName: string;
  roles: string[];
  secondFactorSetupNeeded?: boolean;
}

export interface QueueItem {
  reference: string;
  status: string;
  priority: string | null;
  thriveGroup: string;
  receivedAt: string;
  crisis: boolean;
  declined: boolean;
  ageOnReceipt: number;
  locality: string;
  source: string;
  version: number;
  minutesLeft?: number;
  breached?: boolean;
  recommended?: string;
}

export interface Alert {
  id: string;
  reference: string;
  code: string;
  message: string;
  raisedAt: string;
}

export interface Decision {
  priority: string;
  thriveGroup: string;
  services: { id: string; reason: string }[];
  alerts: { code: string; message: string }[];
  outOfArea: boolean;
  rulesFired: { decision: string; rule: string }[];
  modelVersion: string;
}

export interface Contact {
  id: string;
  bookedFor: string;
  mechanism: string;
  attendStatus: string;
}

export interface Navigation {
  priority: string | null;
  thriveGroup: string;
  decision: Decision | null;
  modelVersion: string;
  serviceId: string;
  triageDueAt: string | null;
  clockStartAt: string | null;
  breachDueAt: string | null;
  clockStopAt: string | null;
  needsReview: boolean;
  outcome: string;
  contacts: Contact[];
  possibleActions: string[];
}

export interface InformantView {
  version?: number;
  relationship?: string;
  concerns?: string;
  strengths?: string;
  needs?: string[];
  risks?: string[];
  impact?: string;
  at?: string;
}

export interface StaffReferral {
  reference: string;
  status: string;
  owner: string;
  version: number;
  receivedAt: string;
  crisis: boolean;
  ageOnReceipt: number;
  locality: string;
  submission: ReferralSubmission;
  informants: { id?: string; role?: string; views?: InformantView[] }[];
  events: { kind: string; at: string; actor: string; reason: string; data: Record<string, unknown> }[];
  navigation?: Navigation;
}

export interface ListEntry {
  reference: string;
  status?: string;
  version: number;
  priority?: string | null;
  receivedAt?: string;
  position?: number;
  breachDueAt?: string | null;
  minutesToBreach?: number;
  nearBreach?: boolean;
  breached?: boolean;
  ageOnReceipt?: number;
  locality?: string;
  [k: string]: unknown;
}

export interface ServiceLists {
  service: { id: string; name: string };
  /** The service's open alerts (near breach), newest first. */
  alerts: Alert[];
  inbox: ListEntry[];
  waitingList: ListEntry[];
  reviewList: ListEntry[];
  /** In care, the oldest young people first; `transition` when a move is due soon. */
  caseload: ListEntry[];
}

/** A list shows the month of a transition, never the birthday. */
export interface ListTransition {
  code: string;
  month: string;
  message: string;
}

export function signIn(username: string, password: string, code?: string, newPassword?: string) {
  const body: Record<string, string> = { username, password };
  if (code) body.code = code;
  if (newPassword) body.newPassword = newPassword;
  return call<Me>('POST', '/api/v1/auth/sign-in', body);
}
/** Starts setting up the authenticator app: a new secret, not in force until confirmed. */
export const startTotp = () => call<{ secret: string; otpauthUri: string }>('POST', '/api/v1/auth/totp', {});
/** Confirms the app with a code it shows; the recovery codes come back once. */
export const confirmTotp = (code: string) =>
  call<{ enabled: boolean; recoveryCodes: string[] }>('POST', '/api/v1/auth/totp/confirm', { code });
export const signOut = () => call<unknown>('POST', '/api/v1/auth/sign-out', {});
export const me = () => call<Me>('GET', '/api/v1/auth/me');

// ---- Accounts (administrators; the clinical lead approves clinical access) ---------------

export interface Account {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  services: string[];
  disabled: boolean;
  secondFactor: boolean;
  locked: boolean;
  pendingApproval: boolean;
  requestedBy: string;
  approvedBy: string;
  oneTimePasswordSet: boolean;
}

export interface NewAccount {
  username: string;
  displayName: string;
  roles: string[];
  services: string[];
}

export interface RequestedAccount {
  id: string;
  username: string;
  roles: string[];
  pendingApproval: boolean;
  oneTimePasswordExpiresAt: string;
  /** Shown once, for the administrator to pass on. */
  oneTimePassword?: string;
}

export const accounts = () => call<{ accounts: Account[] }>('GET', '/api/v1/accounts');
export const requestAccount = (a: NewAccount) => call<RequestedAccount>('POST', '/api/v1/accounts', a);
export const changeAccountRoles = (id: string, roles: string[], services: string[]) =>
  call<{ id: string; roles: string[]; services: string[]; pendingApproval: boolean }>('POST', `/api/v1/accounts/${encodeURIComponent(id)}/roles`, {
    roles,
    services,
  });
export const approveAccount = (id: string) => call<unknown>('POST', `/api/v1/accounts/${encodeURIComponent(id)}/approve`, {});
export const disableAccount = (id: string) => call<unknown>('POST', `/api/v1/accounts/${encodeURIComponent(id)}/disable`, {});

export function queue(filters: Record<string, string> = {}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
  const qs = p.toString();
  return call<{ referrals: QueueItem[]; alerts: Alert[] }>('GET', '/api/v1/queue' + (qs ? '?' + qs : ''));
}

export const referral = (reference: string) =>
  call<StaffReferral>('GET', `/api/v1/referrals/${encodeURIComponent(reference)}`);

export const act = (reference: string, action: string, body: Record<string, unknown>) =>
  call<{ reference: string; status: string; owner: string; version: number; navigation?: Navigation }>(
    'POST',
    `/api/v1/referrals/${encodeURIComponent(reference)}/actions/${encodeURIComponent(action)}`,
    body,
  );

export const acknowledgeAlert = (id: string) =>
  call<Alert & { acknowledgedBy: string; acknowledgedAt: string }>('POST', `/api/v1/alerts/${encodeURIComponent(id)}/acknowledge`, {});
export const serviceLists = (id: string) => call<ServiceLists>('GET', `/api/v1/services/${encodeURIComponent(id)}/lists`);

// ---- Clinical lead: the decision model ------------------------------------------------------

export interface ConfigVersion {
  version: string;
  state: 'draft' | 'published' | 'retired';
  live: boolean;
  origin: 'file' | 'upload' | 'edit';
  summary: string;
  createdBy: string;
  createdAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
  created?: boolean;
}

export interface CaseReport {
  modelVersion: string;
  directoryVersion: string;
  passed: number;
  failed: number;
  failures: { file: string; name: string; failures: string[] }[];
}

export const modelVersions = () => call<{ live: string; versions: ConfigVersion[] }>('GET', '/api/v1/model/versions');

/** Uploads one DMN file as a draft (the server checks it strictly). */
export const uploadModel = (file: string, text: string, note: string) =>
  callText<ConfigVersion>(
    'POST',
    `/api/v1/model/versions?file=${encodeURIComponent(file)}&note=${encodeURIComponent(note)}`,
    text,
    'application/xml',
  );

export const testModel = (version: string) =>
  call<CaseReport>('POST', `/api/v1/model/versions/${encodeURIComponent(version)}/test`, {});

export const publishModel = (version: string, rollback: boolean, reason: string) =>
  call<{ version: string; previous: string; cases: { passed: number; failed: number } }>(
    'POST',
    `/api/v1/model/versions/${encodeURIComponent(version)}/${rollback ? 'rollback' : 'publish'}`,
    { reason },
  );

// ---- Commissioner reports -----------------------------------------------------------------

/** One table of docs/metrics.md after disclosure control: figures are numbers or "*". */
export interface ReportTable {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** Rows that are totals of the rows above them: tables show them, charts leave them out. */
  totalRows?: number[];
  disclosureControl: string;
}

export interface Dashboard {
  from: string; // "2026-01": referrals received from this month ...
  to: string; // ... to this one, both included
  generatedAt: string;
  tables: ReportTable[];
}

function periodQuery(from?: string, to?: string): string {
  const p = new URLSearchParams();
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  const qs = p.toString();
  return qs ? '?' + qs : '';
}

export const dashboard = (from?: string, to?: string) =>
  call<Dashboard>('GET', '/api/v1/reports/dashboard' + periodQuery(from, to));

/** Where one table downloads as CSV (same period, same disclosure control). */
export const reportCsvHref = (id: string, from: string, to: string) =>
  `/api/v1/reports/${encodeURIComponent(id)}.csv${periodQuery(from, to)}`;
