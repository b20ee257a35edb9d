// Track a request: the reference and private token (typed in, or from the link
// /track/{reference}#{token}). The token lives in the URL fragment, which browsers never
// send to the server; this page sends it in the X-Status-Token header instead.
import type { PageContext } from '../main';
import { afterRender } from '../main';
import { ApiError, familyStatus, type FamilyStatus } from '../api';
import { button, crisisCard, errorSummary, summaryList, textInput, type ErrorItem } from '../components';
import { $, formatDate, formatDateTime, html, type Raw } from '../dom';

const STAGES: Record<string, string> = {
  received: 'Received',
  triaged: 'Being reviewed',
  'awaiting-decision': 'Being reviewed',
  routed: 'Sent to a service',
  waiting: 'On a waiting list',
  'in-care': 'Getting help',
  discharged: 'Finished',
  transferred: 'Moved to another service',
  closed: 'Closed',
};

function statusView(s: FamilyStatus): Raw {
  const rows: { key: string; value: string }[] = [
    { key: 'Reference', value: s.reference },
    { key: 'Received on', value: formatDate(s.receivedOn) },
    { key: 'Where it is now', value: STAGES[s.stage] ?? s.stage },
  ];
  if (s.position !== undefined) rows.push({ key: 'Place on the waiting list', value: String(s.position) });
  if (s.expectedWaitWeeks !== undefined) rows.push({ key: 'Expected wait', value: `About ${s.expectedWaitWeeks} week${s.expectedWaitWeeks === 1 ? '' : 's'}` });
  if (s.nextAppointment) rows.push({ key: 'Next appointment', value: formatDateTime(s.nextAppointment) });
  return html`<h2 id="status-headline">${s.headline}</h2>
${summaryList(rows)}
${s.whatIsHappening ? html`<h3>What is happening</h3><p id="what-is-happening">${s.whatIsHappening}</p>` : ''}
${s.whatHappensNext ? html`<h3>What happens next</h3><p>${s.whatHappensNext}</p>` : ''}
${crisisCard(s.ifThingsGetWorse ?? undefined, 'If things get worse', 2)}`;
}

export async function trackPage(ctx: PageContext): Promise<void> {
  const fromLink = ctx.params.reference;
  // A link cut short or mangled by a mail program may not decode: then ask for the code.
  let hashToken = '';
  let badLink = false;
  try {
    hashToken = decodeURIComponent(location.hash.replace(/^#/, ''));
  } catch {
    badLink = true;
  }
  const state = { reference: fromLink ?? '', token: fromLink ? hashToken : '' };

  const draw = (errors: ErrorItem[], result: Raw | null) => {
    const err = (id: string) => errors.find((e) => e.id === id)?.message;
    ctx.main.innerHTML = html`<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">
${errorSummary(errors)}
<h1 tabindex="-1">${result ? 'Your request' : 'Track a request'}</h1>
${
  result ??
  html`${badLink ? html`<div class="nhsuk-inset-text" id="link-problem"><span class="nhsuk-u-visually-hidden">Information: </span><p>Your link did not open properly. That can happen when a link is copied in parts. Type your reference and private code below instead.</p></div>` : ''}
<p>Use the reference and the private link or code we gave you when you asked for help.</p>
<form id="track-form" novalidate>
  ${textInput({ id: 'reference', label: 'Reference', hint: 'For example, WM-K7MX-3QPA', value: state.reference, width: 10, spellcheck: false, error: err('reference') })}
  ${textInput({ id: 'token', label: 'Private code', hint: 'The long code at the end of your private link, after the # sign', value: state.token, spellcheck: false, error: err('token'), autocomplete: 'off' })}
  ${button('Show my request')}
</form>`
}
${result ? html`<p><a href="/track">Track a different request</a></p>` : ''}
</div></div>`.s;
    $('#track-form')?.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const f = ev.target as HTMLFormElement;
      state.reference = String(new FormData(f).get('reference') ?? '').trim().toUpperCase();
      state.token = String(new FormData(f).get('token') ?? '').trim().replace(/^.*#/, '');
      void look(true);
    });
  };

  const look = async (moveFocus: boolean) => {
    const errors: ErrorItem[] = [];
    if (!state.reference) errors.push({ id: 'reference', message: 'Enter your reference' });
    if (!state.token) errors.push({ id: 'token', message: 'Enter your private code' });
    if (errors.length) {
      draw(errors, null);
      afterRender(moveFocus);
      return;
    }
    try {
      const s = await familyStatus(state.reference, state.token);
      draw([], statusView(s));
    } catch (e) {
      const notFound = e instanceof ApiError && e.status === 404;
      draw(
        [{ id: 'reference', message: notFound ? 'We could not find a request with that reference and code. Check them and try again.' : e instanceof Error ? e.message : 'Something went wrong' }],
        null,
      );
    }
    afterRender(moveFocus);
  };

  if (state.reference && state.token) await look(false);
  else draw([], null);
}
