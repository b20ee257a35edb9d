// The information library: an index of topics and one page per topic with the few directory
// services that really help with it. Crisis services are left out of the topic lists (crisis
// help is on every page), and so are services only for particular groups (children in care,
// a learning disability, people in A&E): triage finds those. Services of only part of the
// area are shown once the reader says where they live (optional, kept in memory only).
import type { PageContext } from '../main';
import { area, services, type Area, type Service } from '../api';
import { backLink, button, errorSummary, select, textInput, type ErrorItem } from '../components';
import { $, html, type Raw } from '../dom';
import { TOPICS } from './topics';
import { postcodeDistrict, serviceCard } from './find';

export function infoIndexPage(ctx: PageContext): void {
  ctx.main.innerHTML = html`<h1>Information about feelings and worries</h1>
<p class="nhsuk-lede-text">Short guides written for young people. Parents and carers can read them too.</p>
<ul class="nhsuk-list nhsuk-list--border">
  ${TOPICS.map((t) => html`<li><a href="/information/${t.slug}">${t.title}</a><br><span class="nhsuk-body-s">${t.summary}</span></li>`)}
</ul>`.s;
}

/** Where the reader said they live, for every topic page this visit (never stored). */
const where = { locality: '', postcode: '' };

const THRIVE_ORDER = ['getting-advice', 'getting-help', 'getting-more-help', 'getting-risk-support'];

/** A service for a topic list: not crisis-only and not only for a particular group. */
export function helpsEveryone(s: Service): boolean {
  const groups = s.thriveGroups ?? [];
  if (groups.length && groups.every((g) => g === 'getting-risk-support')) return false;
  const el = s.eligibility ?? {};
  return !(el.contextsRequired?.length || el.contextsAnyOf?.length);
}

const servesAll = (s: Service, a: Area | null) => !a || a.localities.every((l) => (s.eligibility?.localities ?? []).includes(l.code));

/** Ones you can contact yourself first, then the lightest help first. */
function order(list: Service[]): Service[] {
  const rank = (s: Service) =>
    ((s.whoMayRefer ?? []).includes('self') ? 0 : 10) + Math.min(...(s.thriveGroups ?? ['getting-more-help']).map((g) => THRIVE_ORDER.indexOf(g)));
  return [...list].sort((x, y) => rank(x) - rank(y));
}

export async function infoTopicPage(ctx: PageContext): Promise<void> {
  const t = TOPICS.find((x) => x.slug === ctx.params.slug);
  if (!t) {
    ctx.main.innerHTML = html`<h1>Page not found</h1><p><a href="/information">See all topics</a></p>`.s;
    return;
  }
  const a = await area().catch(() => null);

  const load = async (): Promise<{ list: Service[]; more: boolean } | null> => {
    try {
      const district = where.postcode ? postcodeDistrict(where.postcode) : null;
      const place = where.locality ? { locality: where.locality } : district ? { postcode: district } : {};
      const seen = new Map<string, Service>();
      for (const need of t.needs) {
        for (const s of (await services({ need, ...place })).services) if (helpsEveryone(s)) seen.set(s.id, s);
      }
      const found = [...seen.values()];
      const chosen = !!(where.locality || district);
      // Until the reader says where they live, only services for the whole area are listed.
      const list = chosen ? found : found.filter((s) => servesAll(s, a));
      return { list: order(list), more: !chosen && list.length < found.length };
    } catch {
      return null;
    }
  };

  const servicesSection = (res: { list: Service[]; more: boolean } | null, errors: ErrorItem[], typed = where): Raw => {
    const err = (id: string) => errors.find((e) => e.id === id)?.message;
    const placeName = where.locality === 'out-of-area' ? 'somewhere else' : a?.localities.find((l) => l.code === where.locality)?.name;
    return html`<h2 id="services-heading" tabindex="-1">Services that can help</h2>
${
  res === null
    ? html`<p>We could not load the services just now. <a href="/find-a-service">Find a service</a> instead.</p>`
    : res.list.length
      ? html`<p>${placeName ? `These services help with this in ${placeName}.` : where.postcode ? 'These services help with this where you live.' : 'These services help with this.'} You can contact some yourself. For others, <a href="/ask">ask us for help</a> and we will find the right one with you.</p>
<div id="topic-services">${res.list.map((s) => serviceCard(s, 3, a))}</div>`
      : html`<p>There are no services listed for this ${placeName ? `in ${placeName} ` : ''}yet. You can <a href="/ask">ask us for help</a>.</p>`
}
${res?.more ? html`<p id="more-services">Some areas have more services. Tell us where you live to see them.</p>` : ''}
<details class="nhsuk-details"${where.locality || where.postcode || errors.length ? ' open' : ''}>
  <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Show services where you live</span></summary>
  <div class="nhsuk-details__text">
    ${errorSummary(errors)}
    <form id="where-form" novalidate>
      ${select({ id: 'locality', label: 'Where do you live? (optional)', value: typed.locality, choices: [{ value: '', text: 'Anywhere' }, ...(a?.localities ?? []).map((l) => ({ value: l.code, text: l.name })), { value: 'out-of-area', text: 'Somewhere else' }] })}
      ${textInput({ id: 'postcode', label: 'Or the first part of your postcode (optional)', hint: 'For example, LE1. We only use the first part.', value: typed.postcode, width: 10, autocomplete: 'postal-code', error: err('postcode') })}
      ${button('Show services')}
    </form>
    <p class="nhsuk-body-s">Some services are only for particular groups, such as young people in care. If you ask us for help, we will find the right one.</p>
  </div>
</details>`;
  };

  const drawServices = (res: { list: Service[]; more: boolean } | null, errors: ErrorItem[] = [], typed = where) => {
    $('#topic-services-section')!.innerHTML = servicesSection(res, errors, typed).s;
    $('#where-form')!.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const f = new FormData(ev.target as HTMLFormElement);
      const locality = String(f.get('locality') ?? '');
      const postcode = String(f.get('postcode') ?? '').trim().toUpperCase();
      if (!locality && postcode && !postcodeDistrict(postcode)) {
        // What was typed stays in the boxes; the list stays as it was.
        drawServices(res, [{ id: 'postcode', message: 'Enter the first part of a postcode, like LE1' }], { locality, postcode });
        document.title = `Error: ${t.title} - Waymark`;
        $('#error-summary')?.focus();
        return;
      }
      where.locality = locality;
      where.postcode = locality ? '' : postcode;
      void load().then((r) => {
        document.title = `${t.title} - Waymark`;
        drawServices(r);
        $('#services-heading')?.focus();
      });
    });
  };

  ctx.main.innerHTML = html`${backLink('/information', 'All topics')}
<h1>${t.title}</h1>
<p class="nhsuk-lede-text">${t.summary}</p>
${t.body.map(
  (b) => html`<h2>${b.heading}</h2>
${(b.paras ?? []).map((p) => html`<p>${p}</p>`)}
${b.list ? html`<ul>${b.list.map((i) => html`<li>${i}</li>`)}</ul>` : ''}`,
)}
<section id="topic-services-section" aria-labelledby="services-heading"></section>`.s;
  drawServices(await load());
}
