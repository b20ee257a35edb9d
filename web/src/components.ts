// NHS.UK frontend markup for the components the pages use, as escaped HTML strings.
import type { CrisisHelp } from './api';
import { html, raw, Raw } from './dom';

export const CRISIS_DEFAULT: CrisisHelp = {
  message: 'If you or someone else is in danger right now, get help straight away. You do not have to wait for us.',
  contacts: [
    { name: 'Emergency services', how: 'Call 999', when: 'if life is at risk now' },
    { name: 'NHS 111', how: 'Call 111 and choose option 2', when: 'for urgent mental health help, any time' },
    { name: 'Shout', how: 'Text SHOUT to 85258', when: 'free, 24 hours' },
    { name: 'Childline', how: 'Call 0800 1111', when: 'free, for under-19s' },
    { name: 'Samaritans', how: 'Call 116 123', when: 'free, 24 hours' },
  ],
};

/** The emergency care card with every crisis number. */
export function crisisCard(help: CrisisHelp = CRISIS_DEFAULT, heading = 'Get help now', level = 2, id = ''): Raw {
  const h = `h${level}`;
  return html`<div class="nhsuk-card nhsuk-card--care nhsuk-card--care--emergency" ${id ? raw(`id="${id}"`) : ''}>
  <div class="nhsuk-card--care__heading-container">
    ${raw(`<${h} class="nhsuk-card--care__heading">`)}<span role="text"><span class="nhsuk-u-visually-hidden">Immediate action required: </span>${heading}</span>${raw(`</${h}>`)}
    <span class="nhsuk-card--care__arrow" aria-hidden="true"></span>
  </div>
  <div class="nhsuk-card__content">
    <p>${help.message}</p>
    <ul class="wm-crisis-numbers">
      ${help.contacts.map((c) => html`<li><strong>${c.name}</strong>: ${c.how} (${c.when})</li>`)}
    </ul>
  </div>
</div>`;
}

/** The short "get help now" route at the top of every public page. */
export function helpNowStrip(): Raw {
  return html`<div class="nhsuk-inset-text" id="help-now-strip">
  <span class="nhsuk-u-visually-hidden">Information: </span>
  <p><strong>In danger now? Call 999.</strong> For urgent help call NHS 111 and choose option 2, text SHOUT to 85258, call Childline on 0800 1111 or Samaritans on 116 123.
  <a href="/get-help-now">Get help now</a></p>
</div>`;
}

export interface ErrorItem {
  id: string; // the id of the field to focus
  message: string;
  href?: string; // a page to go to instead of a field
}

export function errorSummary(errors: ErrorItem[]): Raw {
  if (!errors.length) return raw('');
  return html`<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" tabindex="-1" id="error-summary">
  <div role="alert">
    <h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>
    <div class="nhsuk-error-summary__body">
      <ul class="nhsuk-list nhsuk-error-summary__list">
        ${errors.map((e) => html`<li><a href="${e.href ?? '#' + e.id}">${e.message}</a></li>`)}
      </ul>
    </div>
  </div>
</div>`;
}

function errorMessage(id: string, message?: string): Raw {
  if (!message) return raw('');
  return html`<span class="nhsuk-error-message" id="${id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${message}</span>`;
}

function describedBy(id: string, hint?: string | Raw, error?: string): string {
  const ids = [];
  if (hint) ids.push(`${id}-hint`);
  if (error) ids.push(`${id}-error`);
  return ids.join(' ');
}

function hintBlock(id: string, hint?: string | Raw): Raw {
  return hint ? html`<div class="nhsuk-hint" id="${id}-hint">${hint}</div>` : raw('');
}

export interface InputOpts {
  id: string;
  name?: string;
  label: string;
  hint?: string | Raw;
  error?: string;
  value?: string;
  type?: string;
  autocomplete?: string;
  inputmode?: string;
  width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
  pageHeading?: boolean;
  spellcheck?: boolean;
}

export function textInput(o: InputOpts): Raw {
  const db = describedBy(o.id, o.hint, o.error);
  const label = html`<label class="nhsuk-label${o.pageHeading ? ' nhsuk-label--l' : ''}" for="${o.id}">${o.label}</label>`;
  return html`<div class="nhsuk-form-group${o.error ? ' nhsuk-form-group--error' : ''}">
  ${o.pageHeading ? html`<h1 class="nhsuk-label-wrapper" tabindex="-1">${label}</h1>` : label}
  ${hintBlock(o.id, o.hint)}
  ${errorMessage(o.id, o.error)}
  <input class="nhsuk-input${o.width ? ` nhsuk-input--width-${o.width}` : ''}${o.error ? ' nhsuk-input--error' : ''}" id="${o.id}" name="${o.name ?? o.id}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${db ? raw(` aria-describedby="${db}"`) : ''}${o.autocomplete ? raw(` autocomplete="${o.autocomplete}"`) : ''}${o.inputmode ? raw(` inputmode="${o.inputmode}"`) : ''}${o.spellcheck === false ? raw(' spellcheck="false"') : ''}>
</div>`;
}

