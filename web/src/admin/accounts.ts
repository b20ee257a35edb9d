// Staff accounts: an administrator asks for accounts, changes roles and disables them; a
// clinical lead approves any account that would read clinical records (the two-person rule:
// never one they asked for themselves). No clinical data on these pages. The server decides
// every permission (security/permissions.cc); these pages only hide what a role cannot do.
import type { PageContext } from '../main';
import { navigate } from '../main';
import {
  ApiError,
  accounts,
  approveAccount,
  changeAccountRoles,
  disableAccount,
  requestAccount,
  services,
  type Account,
  type RequestedAccount,
  type Service,
} from '../api';
import { backLink, button, checkboxes, errorSummary, summaryList, tag, textInput, type Choice, type ErrorItem } from '../components';
import { $, $all, formatDateTime, html, type Raw } from '../dom';
import { CLINICAL_ROLES } from '../clinician/signin';

const ROLES: Choice[] = [
  { value: 'triage-clinician', text: 'Triage clinician', hint: 'Triages every new request: reads referrals and decides where they go.' },
  { value: 'service-clinician', text: 'Service clinician', hint: 'Works with the referrals routed to the services ticked below.' },
  { value: 'service-manager', text: 'Service manager', hint: 'Runs the lists of the services ticked below.' },
  { value: 'clinical-lead', text: 'Clinical lead', hint: 'Manages the decision model and directory, and approves accounts.' },
  { value: 'safeguarding-lead', text: 'Safeguarding lead', hint: 'Reviews safeguarding overrides.' },
  { value: 'commissioner', text: 'Commissioner', hint: 'Reads reports only: never a record about a person.' },
  { value: 'national-analyst', text: 'National analyst', hint: 'Reads England-level figures without rounding: never a record about a person.' },
  { value: 'admin', text: 'Administrator', hint: 'Manages accounts only: never a record about a person.' },
];

function roleName(role: string): string {
  return ROLES.find((r) => r.value === role)?.text ?? role;
}

function rolesText(roles: string[]): string {
  return roles.map(roleName).join(', ');
}

function servicesText(ids: string[], all: Service[]): string {
  if (ids.includes('*')) return 'All services';
  if (!ids.length) return 'None';
  return ids.map((id) => all.find((s) => s.id === id)?.name ?? id).join(', ');
}

function status(a: Account): Raw {
  if (a.disabled) return tag('Disabled', 'grey');
  if (a.pendingApproval) return tag('Waiting for approval', 'yellow');
  if (a.locked) return tag('Locked for now', 'orange');
  if (a.oneTimePasswordSet) return tag('Not signed in yet', 'blue');
  if (!a.secondFactor) return tag('No second factor', 'orange');
  return tag('Active', 'green');
}

function nameOf(id: string, list: Account[]): string {
  if (!id) return 'Not recorded';
  const a = list.find((x) => x.id === id);
  return a ? `${a.displayName} (${a.username})` : 'The command line';
}

function forbidden(ctx: PageContext, title: string, e: unknown): void {
  ctx.main.innerHTML = html`<h1>${title}</h1>
<p>${
    e instanceof ApiError && e.status === 403
      ? 'Only an administrator or a clinical lead can see staff accounts.'
      : e instanceof Error
        ? e.message
        : 'Could not load the accounts.'
  }</p>`.s;
}

function notice(text: string): Raw {
  return text
    ? html`<div class="nhsuk-inset-text" id="action-done" role="status" tabindex="-1"><span class="nhsuk-u-visually-hidden">Information: </span><p>${text}</p></div>`
    : html``;
}

/** Reads the ticked roles and services of a form drawn with roleFields. */
function readRoles(form: HTMLElement): { roles: string[]; services: string[] } {
  const ticked = (name: string) => $all<HTMLInputElement>(`input[name="${name}"]:checked`, form).map((i) => i.value);
  const roles = ticked('roles');
  let svc = ticked('services');
  if (svc.includes('*')) svc = ['*'];
  return { roles, services: svc };
}

function roleFields(all: Service[], value: { roles: string[]; services: string[] }, err: (id: string) => string | undefined): Raw {
  return html`${checkboxes({
    id: 'roles',
    legend: 'Roles',
    hint: 'Choose every role this person needs. A role that reads records about young people waits for a clinical lead to approve it.',
    choices: ROLES,
    value: value.roles,
    error: err('roles'),
  })}
${checkboxes({
  id: 'services',
  legend: 'Services (for service clinicians and managers)',
  hint: 'They see only referrals routed to the services ticked here.',
  choices: [...all.map((s) => ({ value: s.id, text: s.name })), { value: '*', text: 'All services', exclusive: true }],
  value: value.services,
  error: err('services'),
  small: true,
})}`;
}

