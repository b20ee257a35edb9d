// Find a service: the public directory searched by age, where you live and what you need.
import type { PageContext } from '../main';
import { area, services, type Service } from '../api';
import { button, errorSummary, select, textInput, type ErrorItem } from '../components';
import { $, html, type Raw } from '../dom';
import { NEED_CHOICES } from './ask';

export function serviceCard(s: Service, level = 2): Raw {
  const el = s.eligibility ?? {};
  const title =
    level === 2
      ? html`<h2 class="nhsuk-card__heading nhsuk-heading-m">${s.name}</h2>`
      : html`<h3 class="nhsuk-card__heading nhsuk-heading-m">${s.name}</h3>`;
  return html`<div class="nhsuk-card">
  <div class="nhsuk-card__content">
    ${title}
    <p class="nhsuk-card__description">${s.description}</p>
    <p class="nhsuk-body-s">${el.minAge !== undefined && el.maxAge !== undefined ? `For ages ${el.minAge} to ${el.maxAge}. ` : ''}${s.hours ?? ''}</p>
    ${s.contact?.text ? html`<p class="nhsuk-body-s">How to reach them: ${s.contact.text}</p>` : ''}
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
${found.length ? found.map((s) => serviceCard(s, 3)) : html`<p>No services match. Try fewer filters, or <a href="/ask">ask us for help</a> and we will find the right place.</p>`}`;
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

