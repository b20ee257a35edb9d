// One referral for staff: every informant's view, the decision with its reasons as sentences,
// and the actions possible now (accept the recommendation or override with a reason, route,
// signpost, close; for services accept, decline, book and record contacts, discharge).
import type { PageContext } from '../main';
import { afterRender } from '../main';
import { ApiError, act, area, referral, services, type Service, type StaffReferral } from '../api';
import { button, crisisCard, errorSummary, priorityTag, radios, select, summaryList, textarea, textInput, type ErrorItem } from '../components';
import { $, $all, formatDate, formatDateTime, html, raw, type Raw } from '../dom';
import { CONTEXT_TEXT, ETHNIC_TEXT, GENDER_TEXT, NEED_CHOICES } from '../public/ask';
import { ATTEND, CONTACT_METHOD_TEXT, DECLINE_REASONS, MECHANISMS, SOURCE_TEXT, STATUS_TEXT, THRIVE_TEXT } from './labels';
import { firedRows, serviceReasonSentence, withoutArrows, type FiredRow } from './reasons';

const RISK_TEXT: Record<string, string> = {
  'suicidal-ideation': 'thoughts of suicide',
  'suicide-plan': 'a plan to end their life',
  'suicide-attempt': 'a suicide attempt',
  'self-harm-recent': 'recent self-harm',
  'self-harm-medical': 'self-harm needing medical treatment',
  'harm-to-others': 'risk of harm to others',
  'acute-psychosis': 'acute psychosis',
  'rapid-weight-loss': 'rapid weight loss',
  'medical-instability': 'medical instability',
  'not-eating-or-drinking': 'not eating or drinking',
  safeguarding: 'a safeguarding concern',
  exploitation: 'exploitation',
  'carer-cannot-cope': 'a carer who cannot cope',
  'risk-of-admission': 'risk of admission',
};
const needText = (c: string) => NEED_CHOICES.find((n) => n.value === c)?.text ?? c.replace(/-/g, ' ');
const IMPACT_TEXT: Record<string, string> = { none: 'no effect', mild: 'a mild effect', moderate: 'a moderate effect', severe: 'a severe effect' };

function sentenceList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return items.slice(0, -1).join(', ') + ' and ' + items[items.length - 1];
}