export function textarea(o: InputOpts & { rows?: number }): Raw {
  const db = describedBy(o.id, o.hint, o.error);
  const label = html`<label class="nhsuk-label${o.pageHeading ? ' nhsuk-label--l' : ''}" for="${o.id}">${o.label}</label>`;
  return html`<div class="nhsuk-form-group${o.error ? ' nhsuk-form-group--error' : ''}">
  ${o.pageHeading ? html`<h1 class="nhsuk-label-wrapper" tabindex="-1">${label}</h1>` : label}
  ${hintBlock(o.id, o.hint)}
  ${errorMessage(o.id, o.error)}
  <textarea class="nhsuk-textarea${o.error ? ' nhsuk-textarea--error' : ''}" id="${o.id}" name="${o.name ?? o.id}" rows="${o.rows ?? 5}"${db ? raw(` aria-describedby="${db}"`) : ''}>${o.value ?? ''}</textarea>
</div>`;
}

export interface Choice {
  value: string;
  text: string;
  hint?: string;
  exclusive?: boolean;
}

export interface ChoiceOpts {
  id: string;
  name?: string;
  legend: string;
  hint?: string | Raw;
  error?: string;
  choices: Choice[];
  value?: string | string[];
  pageHeading?: boolean;
  small?: boolean;
  inline?: boolean;
}

function fieldset(o: ChoiceOpts, inner: Raw): Raw {
  const db = describedBy(o.id, o.hint, o.error);
  const legend = o.pageHeading
    ? html`<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--l"><h1 class="nhsuk-fieldset__heading" tabindex="-1">${o.legend}</h1></legend>`
    : html`<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">${o.legend}</legend>`;
  return html`<div class="nhsuk-form-group${o.error ? ' nhsuk-form-group--error' : ''}">
  <fieldset class="nhsuk-fieldset"${db ? raw(` aria-describedby="${db}"`) : ''}>
    ${legend}
    ${hintBlock(o.id, o.hint)}
    ${errorMessage(o.id, o.error)}
    ${inner}
  </fieldset>
</div>`;
}

export function radios(o: ChoiceOpts): Raw {
  const name = o.name ?? o.id;
  const items = o.choices.map((c, i) => {
    const id = i === 0 ? o.id : `${o.id}-${i + 1}`;
    const checked = o.value === c.value ? raw(' checked') : '';
    return html`<div class="nhsuk-radios__item">
  <input class="nhsuk-radios__input" id="${id}" name="${name}" type="radio" value="${c.value}"${checked}${c.hint ? raw(` aria-describedby="${id}-item-hint"`) : ''}>
  <label class="nhsuk-label nhsuk-radios__label" for="${id}">${c.text}</label>
  ${c.hint ? html`<div class="nhsuk-hint nhsuk-radios__hint" id="${id}-item-hint">${c.hint}</div>` : ''}
</div>`;
  });
  return fieldset(
    o,
    html`<div class="nhsuk-radios${o.small ? ' nhsuk-radios--small' : ''}${o.inline ? ' nhsuk-radios--inline' : ''}">${items}</div>`,
  );
}

export function checkboxes(o: ChoiceOpts): Raw {
  const name = o.name ?? o.id;
  const values = Array.isArray(o.value) ? o.value : o.value ? [o.value] : [];
  const items = o.choices.map((c, i) => {
    const id = i === 0 ? o.id : `${o.id}-${i + 1}`;
    const checked = values.includes(c.value) ? raw(' checked') : '';
    const divider = c.exclusive ? html`<div class="nhsuk-checkboxes__divider">or</div>` : '';
    return html`${divider}<div class="nhsuk-checkboxes__item">
  <input class="nhsuk-checkboxes__input" id="${id}" name="${name}" type="checkbox" value="${c.value}"${checked}${c.exclusive ? raw(' data-exclusive="true"') : ''}${c.hint ? raw(` aria-describedby="${id}-item-hint"`) : ''}>
  <label class="nhsuk-label nhsuk-checkboxes__label" for="${id}">${c.text}</label>
  ${c.hint ? html`<div class="nhsuk-hint nhsuk-checkboxes__hint" id="${id}-item-hint">${c.hint}</div>` : ''}
</div>`;
  });
  return fieldset(o, html`<div class="nhsuk-checkboxes${o.small ? ' nhsuk-checkboxes--small' : ''}">${items}</div>`);
}

