// The information library: an index of topics and one page per topic with the directory's
// services that help with it.
import type { PageContext } from '../main';
import { services, type Service } from '../api';
import { backLink } from '../components';
import { html } from '../dom';
import { TOPICS } from './topics';
import { serviceCard } from './find';

export function infoIndexPage(ctx: PageContext): void {
  ctx.main.innerHTML = html`<h1>Information about feelings and worries</h1>
<p class="nhsuk-lede-text">Short guides written for young people. Parents and carers can read them too.</p>
<ul class="nhsuk-list nhsuk-list--border">
  ${TOPICS.map((t) => html`<li><a href="/information/${t.slug}">${t.title}</a><br><span class="nhsuk-body-s">${t.summary}</span></li>`)}
</ul>`.s;
}

export async function infoTopicPage(ctx: PageContext): Promise<void> {
  const t = TOPICS.find((x) => x.slug === ctx.params.slug);
  if (!t) {
    ctx.main.innerHTML = html`<h1>Page not found</h1><p><a href="/information">See all topics</a></p>`.s;
    return;
  }
  let list: Service[] = [];
  let failed = false;
  try {
    const seen = new Set<string>();
    for (const need of t.needs) {
      for (const s of (await services({ need })).services) {
        if (!seen.has(s.id)) {
          seen.add(s.id);
          list.push(s);
        }
      }
    }
  } catch {
    failed = true;
  }
  ctx.main.innerHTML = html`${backLink('/information', 'All topics')}
<h1>${t.title}</h1>
<p class="nhsuk-lede-text">${t.summary}</p>
${t.body.map(
  (b) => html`<h2>${b.heading}</h2>
${(b.paras ?? []).map((p) => html`<p>${p}</p>`)}
${b.list ? html`<ul>${b.list.map((i) => html`<li>${i}</li>`)}</ul>` : ''}`,
)}
<h2>Services that can help</h2>
${
  failed
    ? html`<p>We could not load the services just now. <a href="/find-a-service">Find a service</a> instead.</p>`
    : list.length
      ? html`<p>These services in your area help with this. Some you can contact yourself; for others, <a href="/ask">ask us for help</a>.</p>
${list.map((s) => serviceCard(s, 3))}`
      : html`<p>There are no services listed for this yet. You can <a href="/ask">ask us for help</a>.</p>`
}`.s;
}
