// The single-page app: layout, routing (History API) and focus management. Every page is a
// module under public/, clinician/, service/ or commissioner/. Staff pages check the session first and
// send signed-out users to sign in; the API refuses them anyway.
import './styles.scss';
import { createAll, Header } from 'nhsuk-frontend';
import { ApiError, me, signOut, type Me } from './api';
import { $, html, type Raw } from './dom';
import { helpNowStrip } from './components';
import { routes, type Route } from './routes';
import { CLINICAL_ROLES, homeFor } from './clinician/signin';

export interface PageContext {
  main: HTMLElement;
  params: Record<string, string>;
  query: URLSearchParams;
  user: Me | null;
  /** Called when the user leaves the page (close streams, timers). */
  onLeave(fn: () => void): void;
}

let leaveHandlers: (() => void)[] = [];
let firstRender = true;
let renderCount = 0;
let currentUser: Me | null = null;

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

export function setUser(u: Me | null): void {
  currentUser = u;
}

function header(staff: boolean, path: string): Raw {
  const pub = [
    ['/', 'Home'],
    ['/get-help-now', 'Get help now'],
    ['/information', 'Information'],
    ['/ask', 'Ask for help'],
    ['/track', 'Track a request'],
    ['/find-a-service', 'Find a service'],
  ];
  // Staff see the pages of their roles: commissioners only the reports.
  const roles = currentUser?.roles ?? [];
  const clinical = roles.some((r) => CLINICAL_ROLES.includes(r));
  const staffItems = [
    ...(clinical
      ? [
          ['/staff/queue', 'Triage queue'],
          ['/staff/services', 'Service lists'],
        ]
      : []),
    ...(roles.includes('clinical-lead') ? [['/staff/model', 'Decision model']] : []),
    ...(roles.includes('commissioner') || roles.includes('clinical-lead') ? [['/staff/reports', 'Reports']] : []),
    ...(roles.includes('admin') || roles.includes('clinical-lead') ? [['/staff/accounts', 'Staff accounts']] : []),
  ];
  const items = staff && currentUser ? staffItems : pub;
  const isCurrent = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(href + '/'));
  return html`<header class="nhsuk-header" data-module="nhsuk-header" role="banner">
  <div class="nhsuk-header__container nhsuk-width-container">
    <div class="nhsuk-header__service">
      <a class="nhsuk-header__service-name" href="${staff && currentUser ? homeFor(currentUser.roles) : '/'}">Waymark${staff ? ' for staff' : ''}</a>
    </div>
    ${
      staff && currentUser
        ? html`<nav class="nhsuk-header__account" aria-label="Account">
      <ul class="nhsuk-header__account-list">
        <li class="nhsuk-header__account-item">${currentUser.displayName}</li>
        <li class="nhsuk-header__account-item"><button class="nhsuk-header__account-button" type="button" id="sign-out">Sign out</button></li>
      </ul>
    </nav>`
        : ''
    }
  </div>
  <nav class="nhsuk-header__navigation" aria-label="Menu">
    <div class="nhsuk-header__navigation-container nhsuk-width-container">
      <ul class="nhsuk-header__navigation-list">
        ${items.map(([href, text]) =>
          isCurrent(href)
            ? html`<li class="nhsuk-header__navigation-item nhsuk-header__navigation-item--current"><a class="nhsuk-header__navigation-link" href="${href}" aria-current="page"><strong class="nhsuk-header__navigation-item-current-fallback">${text}</strong></a></li>`
            : html`<li class="nhsuk-header__navigation-item"><a class="nhsuk-header__navigation-link" href="${href}">${text}</a></li>`,
        )}
        <li class="nhsuk-header__menu" hidden>
          <button class="nhsuk-header__menu-toggle nhsuk-header__navigation-link" id="toggle-menu" aria-expanded="false">
            <span class="nhsuk-u-visually-hidden">Browse </span>More
          </button>
        </li>
      </ul>
    </div>
  </nav>
</header>`;
}

function footer(): Raw {
  return html`<footer role="contentinfo">
  <div class="nhsuk-footer" id="nhsuk-footer">
    <div class="nhsuk-width-container">
      <h2 class="nhsuk-u-visually-hidden">Support links</h2>
      <div class="nhsuk-footer__list">
        <ul class="nhsuk-footer__list">
          <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/get-help-now">Get help now</a></li>
          <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/information">Information</a></li>
          <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/staff/sign-in">Staff sign in</a></li>
        </ul>
      </div>
      <p class="nhsuk-footer__copyright">Waymark: an example service. The services listed are examples.</p>
    </div>
  </div>
</footer>`;
}