export function select(o: { id: string; label: string; hint?: string; error?: string; choices: Choice[]; value?: string }): Raw {
  const db = describedBy(o.id, o.hint, o.error);
  return html`<div class="nhsuk-form-group${o.error ? ' nhsuk-form-group--error' : ''}">
  <label class="nhsuk-label" for="${o.id}">${o.label}</label>
  ${hintBlock(o.id, o.hint)}
  ${errorMessage(o.id, o.error)}
  <select class="nhsuk-select${o.error ? ' nhsuk-select--error' : ''}" id="${o.id}" name="${o.id}"${db ? raw(` aria-describedby="${db}"`) : ''}>
    ${o.choices.map((c) => html`<option value="${c.value}"${o.value === c.value ? raw(' selected') : ''}>${c.text}</option>`)}
  </select>
</div>`;
}

export function dateInput(o: {
  id: string;
  legend: string;
  hint?: string;
  error?: string;
  value?: { day?: string; month?: string; year?: string };
  pageHeading?: boolean;
}): Raw {
  const v = o.value ?? {};
  const part = (k: 'day' | 'month' | 'year', label: string, w: 2 | 4) => html`<div class="nhsuk-date-input__item">
  <div class="nhsuk-form-group">
    <label class="nhsuk-label nhsuk-date-input__label" for="${o.id}-${k}">${label}</label>
    <input class="nhsuk-input nhsuk-date-input__input nhsuk-input--width-${w}${o.error ? ' nhsuk-input--error' : ''}" id="${o.id}-${k}" name="${o.id}-${k}" type="text" inputmode="numeric" value="${v[k] ?? ''}"${k === 'day' ? raw(' autocomplete="bday-day"') : k === 'month' ? raw(' autocomplete="bday-month"') : raw(' autocomplete="bday-year"')}>
  </div>
</div>`;
  return fieldset(
    { id: o.id, legend: o.legend, hint: o.hint, error: o.error, choices: [], pageHeading: o.pageHeading },
    html`<div class="nhsuk-date-input" id="${o.id}">${part('day', 'Day', 2)}${part('month', 'Month', 2)}${part('year', 'Year', 4)}</div>`,
  );
}

export function button(text: string | Raw, opts: { secondary?: boolean; warning?: boolean; type?: string; name?: string; value?: string; id?: string } = {}): Raw {
  const cls = `nhsuk-button${opts.secondary ? ' nhsuk-button--secondary' : ''}${opts.warning ? ' nhsuk-button--warning' : ''}`;
  return html`<button class="${cls}" type="${opts.type ?? 'submit'}"${opts.name ? raw(` name="${opts.name}"`) : ''}${opts.value ? html` value="${opts.value}"` : ''}${opts.id ? raw(` id="${opts.id}"`) : ''}>${text}</button>`;
}

export function backLink(href: string, text = 'Back'): Raw {
  return html`<div class="nhsuk-back-link"><a class="nhsuk-back-link__link" href="${href}">${text}</a></div>`;
}

export function summaryList(rows: { key: string; value: string | Raw; href?: string; changeText?: string }[]): Raw {
  return html`<dl class="nhsuk-summary-list">
  ${rows.map(
    (r) => html`<div class="nhsuk-summary-list__row">
    <dt class="nhsuk-summary-list__key">${r.key}</dt>
    <dd class="nhsuk-summary-list__value">${r.value}</dd>
    ${r.href ? html`<dd class="nhsuk-summary-list__actions"><a href="${r.href}">Change<span class="nhsuk-u-visually-hidden"> ${r.changeText ?? r.key.toLowerCase()}</span></a></dd>` : ''}
  </div>`,
  )}
</dl>`;
}

export function tag(text: string, colour?: string): Raw {
  return html`<strong class="nhsuk-tag${colour ? ` nhsuk-tag--${colour}` : ''}">${text}</strong>`;
}

export function priorityTag(p: string | null | undefined): Raw {
  switch (p) {
    case 'emergency':
      return tag('Emergency', 'red');
    case 'very-urgent':
      return tag('Very urgent', 'orange');
    case 'urgent':
      return tag('Urgent', 'yellow');
    case 'routine':
      return tag('Routine', 'blue');
    default:
      return tag('Not triaged yet', 'grey');
  }
}
