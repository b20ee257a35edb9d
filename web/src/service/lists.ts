// A service's open alerts (near breach, to acknowledge), inbox (routed, unanswered), waiting
// list against its access standard, review list (after missed appointments) and caseload (in
// care, with the transitions coming up).
import type { PageContext } from '../main';
import { ApiError, acknowledgeAlert, act, serviceLists, services, type Alert, type ListEntry, type ListTransition } from '../api';
import { button, priorityTag, tag } from '../components';
import { $all, formatDateTime, html, type Raw } from '../dom';
import { clockText } from '../clinician/labels';

export async function serviceIndexPage(ctx: PageContext): Promise<void> {
  const list = (await services()).services;
  ctx.main.innerHTML = html`<h1>Service lists</h1>
<p>Choose a service to see its inbox, waiting list and review list.</p>
<ul class="nhsuk-list nhsuk-list--border">
  ${list.map((s) => html`<li><a href="/staff/services/${s.id}">${s.name}</a></li>`)}
</ul>`.s;
}

export async function serviceListsPage(ctx: PageContext): Promise<void> {
  const id = ctx.params.id;
  let notice = '';
  let problem = '';

  const transitionTag = (e: ListEntry): Raw => (e.transition ? html` ${tag('Transition soon', 'yellow')}` : html``);

  const alertList = (alerts: Alert[]): Raw => {
    if (!alerts.length) return html`<p id="service-alerts-none">No open alerts for this service.</p>`;
    return html`<ul class="nhsuk-list nhsuk-list--border" id="service-alerts">
  ${alerts.map(
    (a) => html`<li data-alert="${a.id}"><a href="/staff/referrals/${a.reference}">${a.reference}</a>: ${a.message} <span class="nhsuk-body-s">(raised ${formatDateTime(a.raisedAt)})</span>
  <form class="ack-form" data-alert="${a.id}" data-reference="${a.reference}" novalidate>${button(html`Acknowledge<span class="nhsuk-u-visually-hidden"> the alert for ${a.reference}</span>`, { secondary: true })}</form></li>`,
  )}
</ul>`;
  };

  const caseloadRows = (entries: ListEntry[]): Raw => {
    if (!entries.length) return html`<p>Nobody in care with this service.</p>`;
    return html`<div class="wm-table-scroll"><table class="nhsuk-table" id="caseload-table">
  <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Caseload</caption>
  <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
    <th scope="col" class="nhsuk-table__header">Reference</th>
    <th scope="col" class="nhsuk-table__header">Age at referral</th>
    <th scope="col" class="nhsuk-table__header">Coming up</th>
  </tr></thead>
  <tbody class="nhsuk-table__body">
  ${entries.map((e) => {
    const t = e.transition as ListTransition | undefined;
    return html`<tr class="nhsuk-table__row" data-reference="${e.reference}">
    <td class="nhsuk-table__cell wm-nowrap"><a href="/staff/referrals/${e.reference}">${e.reference}</a></td>
    <td class="nhsuk-table__cell">${e.ageOnReceipt ?? ''}</td>
    <td class="nhsuk-table__cell">${t ? html`${tag('Transition soon', 'yellow')} ${t.message}` : 'Nothing due'}</td>
  </tr>`;
  })}
  </tbody>
</table></div>`;
  };

  const rows = (entries: ListEntry[], kind: 'inbox' | 'waiting' | 'review'): Raw => {
    if (!entries.length) return html`<p>Nobody here.</p>`;
    return html`<div class="wm-table-scroll"><table class="nhsuk-table" id="${kind}-table">
  <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">${kind === 'inbox' ? 'Referrals waiting for an answer' : kind === 'waiting' ? 'Waiting list' : 'Review list'}</caption>
  <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
    ${kind === 'waiting' ? html`<th scope="col" class="nhsuk-table__header">Place</th>` : ''}
    <th scope="col" class="nhsuk-table__header">Reference</th>
    <th scope="col" class="nhsuk-table__header">Priority</th>
    <th scope="col" class="nhsuk-table__header">Age</th>
    <th scope="col" class="nhsuk-table__header">${kind === 'inbox' ? 'Routed' : 'Clock'}</th>
    ${kind === 'inbox' ? html`<th scope="col" class="nhsuk-table__header">Answer</th>` : ''}
  </tr></thead>
  <tbody class="nhsuk-table__body">
  ${entries.map(
    (e) => html`<tr class="nhsuk-table__row" data-reference="${e.reference}">
    ${kind === 'waiting' ? html`<td class="nhsuk-table__cell">${e.position ?? ''}</td>` : ''}
    <td class="nhsuk-table__cell wm-nowrap"><a href="/staff/referrals/${e.reference}">${e.reference}</a></td>
    <td class="nhsuk-table__cell">${priorityTag(e.priority || null)}</td>
    <td class="nhsuk-table__cell">${e.ageOnReceipt ?? ''}${transitionTag(e)}</td>
    <td class="nhsuk-table__cell">${kind === 'inbox' ? formatDateTime(String(e.routedAt ?? '')) : html`${clockText(e.minutesToBreach, e.breached)}${e.nearBreach ? html` ${tag('Near breach', 'orange')}` : ''}${e.breached ? html` ${tag('Breached', 'red')}` : ''}`}</td>
    ${
      kind === 'inbox'
        ? html`<td class="nhsuk-table__cell"><form class="accept-form" data-reference="${e.reference}" data-version="${e.version}" novalidate>${button(html`Accept<span class="nhsuk-u-visually-hidden"> ${e.reference}</span>`, { secondary: true })}</form>
<a href="/staff/referrals/${e.reference}">Decline or view<span class="nhsuk-u-visually-hidden"> ${e.reference}</span></a></td>`
        : ''
    }
  </tr>`,
  )}
  </tbody>
</table></div>`;
  };

  const draw = async () => {
    let data;
    try {
      data = await serviceLists(id);
    } catch (e) {
      ctx.main.innerHTML = html`<h1>Service lists</h1><p>${e instanceof Error ? e.message : 'Could not load the lists.'}</p><p><a href="/staff/services">Choose another service</a></p>`.s;
      return;
    }
    ctx.main.innerHTML = html`<div class="nhsuk-back-link"><a class="nhsuk-back-link__link" href="/staff/services">All services</a></div>
${problem ? html`<div class="nhsuk-error-summary" id="error-summary" tabindex="-1" aria-labelledby="error-summary-title"><div role="alert"><h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2><div class="nhsuk-error-summary__body"><p>${problem}</p></div></div></div>` : ''}
${notice ? html`<div class="nhsuk-inset-text" id="action-done" role="status" tabindex="-1"><span class="nhsuk-u-visually-hidden">Information: </span><p>${notice}</p></div>` : ''}
<span class="nhsuk-caption-l">Service</span>
<h1 tabindex="-1">${data.service.name}</h1>
<h2>Alerts <span class="nhsuk-body-s">(${data.alerts.length})</span></h2>
<p>Referrals close to breaching the service's access standard. Acknowledge an alert when you have acted on it.</p>
${alertList(data.alerts)}
<h2>Inbox <span class="nhsuk-body-s">(${data.inbox.length})</span></h2>
<p>Referrals sent to this service and waiting for an answer. Declined referrals go back to the triage team with your reason.</p>
${rows(data.inbox, 'inbox')}
<h2>Waiting list <span class="nhsuk-body-s">(${data.waitingList.length})</span></h2>
${rows(data.waitingList, 'waiting')}
<h2>Review list <span class="nhsuk-body-s">(${data.reviewList.length})</span></h2>
<p>After a missed appointment. These are never closed automatically.</p>
${rows(data.reviewList, 'review')}
<h2>Caseload <span class="nhsuk-body-s">(${data.caseload.length})</span></h2>
<p>Young people in care with this service, the oldest first, so moves to adult services are planned in time.</p>
${caseloadRows(data.caseload)}`.s;
    for (const form of $all<HTMLFormElement>('form.ack-form', ctx.main)) {
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const ref = form.dataset.reference!;
        try {
          await acknowledgeAlert(form.dataset.alert!);
          notice = `Acknowledged the alert for ${ref}.`;
          problem = '';
        } catch (e) {
          problem = e instanceof ApiError ? e.message : 'Something went wrong';
          notice = '';
        }
        await draw();
        document.getElementById(problem ? 'error-summary' : 'action-done')?.focus();
      });
    }
    for (const form of $all<HTMLFormElement>('form.accept-form', ctx.main)) {
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const ref = form.dataset.reference!;
        try {
          await act(ref, 'accept', { version: Number(form.dataset.version) });
          notice = `Accepted ${ref}: it is now on the waiting list.`;
          problem = '';
        } catch (e) {
          problem = e instanceof ApiError ? e.message : 'Something went wrong';
          notice = '';
        }
        await draw();
        const focus = document.getElementById(problem ? 'error-summary' : 'action-done');
        focus?.focus();
      });
    }
  };
  await draw();
}