/** Field errors from the server, keyed by the page's field ids. */
function fieldErrors(e: unknown, fallbackId: string): ErrorItem[] {
  if (e instanceof ApiError && e.fields.length) {
    return e.fields.map((f) => {
      const id = ['username', 'displayName', 'roles', 'services'].includes(f.path) ? f.path : fallbackId;
      const label = { username: 'Username', displayName: 'Full name', roles: 'Roles', services: 'Services' }[f.path] ?? '';
      return { id, message: label ? `${label} ${f.message}` : f.message };
    });
  }
  return [{ id: fallbackId, message: e instanceof Error ? e.message : 'Something went wrong. Try again.' }];
}

/** Every account and every service, or null after showing why they cannot be read. */
async function accountsAndServices(ctx: PageContext, title: string): Promise<[Account[], Service[]] | null> {
  try {
    return await Promise.all([accounts().then((r) => r.accounts), services().then((r) => r.services)]);
  } catch (e) {
    forbidden(ctx, title, e);
    return null;
  }
}

// ---- The list ------------------------------------------------------------------------------

export async function accountsPage(ctx: PageContext): Promise<void> {
  const roles = ctx.user?.roles ?? [];
  const isAdmin = roles.includes('admin');
  const isLead = roles.includes('clinical-lead');
  const loaded = await accountsAndServices(ctx, 'Staff accounts');
  if (!loaded) return;
  const [list, all] = loaded;
  const waiting = list.filter((a) => a.pendingApproval && !a.disabled);
  const sorted = [...list].sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.displayName.localeCompare(b.displayName));
  ctx.main.innerHTML = html`<h1>Staff accounts</h1>
<p>${
    isAdmin
      ? 'Ask for an account for each member of staff. They choose their own password and set up an authenticator app the first time they sign in.'
      : 'Accounts that would read records about young people wait for a clinical lead to approve them.'
  }</p>
${isAdmin ? html`<p><a class="nhsuk-button" href="/staff/accounts/new" role="button" draggable="false">Ask for an account</a></p>` : ''}
<h2>Waiting for approval</h2>
${
  waiting.length
    ? html`<ul class="nhsuk-list nhsuk-list--bullet" id="waiting-list">${waiting.map(
        (a) => html`<li><a href="/staff/accounts/${a.id}">${a.displayName}</a>: ${rolesText(a.roles)}. Asked for by ${nameOf(a.requestedBy, list)}.</li>`,
      )}</ul>
${isLead ? html`<p>Open an account to approve it. You cannot approve an account you asked for yourself.</p>` : ''}`
    : html`<p id="waiting-list">No accounts are waiting for approval.</p>`
}
<h2>All accounts</h2>
<div class="wm-table-scroll"><table class="nhsuk-table" id="accounts-table">
  <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Staff accounts, by name</caption>
  <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
    <th scope="col" class="nhsuk-table__header">Name</th>
    <th scope="col" class="nhsuk-table__header">Roles</th>
    <th scope="col" class="nhsuk-table__header">Status</th>
  </tr></thead>
  <tbody class="nhsuk-table__body">
  ${sorted.map(
    (a) => html`<tr class="nhsuk-table__row" data-username="${a.username}">
    <td class="nhsuk-table__cell"><a href="/staff/accounts/${a.id}">${a.displayName}</a><br><span class="nhsuk-body-s wm-token">${a.username}</span></td>
    <td class="nhsuk-table__cell">${rolesText(a.roles)}${
      a.roles.some((r) => r === 'service-clinician' || r === 'service-manager')
        ? html`<br><span class="nhsuk-body-s">${servicesText(a.services, all)}</span>`
        : ''
    }</td>
    <td class="nhsuk-table__cell">${status(a)}</td>
  </tr>`,
  )}
  </tbody>
</table></div>`.s;
}

// ---- Ask for an account ---------------------------------------------------------------------

