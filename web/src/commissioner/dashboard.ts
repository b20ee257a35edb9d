// Reports for commissioners: the dashboard (charts, each with its table and a CSV download)
// and the equality-of-access view. Every figure arrives from the server after disclosure
// control ("*" for fewer than 5, other counts rounded to 5); nothing here computes a figure,
// it only draws the published ones. The period is in the address (?from=2026-01&to=2026-12),
// so a view can be bookmarked and the CSV links download the same figures.
import type { PageContext } from '../main';
import { afterRender, navigate } from '../main';
import { ApiError, area, dashboard, reportCsvHref, type Dashboard, type ReportTable } from '../api';
import { button, errorSummary, type ErrorItem } from '../components';
import { $, html, raw, type Raw } from '../dom';
import { SOURCE_TEXT } from '../clinician/labels';
import { barChart, columnChart, formatFigure, type Bar, type Figure } from './charts';
import { monthText, rowLabel, standardText } from './labels';

type View = 'dashboard' | 'equality';

interface Period {
  from: string;
  to: string;
}

const PATHS: Record<View, string> = { dashboard: '/staff/reports', equality: '/staff/reports/equality' };

export async function reportsPage(ctx: PageContext): Promise<void> {
  await reportView(ctx, 'dashboard');
}

export async function equalityPage(ctx: PageContext): Promise<void> {
  await reportView(ctx, 'equality');
}

