// The triage queue: by priority and by the clock, emergencies on top, with an alert banner
// that updates live from the server-sent-events stream.
import type { PageContext } from '../main';
import { area, queue, type Alert, type QueueItem } from '../api';
import { button, priorityTag, select, tag } from '../components';
import { $, formatDateTime, html, type Raw } from '../dom';
import { SOURCE_TEXT, STATUS_TEXT, THRIVE_TEXT, clockText } from './labels';

const FILTERS = ['priority', 'locality', 'ageBand', 'source'] as const;

export async function queuePage(ctx: PageContext): Promise<void> {
  const a = await area().catch(() => null);
  // Filters are kept in memory, not the address: the queue URL stays the same for everyone.
  const filters: Record<string, string> = {};
  let alerts: Alert[] = [];

  const alertBanner = (): Raw =>
    alerts.length
      ? html`<div class="nhsuk-error-summary" id="alert-banner" aria-labelledby="alert-title">
  <h2 class="nhsuk-error-summary__title" id="alert-title">${alerts.length === 1 ? '1 emergency needs a response now' : `${alerts.length} emergencies need a response now`}</h2>
  <div class="nhsuk-error-summary__body">
    <ul class="nhsuk-list nhsuk-error-summary__list">
      ${alerts.map((x) => html`<li><a href="/staff/referrals/${x.reference}">${x.reference}</a>: ${x.message} <span class="nhsuk-body-s">(raised ${formatDateTime(x.raisedAt)})</span></li>`)}
    </ul>
  </div>
</div>`
      : html`<p id="alert-banner" class="nhsuk-body-s">No open emergency alerts.</p>`;

  const table = (items: QueueItem[]): Raw => {
    if (!items.length) return html`<p>No referrals match.</p>`;
    const alerted = new Set(alerts.map((x) => x.reference));
    return html`<div class="wm-table-scroll"><table class="nhsuk-table wm-queue-table" id="queue-table">
  <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Referrals waiting for triage, most urgent first</caption>
  <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
    <th scope="col" class="nhsuk-table__header">Priority</th>
    <th scope="col" class="nhsuk-table__header">Reference</th>
    <th scope="col" class="nhsuk-table__header">Clock</th>
    <th scope="col" class="nhsuk-table__header">Received</th>
    <th scope="col" class="nhsuk-table__header">Age</th>
    <th scope="col" class="nhsuk-table__header">Area</th>
    <th scope="col" class="nhsuk-table__header">From</th>
    <th scope="col" class="nhsuk-table__header">Status</th>
  </tr></thead>
  <tbody class="nhsuk-table__body">
  ${items.map(
    (r) => html`<tr class="nhsuk-table__row" data-reference="${r.reference}">
    <td class="nhsuk-table__cell">${priorityTag(r.priority)}${alerted.has(r.reference) ? html` ${tag('Alert', 'red')}` : ''}</td>
    <td class="nhsuk-table__cell wm-nowrap"><a href="/staff/referrals/${r.reference}">${r.reference}</a></td>
    <td class="nhsuk-table__cell">${clockText(r.minutesLeft, r.breached)}</td>
    <td class="nhsuk-table__cell">${formatDateTime(r.receivedAt)}</td>
    <td class="nhsuk-table__cell">${r.ageOnReceipt}</td>
    <td class="nhsuk-table__cell">${a?.localities.find((l) => l.code === r.locality)?.name ?? r.locality}</td>
    <td class="nhsuk-table__cell">${SOURCE_TEXT[r.source] ?? r.source}</td>
    <td class="nhsuk-table__cell">${STATUS_TEXT[r.status] ?? r.status}${r.thriveGroup ? html`<br><span class="nhsuk-body-s">${THRIVE_TEXT[r.thriveGroup] ?? r.thriveGroup}</span>` : ''}${r.declined ? html`<br>${tag('Declined by a service', 'orange')}` : ''}</td>
  </tr>`,
  )}
  </tbody>
</table></div>`;
  };

  let items: QueueItem[] = [];
  let loadError = '';
  const load = async () => {
    try {
      const q = await queue(filters);
      items = q.referrals;
      alerts = q.alerts;
      loadError = '';
    } catch (e) {
      loadError = e instanceof Error ? e.message : 'Could not load the queue';
    }
  };

  const drawResults = () => {
    $('#alert-region')!.innerHTML = alertBanner().s;
    $('#queue-region')!.innerHTML = (loadError ? html`<p class="nhsuk-error-message">${loadError}</p>` : table(items)).s;
  };

  await load();
  ctx.main.innerHTML = html`<h1>Triage queue</h1>
<div id="alert-region" aria-live="assertive">${alertBanner()}</div>
<details class="nhsuk-details">
  <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Filter the queue</span></summary>
  <div class="nhsuk-details__text">
    <form id="filter-form" novalidate>
      ${select({ id: 'priority', label: 'Priority', choices: [{ value: '', text: 'All' }, { value: 'emergency', text: 'Emergency' }, { value: 'very-urgent', text: 'Very urgent' }, { value: 'urgent', text: 'Urgent' }, { value: 'routine', text: 'Routine' }] })}
      ${select({ id: 'locality', label: 'Area', choices: [{ value: '', text: 'All' }, ...(a?.localities ?? []).map((l) => ({ value: l.code, text: l.name })), { value: 'out-of-area', text: 'Out of area' }] })}
      ${select({ id: 'ageBand', label: 'Age', choices: [{ value: '', text: 'All' }, { value: '0-10', text: '10 and under' }, { value: '11-15', text: '11 to 15' }, { value: '16-17', text: '16 and 17' }, { value: '18-25', text: '18 to 25' }] })}
      ${select({ id: 'source', label: 'Referred by', choices: [{ value: '', text: 'Anyone' }, ...Object.entries(SOURCE_TEXT).map(([value, text]) => ({ value, text }))] })}
      ${button('Apply filters', { secondary: true })}
    </form>
  </div>
</details>
<h2 id="queue-heading">Referrals <span class="nhsuk-body-s" id="queue-count">(${items.length})</span></h2>
<div id="queue-region">${loadError ? html`<p class="nhsuk-error-message">${loadError}</p>` : table(items)}</div>`.s;

  $('#filter-form')!.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target as HTMLFormElement);
    for (const k of FILTERS) filters[k] = String(f.get(k) ?? '');
    await load();
    drawResults();
    $('#queue-count')!.textContent = `(${items.length})`;
    $('#queue-heading')!.setAttribute('tabindex', '-1');
    $('#queue-heading')!.focus();
  });

  // Live alerts: the stream sends the open alerts first, then each new one.
  if (typeof EventSource !== 'undefined') {
    const es = new EventSource('/api/v1/alerts/stream');
    let refreshTimer = 0;
    es.addEventListener('alert', (ev) => {
      try {
        const alert = JSON.parse((ev as MessageEvent).data) as Alert;
        if (alerts.some((x) => x.id === alert.id)) return;
        alerts = [alert, ...alerts];
        window.clearTimeout(refreshTimer);
        refreshTimer = window.setTimeout(async () => {
          await load();
          drawResults();
          $('#queue-count')!.textContent = `(${items.length})`;
        }, 200);
        $('#alert-region')!.innerHTML = alertBanner().s;
      } catch {
        /* a malformed event: ignore */
      }
    });
    ctx.onLeave(() => {
      window.clearTimeout(refreshTimer);
      es.close();
    });
  }
}
