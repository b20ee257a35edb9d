// The route table: path patterns to pages. The last entry is the "page not found" page.
import type { PageContext } from './main';
import { homePage } from './public/home';
import { helpNowPage } from './public/help';
import { infoIndexPage, infoTopicPage } from './public/info';
import { askStartPage, askStepPage, askCheckPage, askConfirmationPage } from './public/ask';
import { trackPage } from './public/track';
import { findPage } from './public/find';
import { signInPage } from './clinician/signin';
import { secondFactorPage } from './clinician/second-factor';
import { queuePage } from './clinician/queue';
import { referralPage } from './clinician/referral';
import { serviceIndexPage, serviceListsPage } from './service/lists';
import { modelPage } from './lead/model';
import { accountPage, accountsPage, newAccountPage } from './admin/accounts';
import { equalityPage, reportsPage } from './commissioner/dashboard';
import { html } from './dom';

export interface Route {
  pattern: RegExp;
  page: (ctx: PageContext) => void | Promise<void>;
  /** A staff page: shown only to signed-in staff. */
  staff?: boolean;
  /** A staff-area page that needs no session (sign in). */
  public?: boolean;
}

function notFound(ctx: PageContext): void {
  ctx.main.innerHTML = html`<h1>Page not found</h1>
<p>If you typed the web address, check it is correct.</p>
<p>If you pasted the web address, check you copied the entire address.</p>
<p><a href="/">Go to the home page</a></p>`.s;
}

export const routes: Route[] = [
  { pattern: /^\/$/, page: homePage },
  { pattern: /^\/get-help-now$/, page: helpNowPage },
  { pattern: /^\/information$/, page: infoIndexPage },
  { pattern: /^\/information\/(?<slug>[a-z0-9-]+)$/, page: infoTopicPage },
  { pattern: /^\/ask$/, page: askStartPage },
  { pattern: /^\/ask\/confirmation$/, page: askConfirmationPage },
  { pattern: /^\/ask\/(?<journey>young-person|parent|professional)\/check$/, page: askCheckPage },
  { pattern: /^\/ask\/(?<journey>young-person|parent|professional)\/(?<step>[a-z-]+)$/, page: askStepPage },
  { pattern: /^\/track$/, page: trackPage },
  { pattern: /^\/track\/(?<reference>[A-Za-z0-9-]+)$/, page: trackPage },
  { pattern: /^\/find-a-service$/, page: findPage },
  { pattern: /^\/staff\/sign-in$/, page: signInPage, staff: true, public: true },
  { pattern: /^\/staff\/second-factor$/, page: secondFactorPage, staff: true },
  { pattern: /^\/staff$/, page: queuePage, staff: true },
  { pattern: /^\/staff\/queue$/, page: queuePage, staff: true },
  { pattern: /^\/staff\/referrals\/(?<reference>[A-Za-z0-9-]+)$/, page: referralPage, staff: true },
  { pattern: /^\/staff\/services$/, page: serviceIndexPage, staff: true },
  { pattern: /^\/staff\/services\/(?<id>[a-z0-9-]+)$/, page: serviceListsPage, staff: true },
  { pattern: /^\/staff\/model$/, page: modelPage, staff: true },
  { pattern: /^\/staff\/accounts$/, page: accountsPage, staff: true },
  { pattern: /^\/staff\/accounts\/new$/, page: newAccountPage, staff: true },
  { pattern: /^\/staff\/accounts\/(?<id>[A-Za-z0-9_-]+)$/, page: accountPage, staff: true },
  { pattern: /^\/staff\/reports$/, page: reportsPage, staff: true },
  { pattern: /^\/staff\/reports\/equality$/, page: equalityPage, staff: true },
  { pattern: /.*/, page: notFound },
];