async function reportView(ctx: PageContext, view: View): Promise<void> {
  const asked: Partial<Period> = {
    from: ctx.query.get('from') ?? undefined,
    to: ctx.query.get('to') ?? undefined,
  };
  let data: Dashboard;
  try {
    data = await dashboard(asked.from, asked.to);
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) {
      ctx.main.innerHTML = html`<h1>You cannot see reports</h1>
<p>Reports are for commissioners and clinical leads. Ask an administrator if you need access.</p>`.s;
      return;
    }
    if (e instanceof ApiError && e.status === 400) {
      // A period in the address the server refused: ask again, naming the field.
      const errors = e.fields.map((f) => ({ id: `${f.path === 'to' ? 'to' : 'from'}-month`, message: periodMessage(f.path, f.message) }));
      drawPeriodOnly(ctx, view, asked, errors.length ? errors : [{ id: 'from-month', message: e.message }]);
      return;
    }
    throw e;
  }
  const localities: Record<string, string> = {};
  for (const l of (await area().catch(() => null))?.localities ?? []) localities[l.code] = l.name;
  const tables = new Map(data.tables.map((t) => [t.id, t]));
  const period = { from: data.from, to: data.to };
  const block = (id: string, chart?: (t: ReportTable) => Raw) => {
    const t = tables.get(id);
    return t ? tableBlock(t, period, localities, chart?.(t)) : raw('');
  };

  const intro = html`<p class="nhsuk-lede-text" id="period-text">Referrals received from ${monthText(data.from, true)} to ${monthText(data.to, true)}.</p>
<div class="nhsuk-inset-text">
  <span class="nhsuk-u-visually-hidden">Information: </span>
  <p>To protect privacy, a count under 5 shows as * and other counts are rounded to the nearest 5. A percentage shows as * when either of its numbers is under 5. Definitions of every figure are in the Waymark metrics guide (docs/metrics.md).</p>
</div>
${periodForm(view, period, [])}`;

  if (view === 'equality') {
    ctx.main.innerHTML = html`<div class="nhsuk-back-link"><a class="nhsuk-back-link__link" href="${PATHS.dashboard}?from=${data.from}&to=${data.to}">All reports</a></div>
<span class="nhsuk-caption-l">Reports for commissioners</span>
<h1>Equality of access</h1>
${intro}
<p>For each group: how many referrals there were, how many were sent to a service at least once, how many times a service declined, how many have been seen, and how long they waited to be seen.</p>
<h2 id="by-gender">By gender</h2>
${block('equality-by-gender', (t) => shareChart(t, 'routed to a service (%)', 'sent to a service', localities))}
<h2 id="by-ethnicity">By ethnic group</h2>
${block('equality-by-ethnicity', (t) => shareChart(t, 'routed to a service (%)', 'sent to a service', localities))}
<h2 id="by-age">By age</h2>
${block('equality-by-age-band', (t) => shareChart(t, 'routed to a service (%)', 'sent to a service', localities))}`.s;
  } else {
    const contents: [string, string][] = [
      ['referrals', 'Referrals'],
      ['triage', 'Triage decisions'],
      ['services', 'Services and waits'],
      ['access', 'Access'],
    ];
    ctx.main.innerHTML = html`<span class="nhsuk-caption-l">Reports for commissioners</span>
<h1>Referrals, waits and access</h1>
${intro}
<nav class="nhsuk-contents-list" aria-label="Parts of this report">
  <h2 class="nhsuk-u-visually-hidden">Contents</h2>
  <ol class="nhsuk-contents-list__list">
    ${contents.map(([id, text]) => html`<li class="nhsuk-contents-list__item"><a class="nhsuk-contents-list__link" href="#${id}">${text}</a></li>`)}
    <li class="nhsuk-contents-list__item"><a class="nhsuk-contents-list__link" href="${PATHS.equality}?from=${data.from}&to=${data.to}">Equality of access</a></li>
  </ol>
</nav>
<h2 id="referrals">Referrals</h2>
${block('referrals-by-month', (t) =>
  columnChart({
    id: t.id,
    caption: 'Referrals received each month',
    columns: partRows(t).map((r, i) => {
      const ym = String(r[0]);
      return { label: monthText(ym), sublabel: i === 0 || ym.endsWith('-01') ? ym.slice(0, 4) : undefined, value: r[1] as Figure };
    }),
  }),
)}
${block('referrals-by-locality', (t) => countChart(t, 'Referrals by area', localities))}
${block('referrals-by-source', (t) => countChart(t, 'Referrals by who referred', localities))}
${block('referrals-by-age-band')}
${block('referrals-by-thrive-group')}
${block('referrals-by-gender')}
${block('referrals-by-ethnicity')}
<h2 id="triage">Triage decisions</h2>
${block('time-to-triage-decision')}
${block('routed-away-from-camhs')}
${block('overrides')}
<h2 id="services">Services and waits</h2>
${block('waits-by-service', waitsChart)}
${block('service-answers')}
${block('decline-reasons')}
${block('dna-rate')}
<h2 id="access">Access</h2>
${block('access-trajectory', trajectoryChart)}
${block('access')}
<p><a href="${PATHS.equality}?from=${data.from}&to=${data.to}">Equality of access: how referrals fared by gender, ethnic group and age</a></p>`.s;
  }
  attachPeriodForm(ctx, view);
}

// ---- Charts from published tables ----------------------------------------------------------

/** The rows a chart draws: every row but the totals (a total bar would dwarf its parts). */
function partRows(t: ReportTable): (string | number)[][] {
  const totals = new Set(t.totalRows ?? []);
  return t.rows.filter((_, i) => !totals.has(i));
}

function countChart(t: ReportTable, caption: string, localities: Record<string, string>): Raw {
  return barChart({ id: t.id, caption, bars: partRows(t).map((r) => ({ label: rowLabel(t.id, String(r[0]), localities), value: r[1] as Figure })) });
}

function shareChart(t: ReportTable, column: string, words: string, localities: Record<string, string>): Raw {
  const c = t.columns.indexOf(column);
  return barChart({
    id: t.id,
    caption: `Share of referrals ${words}, by group`,
    unit: '%',
    max: 100,
    bars: partRows(t).map((r) => ({ label: rowLabel(t.id, String(r[0]), localities), value: r[c] as Figure, note: words })),
  });
}