function capital(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

const TABLE_WORDS: Record<string, { decided: string; others: string }> = {
  Priority: { decided: 'The row that set the priority', others: 'Other rows that matched (a more urgent row, or one above them, won)' },
  'THRIVE group': { decided: 'The row that set the THRIVE group', others: 'Other rows that matched (the group meaning more help won)' },
  'Candidate services': { decided: 'The row behind the first recommendation', others: 'Other rows that matched (they suggest the other services listed)' },
};

/** Why: every fired row as a sentence, table by table, the deciding row apart from the rest. */
function whyBlock(rows: FiredRow[]): Raw {
  const tables = [...new Set(rows.map((r) => r.decision))];
  return html`<details class="nhsuk-details" id="decision-why"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Why: the rules that applied</span></summary>
<div class="nhsuk-details__text">${tables.map((t) => {
    const inTable = rows.filter((r) => r.decision === t);
    const decided = inTable.filter((r) => r.decided);
    const others = inTable.filter((r) => !r.decided);
    const words = TABLE_WORDS[t] ?? { decided: 'The row that decided it', others: 'Other rows that matched' };
    return html`<h4>${t} table</h4>
${decided.length ? html`<p class="wm-rule-decided"><strong>${words.decided}:</strong> ${decided.map((r) => r.sentence).join(' ')}</p>` : ''}
${others.length ? html`<p>${decided.length ? words.others : 'Rows that matched'}:</p><ul class="wm-rule-others">${others.map((r) => html`<li>${r.sentence}</li>`)}</ul>` : ''}`;
  })}</div></details>`;
}

function contactWays(c: StaffReferral['submission']['youngPerson']['contact']): string {
  const parts: string[] = [];
  if (c?.preferredMethod) parts.push(`Prefers ${CONTACT_METHOD_TEXT[c.preferredMethod] ?? c.preferredMethod}.`);
  if (c?.safeToLeaveMessage === true) parts.push('Safe to leave a message.');
  if (c?.safeToLeaveMessage === false) parts.push('Do not leave a message: it may not be safe or private.');
  return parts.join(' ') || 'Not said';
}

const declineText = (code: unknown) => DECLINE_REASONS.find((r) => r.value === code)?.text;

export async function referralPage(ctx: PageContext): Promise<void> {
  const reference = ctx.params.reference;
  const [dir, ar] = await Promise.all([services().then((r) => r.services).catch(() => [] as Service[]), area().catch(() => null)]);
  const name = (id: string) => dir.find((s) => s.id === id)?.name ?? id;
  let r: StaffReferral;
  let notice = '';
  // What was typed into the form that failed, put back after the page is drawn again.
  let kept: { formId: string; values: [string, string][] } | null = null;

  const loadAndDraw = async (errors: ErrorItem[] = [], moveFocus = false) => {
    try {
      r = await referral(reference);
    } catch (e) {
      if (notice && e instanceof ApiError && e.status === 404) {
        // The action handed the referral on (a service declined it): this person may no longer
        // see it, which is right. Say what happened instead of "not found".
        const from = r?.owner?.startsWith('service:') ? r.owner.slice(8) : '';
        ctx.main.innerHTML = html`<div class="nhsuk-panel" id="action-done-panel"><h1 class="nhsuk-panel__title" tabindex="-1">Done</h1><div class="nhsuk-panel__body" id="action-done" role="status">${notice}</div></div>
<p>Referral ${reference} is no longer with your service, so you cannot see its details now. The triage team has it, with your reason, and will find the right help.</p>
<p><a href="${from ? `/staff/services/${from}` : '/staff/services'}">Back to the service lists</a></p>`.s;
        afterRender(true);
        return;
      }
      ctx.main.innerHTML = html`<h1>Referral not found</h1>
<p>${e instanceof ApiError && e.status === 404 ? 'There is no referral with this reference that you can see.' : e instanceof Error ? e.message : ''}</p>
<p><a href="/staff/queue">Back to the queue</a></p>`.s;
      return;
    }
    draw(errors);
    if (moveFocus) afterRender(true);
  };

  const draw = (errors: ErrorItem[]) => {
    const nav = r.navigation;
    const sub = r.submission;
    const d = nav?.decision ?? null;
    const possible = nav?.possibleActions ?? [];
    const recommended = d?.services?.[0]?.id ?? '';
    const err = (id: string) => errors.find((e) => e.id === id)?.message;
    const yp = sub.youngPerson;
    const who = sub.referrer.type === 'self' ? 'The young person' : sub.referrer.type === 'parent' ? `${sub.referrer.name ?? 'A parent or carer'} (parent or carer)` : `${sub.referrer.name ?? 'A professional'} (${sub.referrer.role ?? 'professional'}, ${sub.referrer.organisation ?? ''})`;

    const decisionBlock = d
      ? html`<p id="decision-summary">The decision model (version ${d.modelVersion || nav?.modelVersion || 'unknown'}) says this is ${raw(priorityTag(d.priority).s)} priority${d.thriveGroup ? html`, in the THRIVE group <strong>${THRIVE_TEXT[d.thriveGroup] ?? d.thriveGroup}</strong>` : ''}.</p>
${d.outOfArea ? html`<p>The young person lives outside this area.</p>` : ''}
${
  d.services.length
    ? html`<h3>Recommended services, best first</h3>
<ol id="recommendations">${d.services.map((s) => html`<li><strong>${name(s.id)}</strong>${s.reason ? html`: ${serviceReasonSentence(s.reason)}` : ''}</li>`)}</ol>`
    : html`<p>The model did not recommend a service.</p>`
}
${d.alerts.length ? html`<h3>Alerts from the model</h3><ul>${d.alerts.map((x) => html`<li>${withoutArrows(x.message)}</li>`)}</ul>` : ''}
${d.rulesFired.length ? whyBlock(firedRows(d)) : ''}`
      : html`<div class="nhsuk-inset-text" id="no-decision"><span class="nhsuk-u-visually-hidden">Information: </span><p>The decision model has not triaged this request yet, so there is no recommendation. Read the request and choose a service yourself.</p></div>`;

    const triageActions = possible.includes('route')
      ? html`<h2>Decide</h2>
${
  recommended
    ? html`<form id="accept-form" class="action-form" data-action="route" novalidate>
  <input type="hidden" name="serviceId" value="${recommended}">
  ${button(`Accept recommendation: route to ${name(recommended)}`, { id: 'accept-recommendation' })}
</form>`
    : ''
}
<form id="route-form" class="action-form" data-action="route" novalidate>
  <h3>${recommended ? 'Or choose another service' : 'Route to a service'}</h3>
  ${select({ id: 'serviceId', label: 'Service', value: '', error: err('serviceId'), choices: [{ value: '', text: 'Choose a service' }, ...dir.map((s) => ({ value: s.id, text: s.name }))] })}
  ${textarea({ id: 'reason', label: recommended ? 'Why are you choosing a different service from the recommendation?' : 'Reason (optional)', hint: recommended ? 'Required when you do not follow the recommendation' : undefined, error: err('reason'), rows: 3 })}
  ${button(recommended ? 'Override and route' : 'Route', { secondary: !!recommended })}
</form>`
      : '';

    const signpost = possible.includes('signpost')
      ? html`<details class="nhsuk-details"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Signpost instead of routing</span></summary>
<div class="nhsuk-details__text"><form id="signpost-form" class="action-form" data-action="signpost" novalidate>
  ${textarea({ id: 'signpostTo', label: 'What the family will be told', hint: 'In plain words, for example where to go and how', error: err('signpostTo'), rows: 3 })}
  ${textarea({ id: 'signpost-reason', name: 'reason', label: 'Reason (for the record)', error: err('signpost-reason'), rows: 2 })}
  ${button('Signpost and close', { secondary: true })}
</form></div></details>`
      : '';

    const serviceActions = html`${
      possible.includes('accept')
        ? html`<h2>Answer this referral</h2>
<form id="service-accept-form" class="action-form" data-action="accept" novalidate>${button('Accept referral', { id: 'accept-referral' })}</form>`
        : ''
    }
${
  possible.includes('decline')
    ? html`<form id="decline-form" class="action-form" data-action="decline" novalidate>
  <h3>Or decline it</h3>
  ${radios({ id: 'decline-reasonCode', name: 'reasonCode', legend: 'Why can this service not help?', hint: 'The referral goes back to the triage team with your reason. It is never closed.', choices: DECLINE_REASONS, small: true, error: err('decline-reasonCode') })}
  ${textarea({ id: 'decline-reason', name: 'reason', label: 'Details for the triage team', hint: 'Optional, unless you chose "Another reason"', error: err('decline-reason'), rows: 3 })}
  ${button('Decline and return to triage', { secondary: true })}
</form>`
    : ''
}
${
  possible.includes('book-contact')
    ? html`<h2>Appointments</h2>
${(nav?.contacts ?? []).length ? html`<ul id="contacts">${nav!.contacts.map((c) => html`<li>${formatDateTime(c.bookedFor)}, ${MECHANISMS.find((m) => m.value === c.mechanism)?.text ?? c.mechanism}: ${c.attendStatus === '0' || !c.attendStatus ? 'not yet recorded' : ATTEND.find((x) => x.value === c.attendStatus)?.text ?? c.attendStatus}</li>`)}</ul>` : html`<p>No appointments yet.</p>`}
<form id="book-form" class="action-form" data-action="book-contact" novalidate>
  <h3>Book an appointment</h3>
  ${textInput({ id: 'bookedFor', label: 'Date and time', hint: 'For example, 2030-01-06 10:00', width: 20, error: err('bookedFor') })}
  ${radios({ id: 'mechanism', legend: 'How', choices: MECHANISMS, small: true, error: err('mechanism') })}
  ${button('Book appointment', { secondary: true })}
</form>`
    : ''
}
${
  possible.includes('record-attendance') && (nav?.contacts ?? []).some((c) => c.attendStatus === '0' || !c.attendStatus)
    ? html`<form id="attend-form" class="action-form" data-action="record-attendance" novalidate>
  <h3>Record an appointment</h3>
  ${select({ id: 'contactId', label: 'Appointment', error: err('contactId'), choices: nav!.contacts.filter((c) => c.attendStatus === '0' || !c.attendStatus).map((c) => ({ value: c.id, text: formatDateTime(c.bookedFor) })) })}
  ${radios({ id: 'attendStatus', legend: 'What happened', choices: ATTEND, small: true, error: err('attendStatus') })}
  ${button('Record', { secondary: true })}
</form>`
    : ''
}
${
  possible.includes('discharge')
    ? html`<details class="nhsuk-details"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Discharge</span></summary>
<div class="nhsuk-details__text"><form id="discharge-form" class="action-form" data-action="discharge" novalidate>
  ${textarea({ id: 'discharge-reason', name: 'reason', label: 'Reason for discharge', error: err('discharge-reason'), rows: 2 })}
  ${button('Discharge', { warning: true })}
</form></div></details>`
    : ''
}
${
  possible.includes('close')
    ? html`<details class="nhsuk-details"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Close without routing</span></summary>
<div class="nhsuk-details__text"><form id="close-form" class="action-form" data-action="close" novalidate>
  ${textarea({ id: 'close-reason', name: 'reason', label: 'Reason for closing', error: err('close-reason'), rows: 2 })}
  ${button('Close referral', { warning: true })}
</form></div></details>`
    : ''
}`;

    ctx.main.innerHTML = html`<div class="nhsuk-back-link"><a class="nhsuk-back-link__link" href="/staff/queue">Back to the queue</a></div>
${errorSummary(errors)}
${notice ? html`<div class="nhsuk-inset-text" id="action-done" role="status"><span class="nhsuk-u-visually-hidden">Information: </span><p>${notice}</p></div>` : ''}
<span class="nhsuk-caption-l">Referral</span>
<h1 tabindex="-1">${r.reference}</h1>
${r.crisis ? html`<div class="nhsuk-warning-callout"><h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Danger signalled</span></h2><p>The request signals immediate danger. Make sure someone responds now.</p></div>` : ''}
${summaryList([
  { key: 'Status', value: STATUS_TEXT[r.status] ?? r.status },
  { key: 'Priority', value: priorityTag(nav?.priority ?? d?.priority ?? null) },
  { key: 'With', value: r.owner.startsWith('service:') ? name(r.owner.slice(8)) : r.owner === 'triage-team' ? 'Triage team' : r.owner || 'Nobody (closed)' },
  { key: 'Received', value: formatDateTime(r.receivedAt) },
  { key: 'Triage due', value: nav?.triageDueAt ? formatDateTime(nav.triageDueAt) : 'Not set' },
  ...(nav?.breachDueAt ? [{ key: 'Service clock due', value: formatDateTime(nav.breachDueAt) }] : []),
])}
<h2>The decision</h2>
${decisionBlock}
${triageActions}
${signpost}
${serviceActions}
<h2>The young person</h2>
${summaryList([
  { key: 'Name', value: `${yp.givenName} ${yp.familyName}` },
  { key: 'Date of birth', value: `${formatDate(yp.dateOfBirth)} (age ${r.ageOnReceipt} when received)` },
  { key: 'NHS number', value: yp.nhsNumber ?? 'Not given' },
  { key: 'Postcode', value: yp.postcode ?? 'Not given' },
  { key: 'Area', value: ar?.localities.find((l) => l.code === r.locality)?.name ?? r.locality },
  { key: 'Gender', value: yp.gender ? GENDER_TEXT[yp.gender] ?? yp.gender : 'Not given' },
  { key: 'Ethnic group', value: yp.ethnicCategory ? ETHNIC_TEXT[yp.ethnicCategory] ?? yp.ethnicCategory : 'Not given' },
  { key: 'Also true', value: sub.context?.length ? html`<ul class="nhsuk-list" id="context-list">${sub.context.map((c) => html`<li>${CONTEXT_TEXT[c] ?? c}</li>`)}</ul>` : 'None of the listed circumstances' },
  { key: 'Contact', value: [yp.contact?.phone, yp.contact?.email].filter(Boolean).join(', ') || (sub.referrer.type === 'parent' ? 'Through the parent or carer' : 'None given') },
  { key: 'How to contact', value: contactWays(yp.contact) },
  { key: 'Already tried', value: sub.triedServices?.length ? sentenceList(sub.triedServices.map(name)) : 'None named' },
  { key: 'Consent', value: `${sub.consent.youngPersonAgrees ? 'Agrees to the request' : 'Has not agreed yet'}. Parent or carer ${sub.consent.parentMayBeContacted ? 'may' : 'may not'} be contacted.` },
])}
<h2>What each person told us</h2>
<div class="nhsuk-card" id="view-referrer"><div class="nhsuk-card__content">
  <h3 class="nhsuk-card__heading">${who}, ${formatDate(r.receivedAt)}</h3>
  <p>Referred by ${SOURCE_TEXT[sub.source] ?? sub.source}.${sub.referrer.phone || sub.referrer.email ? ` Contact: ${[sub.referrer.phone, sub.referrer.email].filter(Boolean).join(', ')}.` : ''}</p>
  <p>${sub.needs.length ? `Asks for help with ${sentenceList(sub.needs.map((n) => needText(n).toLowerCase()))}.` : 'No needs named.'}</p>
  <p>${sub.risks.length ? `Reports ${sentenceList(sub.risks.map((x) => RISK_TEXT[x] ?? x))}.` : 'Reports none of the listed risks.'}</p>
  <p>Says this has ${IMPACT_TEXT[sub.impact] ?? sub.impact} on everyday life${sub.durationWeeks !== undefined ? ` and has gone on for about ${sub.durationWeeks} week${sub.durationWeeks === 1 ? '' : 's'}` : ''}.</p>
  ${sub.description ? html`<p>In their words: “${sub.description}”</p>` : ''}
</div></div>
${r.informants.map(
  (inf) => html`<div class="nhsuk-card"><div class="nhsuk-card__content">
  <h3 class="nhsuk-card__heading">${capital(inf.role ?? 'Informant')}</h3>
  ${(inf.views ?? []).length ? (inf.views ?? []).map((v) => html`<p><strong>Version ${v.version ?? ''}${v.at ? `, ${formatDateTime(v.at)}` : ''}</strong></p>
  ${v.relationship ? html`<p>Relationship: ${v.relationship}</p>` : ''}
  ${v.concerns ? html`<p>Concerns: ${v.concerns}</p>` : ''}
  ${v.strengths ? html`<p>Strengths: ${v.strengths}</p>` : ''}
  ${v.needs?.length ? html`<p>Needs: ${sentenceList(v.needs.map((n) => needText(n).toLowerCase()))}.</p>` : ''}
  ${v.risks?.length ? html`<p>Risks: ${sentenceList(v.risks.map((x) => RISK_TEXT[x] ?? x))}.</p>` : ''}
  ${v.impact ? html`<p>Impact: ${IMPACT_TEXT[v.impact] ?? v.impact}.</p>` : ''}`) : html`<p>Invited; no view yet.</p>`}
</div></div>`,
)}
<h2>History</h2>
<ul class="nhsuk-list nhsuk-list--border" id="history">
  ${r.events.map((e) => html`<li>${formatDateTime(e.at)}: ${e.kind.replace(/^referral\./, '').replace(/[.-]/g, ' ')}${e.data?.override ? ` to ${name(String(e.data.serviceId ?? ''))}, not the recommended ${name(String(e.data.recommended ?? ''))}` : ''}${declineText(e.data?.reasonCode) ? `. Why: ${declineText(e.data?.reasonCode)}` : ''}${e.reason ? `. Reason: ${e.reason}` : ''}</li>`)}
</ul>
${r.crisis ? crisisCard(undefined, 'Crisis numbers to give the family', 2) : ''}`.s;

    if (kept) {
      const f = document.getElementById(kept.formId) as HTMLFormElement | null;
      for (const [k, v] of kept.values) {
        for (const el of f ? $all<HTMLInputElement>(`[name="${CSS.escape(k)}"]`, f) : []) {
          if (el.type === 'radio' || el.type === 'checkbox') el.checked = el.value === v;
          else if (el.type !== 'hidden') el.value = v;
        }
      }
    }
    // A form with an error inside a closed "details" is opened, so its message can be seen.
    for (const g of $all('.nhsuk-form-group--error', ctx.main)) g.closest('details')?.setAttribute('open', '');
    for (const form of $all<HTMLFormElement>('form.action-form', ctx.main)) {
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        void submit(form);
      });
    }
  };

  const submit = async (form: HTMLFormElement) => {
    const action = form.dataset.action!;
    const f = new FormData(form);
    kept = { formId: form.id, values: [...f.entries()].map(([k, v]) => [k, String(v)]) };
    const body: Record<string, unknown> = { version: r.version };
    for (const [k, v] of f.entries()) {
      const s = String(v).trim();
      if (s) body[k] = s;
    }
    if (action === 'book-contact' && typeof body.bookedFor === 'string') {
      const t = new Date(String(body.bookedFor).replace(' ', 'T'));
      if (!Number.isNaN(t.getTime())) body.bookedFor = t.toISOString();
    }
    const local: ErrorItem[] = [];
    if (action === 'route' && !body.serviceId) local.push({ id: 'serviceId', message: 'Choose a service' });
    if (action === 'decline' && !body.reasonCode) local.push({ id: 'decline-reasonCode', message: 'Choose why this service cannot help' });
    if (action === 'decline' && body.reasonCode === 'other' && !body.reason) local.push({ id: 'decline-reason', message: 'Enter the details: you chose "Another reason"' });
    if (['discharge', 'close'].includes(action) && !body.reason) local.push({ id: `${action}-reason`, message: 'Enter a reason' });
    if (action === 'signpost' && !body.signpostTo) local.push({ id: 'signpostTo', message: 'Enter what the family will be told' });
    if (action === 'signpost' && !body.reason) local.push({ id: 'signpost-reason', message: 'Enter a reason' });
    if (local.length) {
      notice = '';
      draw(local);
      afterRender(true);
      return;
    }
    const btn = form.querySelector('button');
    if (btn) btn.disabled = true;
    try {
      const out = await act(r.reference, action, body);
      kept = null;
      const where = out.owner.startsWith('service:') ? name(out.owner.slice(8)) : out.owner === 'triage-team' ? 'the triage team' : '';
      notice = `Done: the referral is now ${(STATUS_TEXT[out.status] ?? out.status).toLowerCase()}${where ? `, with ${where}` : ''}.`;
      await loadAndDraw([], false);
      $('#action-done')?.setAttribute('tabindex', '-1');
      $('#action-done')?.focus();
    } catch (e) {
      notice = '';
      const err = e instanceof ApiError ? e : new ApiError(0, 'Something went wrong');
      // Each server error goes beside its own field of this form (the reason boxes have
      // ids of their own); a field the form does not show is linked to the form.
      const fieldId = (path: string) => {
        const id = path === 'reason' ? (action === 'route' ? 'reason' : `${action}-reason`) : path === 'reasonCode' ? 'decline-reasonCode' : path;
        return form.querySelector(`#${CSS.escape(id)}`) ? id : form.id;
      };
      let items: ErrorItem[] = err.fields.map((x) => ({ id: fieldId(x.path), message: `${capital(x.path === 'reasonCode' ? 'reason' : x.path)} ${x.message}` }));
      if (!items.length) items = [{ id: form.id, message: err.status === 409 ? `${err.message} The page has been refreshed: check and try again.` : err.message }];
      await loadAndDraw(items, true);
    }
  };

  await loadAndDraw();
}