function match(path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.groups ?? {} };
  }
  return null;
}

export async function render(): Promise<void> {
  const myRender = ++renderCount;
  for (const fn of leaveHandlers) {
    try {
      fn();
    } catch {
      /* ignore */
    }
  }
  leaveHandlers = [];
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const found = match(path);
  const route = found?.route ?? routes[routes.length - 1];
  const staff = !!route.staff;

  if (staff && !route.public) {
    try {
      currentUser = await me();
    } catch (e) {
      currentUser = null;
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        sessionStorage.setItem('wm-return', path);
        navigate('/staff/sign-in', { replace: true });
        return;
      }
    }
    if (myRender !== renderCount) return;
    // Signed in only to set up the second factor: nothing else opens until it is set up.
    if (currentUser?.secondFactorSetupNeeded && path !== '/staff/second-factor') {
      navigate('/staff/second-factor', { replace: true });
      return;
    }
  }

  const app = $('#app')!;
  app.innerHTML = html`${header(staff, path)}
<div class="nhsuk-width-container">
  <main class="nhsuk-main-wrapper" id="maincontent" tabindex="-1">
    ${staff ? '' : helpNowStrip()}
    <div id="page"></div>
  </main>
</div>
${footer()}`.s;
  try {
    createAll(Header, undefined, app);
  } catch {
    /* the header still works without its menu script */
  }
  const signOutButton = $('#sign-out');
  signOutButton?.addEventListener('click', async () => {
    try {
      await signOut();
    } finally {
      currentUser = null;
      navigate('/staff/sign-in');
    }
  });

  const main = $('#page')!;
  const ctx: PageContext = {
    main,
    params: found?.params ?? {},
    query: new URLSearchParams(location.search),
    user: currentUser,
    onLeave: (fn) => leaveHandlers.push(fn),
  };
  try {
    await route.page(ctx);
  } catch (e) {
    main.innerHTML = html`<h1>Sorry, there is a problem with the service</h1>
<p>${e instanceof Error ? e.message : 'Please try again later.'}</p>
<p>If you are in danger now, call 999.</p>`.s;
  }
  if (myRender !== renderCount) return;
  afterRender(!firstRender);
  firstRender = false;
}

/** Sets the title from the h1 and, after a page change, moves focus to the h1. */
export function afterRender(moveFocus: boolean): void {
  const h1 = document.querySelector<HTMLElement>('#page h1');
  const hasErrors = !!document.querySelector('#error-summary');
  const title = h1?.textContent?.trim().replace(/\s+/g, ' ') ?? 'Waymark';
  document.title = `${hasErrors ? 'Error: ' : ''}${title} - Waymark`;
  if (!moveFocus) return;
  const summary = document.querySelector<HTMLElement>('#error-summary');
  if (summary) {
    summary.focus();
  } else if (h1) {
    if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
    h1.focus();
  }
  window.scrollTo(0, 0);
}

// Links: same-origin paths are handled here; in-page links to fields focus the field.
document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = (ev.target as Element | null)?.closest?.('a');
  if (!a) return;
  const href = a.getAttribute('href');
  if (!href) return;
  if (href.startsWith('#')) {
    const target = document.getElementById(href.slice(1));
    if (target) {
      ev.preventDefault();
      // A field group (date input, radios) focuses its first input; anything else itself.
      const group = target.matches('.nhsuk-date-input, .nhsuk-radios, .nhsuk-checkboxes');
      const focusable = group ? target.querySelector<HTMLElement>('input') ?? target : target;
      if (!focusable.hasAttribute('tabindex') && !focusable.matches('input,select,textarea,button,a')) {
        focusable.setAttribute('tabindex', '-1');
      }
      focusable.focus();
      focusable.scrollIntoView({ block: 'center' });
    }
    return;
  }
  if (a.target || a.hasAttribute('download') || !href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) return;
  ev.preventDefault();
  navigate(href);
});

window.addEventListener('popstate', () => void render());

document.body.classList.add('nhsuk-frontend-supported', 'js-enabled');
void render();