function waitsChart(t: ReportTable): Raw {
  const col = (name: string) => t.columns.indexOf(name);
  const within = col('seen within standard (%)');
  const standard = col('standard');
  const goal = col('goal within standard (%)');
  return barChart({
    id: t.id,
    caption: 'Share of young people seen within each service’s standard',
    unit: '%',
    max: 100,
    bars: t.rows.map((r): Bar => {
      const g = Number(r[goal]);
      const hasGoal = String(r[goal]) !== '' && Number.isFinite(g);
      return {
        label: String(r[0]),
        value: r[within] as Figure,
        note: `seen within ${standardText(String(r[standard]))}${hasGoal ? ` (goal ${g}%)` : ''}`,
        goal: hasGoal ? g : undefined,
      };
    }),
  });
}

function trajectoryChart(t: ReportTable): Raw {
  const bars: Bar[] = [];
  for (const r of t.rows) {
    const label = String(r[0]);
    bars.push({ label, value: r[1] as Figure, note: 'seen' });
    bars.push({ label: `${label}, planned`, value: Number(r[2]), note: 'planned', planned: true });
  }
  const max = Math.max(0, ...bars.map((b) => (typeof b.value === 'number' ? b.value : 0)));
  return barChart({ id: t.id, caption: 'Children and young people seen, against the planned trajectory (outlined bars are planned figures)', bars, max: max || 10 });
}

// ---- Tables -------------------------------------------------------------------------------

/** A heading, the chart if any, the table (responsive NHS.UK table) and its CSV link. */
function tableBlock(t: ReportTable, p: Period, localities: Record<string, string>, chart?: Raw): Raw {
  const body = t.rows.length
    ? html`<table class="nhsuk-table nhsuk-table--responsive" role="table" id="${t.id}-table">
  <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Table: ${t.title}</caption>
  <thead class="nhsuk-table__head" role="rowgroup"><tr class="nhsuk-table__row" role="row">
    ${t.columns.map((c, i) => html`<th scope="col" role="columnheader" class="nhsuk-table__header${i ? ' nhsuk-table__header--numeric' : ''}">${sentence(c)}</th>`)}
  </tr></thead>
  <tbody class="nhsuk-table__body">
  ${t.rows.map(
    (r) => html`<tr class="nhsuk-table__row" role="row">
    ${r.map((v, i) =>
      i === 0 && t.columns.length > 1
        ? html`<th scope="row" role="rowheader" class="nhsuk-table__header"><span class="nhsuk-table__heading" aria-hidden="true">${sentence(t.columns[0])} </span><span>${rowLabel(t.id, String(v), localities)}</span></th>`
        : html`<td role="cell" class="nhsuk-table__cell nhsuk-table__cell--numeric"><span class="nhsuk-table__heading" aria-hidden="true">${sentence(t.columns[i])} </span><span>${cellText(t, i, v)}</span></td>`,
    )}
  </tr>`,
  )}
  </tbody>
</table>`
    : html`<p id="${t.id}-table">None in this period.</p>`;
  return html`<section class="wm-report" id="${t.id}" aria-labelledby="${t.id}-heading">
  <h3 id="${t.id}-heading">${t.title}</h3>
  ${chart ?? ''}
  ${body}
  <p><a class="wm-csv-link" href="${reportCsvHref(t.id, p.from, p.to)}" download="${t.id}.csv">Download this table as a CSV file<span class="nhsuk-u-visually-hidden"> (${t.title})</span></a></p>
</section>`;
}

function cellText(t: ReportTable, col: number, v: string | number): string {
  const header = t.columns[col] ?? '';
  if (header === 'source' && typeof v === 'string') return SOURCE_TEXT[v] ?? v;
  if (header === 'standard' && typeof v === 'string') return standardText(v);
  if (header === 'trajectory' && /^\d+$/.test(String(v))) return Number(v).toLocaleString('en-GB');
  if (typeof v === 'number') return formatFigure(v, header.includes('(%)') ? '%' : '');
  return v === '' ? 'None set' : v;
}

