// Get help now: every crisis number, on its own page, reachable from every public page.
import type { PageContext } from '../main';
import { crisisCard } from '../components';
import { html } from '../dom';

export function helpNowPage(ctx: PageContext): void {
  ctx.main.innerHTML = html`<h1>Get help now</h1>
<p class="nhsuk-lede-text">If you feel you cannot keep yourself safe, or someone else is in danger, get help straight away. You do not need to wait for us.</p>
${crisisCard(undefined, 'Help you can get right now', 2)}
<h2>If it is not an emergency</h2>
<ul>
  <li>Talk to an adult you trust, like a parent, carer, teacher or school nurse.</li>
  <li>Speak to your GP. You can ask for an appointment on your own.</li>
  <li><a href="/ask">Ask us for help</a>. You can do this yourself, without a GP.</li>
</ul>
<h2>Text or call for free</h2>
<p>Calls to Childline and Samaritans are free and do not show on phone bills. Shout is a free text service: text SHOUT to 85258 at any time of day or night.</p>`.s;
}
