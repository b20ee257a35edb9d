// Staff sign-in. The session is an HttpOnly, SameSite=Strict cookie set by the server.
import type { PageContext } from '../main';
import { afterRender, navigate, setUser } from '../main';
import { ApiError, signIn } from '../api';
import { button, errorSummary, textInput, type ErrorItem } from '../components';
import { $, html } from '../dom';

export function homeFor(roles: string[]): string {
  if (roles.includes('triage-clinician') || roles.includes('clinical-lead')) return '/staff/queue';
  if (roles.includes('service-clinician') || roles.includes('service-manager')) return '/staff/services';
  if (roles.includes('commissioner')) return '/staff/reports';
  return '/staff/queue';
}

export function signInPage(ctx: PageContext): void {
  const state = { username: '', needCode: false };
  const draw = (errors: ErrorItem[]) => {
    const err = (id: string) => errors.find((e) => e.id === id)?.message;
    ctx.main.innerHTML = html`<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-one-half">
${errorSummary(errors)}
<h1 tabindex="-1">Sign in to Waymark</h1>
<p>For triage clinicians, services and other staff.</p>
<form id="sign-in-form" novalidate>
  ${textInput({ id: 'username', label: 'Username', value: state.username, autocomplete: 'username', spellcheck: false, error: err('username') })}
  ${textInput({ id: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', error: err('password') })}
  ${state.needCode ? textInput({ id: 'code', label: 'Code from your authenticator app', hint: 'Or one of your recovery codes', autocomplete: 'one-time-code', inputmode: 'numeric', width: 10, error: err('code') }) : ''}
  ${button('Sign in')}
</form>
</div></div>`.s;
    $('#sign-in-form')!.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = new FormData(ev.target as HTMLFormElement);
      state.username = String(f.get('username') ?? '').trim();
      const password = String(f.get('password') ?? '');
      const code = String(f.get('code') ?? '').trim();
      const errs: ErrorItem[] = [];
      if (!state.username) errs.push({ id: 'username', message: 'Enter your username' });
      if (!password) errs.push({ id: 'password', message: 'Enter your password' });
      if (errs.length) {
        draw(errs);
        afterRender(true);
        return;
      }
      try {
        const u = await signIn(state.username, password, code || undefined);
        setUser(u);
        const back = sessionStorage.getItem('wm-return');
        sessionStorage.removeItem('wm-return');
        navigate(back && back.startsWith('/staff/') && back !== '/staff/sign-in' ? back : homeFor(u.roles));
      } catch (e) {
        const msg = e instanceof ApiError ? e.message : 'Sign-in failed';
        if (e instanceof ApiError && e.fields.some((x) => x.path === 'code')) state.needCode = true;
        draw([{ id: state.needCode ? 'code' : 'username', message: msg }]);
        afterRender(true);
      }
    });
  };
  draw([]);
}