function sentence(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

// ---- The period form ----------------------------------------------------------------------

function periodMessage(field: string, message: string): string {
  return `${field === 'to' ? 'The end month' : 'The start month'} ${message}`;
}

function monthYear(id: 'from' | 'to', legend: string, ym: string | undefined, error?: string): Raw {
  const [y, m] = (ym ?? '').split('-');
  const input = (part: 'month' | 'year', label: string, value: string, width: 2 | 4) => html`<div class="nhsuk-date-input__item">
  <div class="nhsuk-form-group">
    <label class="nhsuk-label nhsuk-date-input__label" for="${id}-${part}">${label}</label>
    <input class="nhsuk-input nhsuk-date-input__input nhsuk-input--width-${width}${error ? ' nhsuk-input--error' : ''}" id="${id}-${part}" name="${id}-${part}" type="text" inputmode="numeric" value="${value}">
  </div>
</div>`;
  return html`<div class="nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}">
  <fieldset class="nhsuk-fieldset" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}">
    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">${legend}</legend>
    <div class="nhsuk-hint" id="${id}-hint">For example, ${id === 'from' ? '1 2026' : '12 2026'}</div>
    ${error ? html`<span class="nhsuk-error-message" id="${id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${error}</span>` : ''}
    <div class="nhsuk-date-input" id="${id}">${input('month', 'Month', m ? String(Number(m)) : '', 2)}${input('year', 'Year', y ?? '', 4)}</div>
  </fieldset>
</div>`;
}

function periodForm(view: View, p: Partial<Period>, errors: ErrorItem[]): Raw {
  const err = (id: string) => errors.find((e) => e.id.startsWith(id))?.message;
  return html`<form id="period-form" class="wm-period-form" novalidate data-view="${view}">
  <h2 class="nhsuk-heading-s">Change the period</h2>
  <div class="wm-period-form__fields">
    ${monthYear('from', 'From', p.from, err('from'))}
    ${monthYear('to', 'To (included)', p.to, err('to'))}
  </div>
  ${button('Show these months', { secondary: true })}
</form>`;
}

function drawPeriodOnly(ctx: PageContext, view: View, p: Partial<Period>, errors: ErrorItem[]): void {
  ctx.main.innerHTML = html`${errorSummary(errors)}
<span class="nhsuk-caption-l">Reports for commissioners</span>
<h1>${view === 'equality' ? 'Equality of access' : 'Referrals, waits and access'}</h1>
${periodForm(view, p, errors)}`.s;
  attachPeriodForm(ctx, view);
}

function readMonth(form: FormData, id: 'from' | 'to'): { value?: string; error?: string } {
  const m = String(form.get(`${id}-month`) ?? '').trim();
  const y = String(form.get(`${id}-year`) ?? '').trim();
  const what = id === 'from' ? 'start' : 'end';
  if (!m && !y) return { error: `Enter the ${what} month and year` };
  if (!/^\d{1,2}$/.test(m) || Number(m) < 1 || Number(m) > 12) return { error: `The ${what} month must be a number from 1 to 12` };
  if (!/^\d{4}$/.test(y) || Number(y) < 2000 || Number(y) > 2100) return { error: `The ${what} year must be 4 digits, like 2026` };
  return { value: `${y}-${m.padStart(2, '0')}` };
}

function attachPeriodForm(ctx: PageContext, view: View): void {
  const form = $('#period-form', ctx.main) as HTMLFormElement | null;
  form?.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const from = readMonth(f, 'from');
    const to = readMonth(f, 'to');
    const errors: ErrorItem[] = [];
    if (from.error) errors.push({ id: 'from-month', message: from.error });
    if (to.error) errors.push({ id: 'to-month', message: to.error });
    if (!errors.length && from.value! > to.value!) errors.push({ id: 'to-month', message: 'The end month must be the same as the start month or later' });
    if (errors.length) {
      const p = { from: from.value ?? ctx.query.get('from') ?? undefined, to: to.value ?? ctx.query.get('to') ?? undefined };
      drawPeriodOnly(ctx, view, p, errors);
      afterRender(true);
      return;
    }
    navigate(`${PATHS[view]}?from=${from.value}&to=${to.value}`);
  });
}
