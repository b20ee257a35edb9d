// Staff sign-in. The session is an HttpOnly, SameSite=Strict cookie set by the server. A
// first sign-in with a one-time password asks for the person's own password; an account that
// has no second factor yet goes on to set one up (/staff/second-factor).
import type { PageContext } from '../main';
import { afterRender, navigate, setUser } from '../main';
import { ApiError, me, signIn } from '../api';
import { button, errorSummary, textInput, type ErrorItem } from '../components';
import { $, html } from '../dom';

/** Roles that read records about young people (security/roles.cc); they see the lists. */
export const CLINICAL_ROLES = ['triage-clinician', 'service-clinician', 'service-manager', 'clinical-lead', 'safeguarding-lead'];

export function homeFor(roles: string[]): string {
  if (roles.includes('triage-clinician') || roles.includes('clinical-lead')) return '/staff/queue';
  if (roles.includes('service-clinician') || roles.includes('service-manager')) return '/staff/services';
  if (roles.includes('commissioner')) return '/staff/reports';
  if (roles.includes('admin')) return '/staff/accounts';
  return '/staff/queue';
}

export function signInPage(ctx: PageContext): void {
  // After a right one-time password the server asks for a new one: the one-time password is
  // kept here (never in the page) so it need not be typed again.
  const justSetUp = ctx.query.get('second-factor') === 'set-up';
  const state = { username: '', needCode: justSetUp, oneTimePassword: '' };
  const draw = (errors: ErrorItem[]) => {
    const err = (id: string) => errors.find((e) => e.id === id)?.message;
    ctx.main.innerHTML = html`<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-one-half">
${errorSummary(errors)}
<h1 tabindex="-1">Sign in to Waymark</h1>
${justSetUp ? html`<div class="nhsuk-inset-text" id="signed-up"><span class="nhsuk-u-visually-hidden">Information: </span><p>Your authenticator app is set up. Sign in again with your password and a code from the app.</p></div>` : html`<p>For triage clinicians, services and other staff.</p>`}
<form id="sign-in-form" novalidate>
  ${textInput({ id: 'username', label: 'Username', value: state.username, autocomplete: 'username', spellcheck: false, error: err('username') })}
  ${
    state.oneTimePassword
      ? html`<p id="choose-password">Your one-time password was right. Now choose your own: at least 12 characters. Three random words work well, for example "lamp river orange".</p>
  ${textInput({ id: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password', error: err('newPassword') })}
  ${textInput({ id: 'confirmPassword', label: 'New password again', type: 'password', autocomplete: 'new-password', error: err('confirmPassword') })}`
      : textInput({ id: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', error: err('password') })
  }
  ${state.needCode ? textInput({ id: 'code', label: 'Code from your authenticator app', hint: 'Or one of your recovery codes', autocomplete: 'one-time-code', inputmode: 'numeric', width: 10, error: err('code') }) : ''}
  ${button('Sign in')}
</form>
</div></div>`.s;
    $('#sign-in-form')!.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = new FormData(ev.target as HTMLFormElement);
      state.username = String(f.get('username') ?? '').trim();
      const password = state.oneTimePassword || String(f.get('password') ?? '');
      const code = String(f.get('code') ?? '').trim();
      const newPassword = String(f.get('newPassword') ?? '');
      const errs: ErrorItem[] = [];
      if (!state.username) errs.push({ id: 'username', message: 'Enter your username' });
      if (!password) errs.push({ id: 'password', message: 'Enter your password' });
      if (state.oneTimePassword) {
        if (!newPassword) errs.push({ id: 'newPassword', message: 'Enter a new password' });
        else if (newPassword !== String(f.get('confirmPassword') ?? '')) errs.push({ id: 'confirmPassword', message: 'Enter the same new password twice' });
      }
      if (errs.length) {
        draw(errs);
        afterRender(true);
        return;
      }
      try {
        const u = await signIn(state.username, password, code || undefined, newPassword || undefined);
        setUser(u);
        if ((await me()).secondFactorSetupNeeded) {
          navigate('/staff/second-factor');
          return;
        }
        const back = sessionStorage.getItem('wm-return');
        sessionStorage.removeItem('wm-return');
        navigate(back && back.startsWith('/staff/') && back !== '/staff/sign-in' ? back : homeFor(u.roles));
      } catch (e) {
        const msg = e instanceof ApiError ? e.message : 'Sign-in failed';
        const fields = e instanceof ApiError ? e.fields : [];
        if (fields.some((x) => x.path === 'code')) state.needCode = true;
        const asked = fields.find((x) => x.path === 'newPassword');
        if (asked && !state.oneTimePassword) {
          // The one-time password was right; the first ask is not an error, just the next step.
          state.oneTimePassword = password;
          draw([]);
          afterRender(true);
          return;
        }
        if (asked) {
          draw([{ id: 'newPassword', message: `Your new password ${asked.message}` }]);
        } else {
          if (!fields.length) state.oneTimePassword = '';  // refused: start again
          draw([{ id: state.needCode ? 'code' : 'username', message: msg }]);
        }
        afterRender(true);
      }
    });
  };
  draw([]);
}
