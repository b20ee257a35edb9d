// Setting up the second factor (RFC 6238 authenticator app) after a first sign-in: staff
// accounts need one before any staff page opens. The server keeps the secret sealed; the page
// shows it once as a QR code and as text, checks one code from the app, then shows the
// recovery codes once.
import QRCode from 'qrcode';
import type { PageContext } from '../main';
import { afterRender, navigate } from '../main';
import { ApiError, confirmTotp, startTotp } from '../api';
import { button, errorSummary, textInput, type ErrorItem } from '../components';
import { $, html, raw } from '../dom';
import { homeFor } from './signin';

/** The secret in groups of four, easier to type into an app by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export async function secondFactorPage(ctx: PageContext): Promise<void> {
  if (ctx.user && !ctx.user.secondFactorSetupNeeded) {
    ctx.main.innerHTML = html`<h1>Your second factor is set up</h1>
<p>You sign in with your password and a code from your authenticator app.</p>
<p><a href="${homeFor(ctx.user.roles)}">Continue</a></p>`.s;
    return;
  }
  let enrolment: { secret: string; otpauthUri: string };
  try {
    enrolment = await startTotp();
  } catch (e) {
    ctx.main.innerHTML = html`<h1>Set up your authenticator app</h1>
<p>${e instanceof ApiError ? e.message : 'Could not start setting up the second factor.'}</p>
<p><a href="/staff/sign-in">Sign in again</a></p>`.s;
    return;
  }
  const svg = await QRCode.toString(enrolment.otpauthUri, { type: 'svg', margin: 2, width: 200, errorCorrectionLevel: 'M' });

  const draw = (errors: ErrorItem[]) => {
    const err = (id: string) => errors.find((e) => e.id === id)?.message;
    ctx.main.innerHTML = html`<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">
${errorSummary(errors)}
<h1 tabindex="-1">Set up your authenticator app</h1>
<p>Staff sign in with a password and a code from an app on a phone, such as Microsoft Authenticator or Google Authenticator. You need to do this once.</p>
<ol class="nhsuk-list nhsuk-list--number">
  <li>Open the app and choose to add an account.</li>
  <li>Scan this code with the app's camera, or type in the key below.</li>
  <li>Enter the 6-digit code the app shows.</li>
</ol>
<figure class="wm-qr" id="totp-qr" role="img" aria-label="QR code for your authenticator app (the key below holds the same)">${raw(svg)}</figure>
<p>Key to type in: <strong class="wm-key" id="totp-secret">${grouped(enrolment.secret)}</strong></p>
<form id="totp-form" novalidate>
  ${textInput({ id: 'code', label: 'Code from your authenticator app', hint: '6 digits', autocomplete: 'one-time-code', inputmode: 'numeric', width: 10, error: err('code') })}
  ${button('Check the code')}
</form>
</div></div>`.s;
    $('#totp-form')!.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const code = String(new FormData(ev.target as HTMLFormElement).get('code') ?? '').replace(/\s+/g, '');
      if (!/^\d{6}$/.test(code)) {
        draw([{ id: 'code', message: 'Enter the 6-digit code your authenticator app shows now' }]);
        afterRender(true);
        return;
      }
      try {
        const done = await confirmTotp(code);
        showRecoveryCodes(done.recoveryCodes);
      } catch (e) {
        const msg = e instanceof ApiError ? e.message : 'Something went wrong';
        draw([{ id: 'code', message: e instanceof ApiError && e.fields.length ? `${msg} Enter the code your app shows now.` : msg }]);
        afterRender(true);
      }
    });
  };

  const showRecoveryCodes = (codes: string[]) => {
    ctx.main.innerHTML = html`<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">
<div class="nhsuk-panel" id="totp-done"><h1 class="nhsuk-panel__title" tabindex="-1">Your authenticator app is set up</h1></div>
<h2>Keep your recovery codes</h2>
<p>If you lose your phone, each of these codes lets you sign in once instead of a code from the app. They are shown only now: print them or keep them somewhere safe, away from your phone. Never share them.</p>
<ul class="nhsuk-list" id="recovery-codes">
  ${codes.map((c) => html`<li><code>${c}</code></li>`)}
</ul>
<form id="continue-form" novalidate>
  ${button('I have kept my recovery codes')}
</form>
</div></div>`.s;
    afterRender(true);
    $('#continue-form')!.addEventListener('submit', (ev) => {
      ev.preventDefault();
      // Sign in again with the app: the session that set it up was for setting it up only.
      navigate('/staff/sign-in?second-factor=set-up');
    });
  };

  draw([]);
}
