// Find a service: the public directory searched by age, where you live and what you need.
import type { PageContext } from '../main';
import { area, services, type Area, type Service } from '../api';
import { button, errorSummary, select, textInput, type ErrorItem } from '../components';
import { $, html, type Raw } from '../dom';
import { NEED_CHOICES } from './ask';

// Plain words for the groups some services are only for (their eligibility's contexts).
const ONLY_FOR: Record<string, string> = {
  'looked-after': 'young people who live in care',
  adopted: 'adopted young people',
  'youth-justice': 'young people working with a youth justice team',
  homeless: 'young people with no settled home',
  'learning-disability': 'young people with a learning disability',
  'in-emergency-department': 'people who are in the hospital emergency department (A&E)',
  'known-to-camhs': 'young people who already see CAMHS',
};

/** Who a service is for and how to reach it, in plain words, for the public pages. */
export function whoItIsFor(s: Service, area: Area | null): string[] {
  const el = s.eligibility ?? {};
  const out: string[] = [];
  if (el.minAge !== undefined && el.maxAge !== undefined) {
    out.push(el.minAge === 0 ? `For children and young people up to age ${el.maxAge}.` : `For young people aged ${el.minAge} to ${el.maxAge}.`);
  }
  const all = area?.localities.map((l) => l.code) ?? [];
  const served = (el.localities ?? []).filter((l) => l !== 'out-of-area');
  if (all.length && served.length && !all.every((c) => served.includes(c))) {
    const names = served.map((c) => area?.localities.find((l) => l.code === c)?.name ?? c);
    out.push(`Only for people who live in ${names.length > 1 ? names.slice(0, -1).join(', ') + ' or ' + names[names.length - 1] : names[0]}.`);
  }
  const groups = [...(el.contextsRequired ?? []), ...(el.contextsAnyOf ?? [])].map((c) => ONLY_FOR[c]).filter(Boolean);
  if (groups.length) out.push(`Only for ${groups.length > 1 ? groups.slice(0, -1).join(', ') + ' or ' + groups[groups.length - 1] : groups[0]}.`);
  const who = s.whoMayRefer ?? [];
  if (who.includes('self')) out.push('You can contact them yourself.');
  else if (who.includes('parent')) out.push('A parent or carer can ask them for help.');
  else out.push('A GP, school or other professional asks them for you. You can also ask us for help.');
  return out;
}

export function serviceCard(s: Service, level = 2, area: Area | null = null): Raw {
  const title =
    level === 2
      ? html`<h2 class="nhsuk-card__heading nhsuk-heading-m">${s.name}</h2>`
      : html`<h3 class="nhsuk-card__heading nhsuk-heading-m">${s.name}</h3>`;
  return html`<div class="nhsuk-card wm-service-card" data-service="${s.id}">
  <div class="nhsuk-card__content">
    ${title}
    <p class="nhsuk-card__description">${s.publicDescription ?? s.description}</p>
    <p class="nhsuk-body-s wm-who-for">${whoItIsFor(s, area).join(' ')}</p>
    ${s.hours ? html`<p class="nhsuk-body-s">When: ${s.hours}</p>` : ''}
    ${s.contact?.text ? html`<p class="nhsuk-body-s"><strong>How to reach them</strong><br>${s.contact.text}</p>` : ''}
  </div>
</div>`;
}

/** The outward code of a postcode ("le1 5ww" -> "LE1"); null when it does not look like one. */
export function postcodeDistrict(text: string): string | null {
  const t = text.toUpperCase().replace(/\s+/g, '');
  const full = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/.exec(t);
  if (full) return full[1];
  const district = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/.exec(t);
  return district ? district[0] : null;
}

export async function findPage(ctx: PageContext): Promise<void> {
  const a = await area().catch(() => null);
  const localities = a?.localities ?? [];
  const state = { age: '', locality: '', postcode: '', need: '' };

  const draw = (errors: ErrorItem[], results: Raw | null) => {
    const err = (id: string) => errors.find((e) => e.id === id)?.message;
    ctx.main.innerHTML = html`${errorSummary(errors)}
<h1>Find a service</h1>
<p class="nhsuk-lede-text">Search the mental health services in ${a?.name ?? 'this area'}. Fill in as much as you like.</p>
<form id="find-form" novalidate>
  ${textInput({ id: 'age', label: 'Age of the young person', hint: 'For example, 14', value: state.age, width: 2, inputmode: 'numeric', error: err('age') })}
  ${select({
    id: 'locality',
    label: 'Where they live',
    value: state.locality,
    choices: [{ value: '', text: 'Anywhere' }, ...localities.map((l) => ({ value: l.code, text: l.name })), { value: 'out-of-area', text: 'Somewhere else' }],
  })}
  ${textInput({ id: 'postcode', label: 'Or their postcode', hint: 'For example, LE1 5WW. We only use the first part.', value: state.postcode, width: 10, autocomplete: 'postal-code', error: err('postcode') })}
  ${select({ id: 'need', label: 'What they need help with', value: state.need, choices: [{ value: '', text: 'Anything' }, ...NEED_CHOICES.map((n) => ({ value: n.value, text: n.text }))] })}
  ${button('Search')}
</form>
<div id="results" aria-live="polite">${results ?? ''}</div>`.s;
    $('#find-form')!.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void search();
    });
  };

  const search = async () => {
    const f = $('#find-form') as HTMLFormElement;
    const data = new FormData(f);
    state.age = String(data.get('age') ?? '').trim();
    state.locality = String(data.get('locality') ?? '');
    state.postcode = String(data.get('postcode') ?? '').trim();
    state.need = String(data.get('need') ?? '');
    const errors: ErrorItem[] = [];
    let age: number | undefined;
    if (state.age) {
      age = Number(state.age);
      if (!/^\d{1,2}$/.test(state.age) || age > 25) errors.push({ id: 'age', message: 'Enter an age from 0 to 25, like 14' });
    }
    let district: string | null = null;
    if (state.postcode && !state.locality) {
      district = postcodeDistrict(state.postcode);
      if (!district) errors.push({ id: 'postcode', message: 'Enter a real postcode, like LE1 5WW' });
    }
    if (errors.length) {
      draw(errors, null);
      $('#error-summary')?.focus();
      document.title = 'Error: Find a service - Waymark';
      return;
    }
    let res: Raw;
    try {
      const found = (await services({ age, locality: state.locality || undefined, need: state.need || undefined, postcode: district ?? undefined })).services;
      res = html`<h2>${found.length === 1 ? '1 service found' : `${found.length} services found`}</h2>
${found.length ? found.map((s) => serviceCard(s, 3, a)) : html`<p>No services match. Try fewer filters, or <a href="/ask">ask us for help</a> and we will find the right place.</p>`}`;
    } catch {
      res = html`<h2>Sorry, the search is not working</h2><p>Please try again later.</p>`;
    }
    draw([], res);
    document.title = 'Find a service - Waymark';
    $('#results h2')?.setAttribute('tabindex', '-1');
    $('#results h2')?.focus();
  };

  draw([], null);
}