export async function newAccountPage(ctx: PageContext): Promise<void> {
  if (!ctx.user?.roles.includes('admin')) {
    ctx.main.innerHTML = html`${backLink('/staff/accounts', 'Staff accounts')}<h1>Ask for an account</h1>
<p>Only an administrator can ask for staff accounts.</p>`.s;
    return;
  }
  let all: Service[];
  try {
    all = (await services()).services;
  } catch (e) {
    forbidden(ctx, 'Ask for an account', e);
    return;
  }
  const value = { displayName: '', username: '', roles: [] as string[], services: [] as string[] };

  const done = (made: RequestedAccount) => {
    ctx.main.innerHTML = html`<div class="nhsuk-panel" id="account-made">
  <h1 class="nhsuk-panel__title" tabindex="-1">Account asked for</h1>
  <div class="nhsuk-panel__body">${value.displayName} (<span class="wm-token">${made.username}</span>)</div>
</div>
<h2>Their one-time password</h2>
<p>Give it to ${value.displayName} in person or by phone, not by email. It is shown only once, works only to choose their own password, and stops working on ${formatDateTime(made.oneTimePasswordExpiresAt)}.</p>
<p class="nhsuk-body-l"><code class="wm-key" id="one-time-password">${made.oneTimePassword ?? ''}</code></p>
${
  made.pendingApproval
    ? html`<div class="nhsuk-warning-callout"><h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Waiting for approval</span></h3>
<p>This account would read records about young people, so it cannot sign in until a clinical lead other than you approves it.</p></div>`
    : html`<p>They can sign in now.</p>`
}
<p><a href="/staff/accounts">Back to staff accounts</a></p>`.s;
  };

  const draw = (errors: ErrorItem[]) => {
    const err = (id: string) => errors.find((e) => e.id === id)?.message;
    ctx.main.innerHTML = html`${backLink('/staff/accounts', 'Staff accounts')}
${errorSummary(errors)}
<h1 tabindex="-1">Ask for an account</h1>
<form id="account-form" novalidate>
  ${textInput({ id: 'displayName', label: 'Full name', value: value.displayName, error: err('displayName'), autocomplete: 'off', spellcheck: false })}
  ${textInput({ id: 'username', label: 'Username', hint: 'What they type to sign in, for example a.patel. It cannot be changed later.', value: value.username, error: err('username'), autocomplete: 'off', spellcheck: false, width: 20 })}
  ${roleFields(all, value, err)}
  ${button('Ask for the account')}
</form>`.s;
    $('#account-form', ctx.main)!.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const form = ev.currentTarget as HTMLFormElement;
      value.displayName = ($('#displayName', form) as HTMLInputElement).value.trim();
      value.username = ($('#username', form) as HTMLInputElement).value.trim();
      Object.assign(value, readRoles(form));
      const errs: ErrorItem[] = [];
      if (!value.displayName) errs.push({ id: 'displayName', message: 'Enter their full name' });
      if (!value.username) errs.push({ id: 'username', message: 'Enter a username' });
      if (!value.roles.length) errs.push({ id: 'roles', message: 'Choose at least one role' });
      if (value.roles.some((r) => r === 'service-clinician' || r === 'service-manager') && !value.services.length) {
        errs.push({ id: 'services', message: 'Choose the services they work in' });
      }
      if (!errs.length) {
        try {
          done(await requestAccount(value));
          $('#account-made h1', ctx.main)?.focus();
          return;
        } catch (e) {
          errs.push(...fieldErrors(e, 'username'));
        }
      }
      draw(errs);
      $('#error-summary', ctx.main)?.focus();
    });
  };
  draw([]);
}

// ---- One account ---------------------------------------------------------------------------

