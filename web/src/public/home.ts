// Home: what this is, who it is for, and the ways in.
import type { PageContext } from '../main';
import { crisisCard } from '../components';
import { html } from '../dom';

export function homePage(ctx: PageContext): void {
  ctx.main.innerHTML = html`<h1>Get help with your mental health</h1>
<p class="nhsuk-lede-text">Waymark is one place to ask for help with feelings, worries and mental health, for anyone aged up to 25.</p>
<p>You can use it if you are a young person, a parent or carer, or a professional such as a GP, teacher or social worker. You do not need to see a GP first.</p>
${crisisCard(undefined, 'Get help now', 2)}
<h2>What would you like to do?</h2>
<ul class="nhsuk-grid-row nhsuk-card-group">
  <li class="nhsuk-grid-column-one-half nhsuk-card-group__item">
    <div class="nhsuk-card nhsuk-card--clickable">
      <div class="nhsuk-card__content">
        <h3 class="nhsuk-card__heading nhsuk-heading-m"><a class="nhsuk-card__link" href="/ask">Ask for help</a></h3>
        <p class="nhsuk-card__description">Tell us what is going on. We will read it and find the right help with you.</p>
      </div>
    </div>
  </li>
  <li class="nhsuk-grid-column-one-half nhsuk-card-group__item">
    <div class="nhsuk-card nhsuk-card--clickable">
      <div class="nhsuk-card__content">
        <h3 class="nhsuk-card__heading nhsuk-heading-m"><a class="nhsuk-card__link" href="/information">Read about feelings and worries</a></h3>
        <p class="nhsuk-card__description">Short guides on anxiety, low mood, exam stress, bullying, sleep and more.</p>
      </div>
    </div>
  </li>
  <li class="nhsuk-grid-column-one-half nhsuk-card-group__item">
    <div class="nhsuk-card nhsuk-card--clickable">
      <div class="nhsuk-card__content">
        <h3 class="nhsuk-card__heading nhsuk-heading-m"><a class="nhsuk-card__link" href="/find-a-service">Find a service</a></h3>
        <p class="nhsuk-card__description">See the services near you, who they are for and how to reach them.</p>
      </div>
    </div>
  </li>
  <li class="nhsuk-grid-column-one-half nhsuk-card-group__item">
    <div class="nhsuk-card nhsuk-card--clickable">
      <div class="nhsuk-card__content">
        <h3 class="nhsuk-card__heading nhsuk-heading-m"><a class="nhsuk-card__link" href="/track">Track a request</a></h3>
        <p class="nhsuk-card__description">Already asked for help? Use your reference to see what is happening.</p>
      </div>
    </div>
  </li>
</ul>
<h2>Who this is for</h2>
<ul>
  <li>young people aged about 11 to 25</li>
  <li>parents and carers worried about a child</li>
  <li>professionals who want to refer a child or young person</li>
</ul>`.s;
}