export async function accountPage(ctx: PageContext): Promise<void> {
  const roles = ctx.user?.roles ?? [];
  const isAdmin = roles.includes('admin');
  const isLead = roles.includes('clinical-lead');
  const id = ctx.params.id;
  let message = '';
  let errors: ErrorItem[] = [];
  let confirmDisable = false;

  const draw = async (focus?: string) => {
    const loaded = await accountsAndServices(ctx, 'Staff account');
    if (!loaded) return;
    const [list, all] = loaded;
    const a = list.find((x) => x.id === id);
    if (!a) {
      ctx.main.innerHTML = html`${backLink('/staff/accounts', 'Staff accounts')}<h1>Account not found</h1>
<p>There is no staff account at this address. <a href="/staff/accounts">See every account</a>.</p>`.s;
      return;
    }
    const err = (f: string) => errors.find((e) => e.id === f)?.message;
    const mine = a.requestedBy !== '' && list.find((x) => x.id === a.requestedBy)?.username === ctx.user?.username;
    ctx.main.innerHTML = html`${backLink('/staff/accounts', 'Staff accounts')}
${errorSummary(errors)}
${notice(message)}
<h1 tabindex="-1">${a.displayName}</h1>
${summaryList([
  { key: 'Username', value: html`<span class="wm-token">${a.username}</span>` },
  { key: 'Roles', value: rolesText(a.roles) },
  { key: 'Services', value: servicesText(a.services, all) },
  { key: 'Status', value: status(a) },
  { key: 'Second factor', value: a.secondFactor ? 'Authenticator app set up' : 'Not set up yet: asked for at their first sign-in' },
  { key: 'Asked for by', value: nameOf(a.requestedBy, list) },
  { key: 'Approved by', value: a.pendingApproval ? 'Not approved yet' : a.approvedBy ? nameOf(a.approvedBy, list) : 'Not needed: no clinical records' },
])}
${
  isLead && a.pendingApproval && !a.disabled
    ? html`<h2>Approve</h2>
${
  mine
    ? html`<p>You asked for this account, so another clinical lead must approve it.</p>`
    : html`<p>Approve only if ${a.displayName} should read records about young people as ${rolesText(a.roles.filter((r) => CLINICAL_ROLES.includes(r)))}.</p>
<form id="approve-form" novalidate>${button('Approve this account', { id: 'approve' })}</form>`
}`
    : ''
}
${
  isAdmin && !a.disabled
    ? html`<h2>Change roles</h2>
<form id="roles-form" novalidate>
  ${roleFields(all, { roles: a.roles, services: a.services }, err)}
  <p class="nhsuk-body-s">Adding a role that reads records about young people signs them out and waits for a clinical lead to approve it again.</p>
  ${button('Save roles', { id: 'save-roles' })}
</form>
<h2>Disable this account</h2>
${
  confirmDisable
    ? html`<div class="nhsuk-warning-callout" id="confirm-disable"><h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Are you sure?</span></h3>
<p>${a.displayName} will be signed out everywhere and will not be able to sign in again. This cannot be undone here: they would need a new account.</p>
<form id="disable-form" novalidate>${button('Yes, disable this account', { warning: true, id: 'disable-yes' })} <a href="/staff/accounts/${a.id}" id="disable-no">No, keep it</a></form></div>`
    : html`<p>When someone leaves or no longer needs access. It signs them out everywhere.</p>
<form id="disable-ask" novalidate>${button('Disable this account', { secondary: true, id: 'disable' })}</form>`
}`
    : ''
}`.s;

    $('#approve-form', ctx.main)?.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      await act(() => approveAccount(a.id), `Approved: ${a.displayName} can now sign in.`, 'approve');
    });
    $('#roles-form', ctx.main)?.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const chosen = readRoles(ev.currentTarget as HTMLElement);
      if (!chosen.roles.length) {
        errors = [{ id: 'roles', message: 'Choose at least one role' }];
        message = '';
        await draw('error-summary');
        return;
      }
      await act(
        async () => {
          const r = await changeAccountRoles(a.id, chosen.roles, chosen.services);
          if (r.pendingApproval) message = `Roles saved. ${a.displayName} has been signed out and waits for a clinical lead to approve the new roles.`;
        },
        `Roles saved for ${a.displayName}.`,
        'roles',
      );
    });
    $('#disable-ask', ctx.main)?.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      confirmDisable = true;
      errors = [];
      message = '';
      await draw('confirm-disable');
    });
    $('#disable-no', ctx.main)?.addEventListener('click', async (ev) => {
      ev.preventDefault();
      confirmDisable = false;
      await draw('disable');
    });
    $('#disable-form', ctx.main)?.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      confirmDisable = false;
      await act(() => disableAccount(a.id), `Disabled: ${a.displayName} has been signed out everywhere.`, 'disable');
    });
    if (focus) {
      const el = document.getElementById(focus);
      if (el && !el.matches('input,button,a,select,textarea') && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
      el?.focus();
    }
  };

  const act = async (fn: () => Promise<unknown>, success: string, fieldId: string) => {
    errors = [];
    message = success;
    try {
      await fn();
    } catch (e) {
      message = '';
      errors = fieldErrors(e, fieldId);
      if (e instanceof ApiError && e.status === 401) {
        navigate('/staff/sign-in');
        return;
      }
    }
    await draw(errors.length ? 'error-summary' : 'action-done');
  };

  await draw();
}
