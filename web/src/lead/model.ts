// The clinical lead's page for the triage decision model: the live version, every stored
// version, uploading a DMN file as a draft, running the area's clinical cases against a
// version, publishing a draft (the server refuses while any case fails) and rolling back to
// an earlier live version. Other roles get 403 from the API and a plain message here.
import type { PageContext } from '../main';
import { ApiError, modelVersions, publishModel, testModel, uploadModel, type CaseReport, type ConfigVersion } from '../api';
import { button, errorSummary, summaryList, tag, textInput, type ErrorItem } from '../components';
import { $, $all, formatDateTime, html, type Raw } from '../dom';

function stateTag(v: ConfigVersion): Raw {
  if (v.live) return tag('Live', 'green');
  if (v.state === 'draft') return tag('Draft', 'blue');
  return tag('Earlier', 'grey');
}

function caseReport(r: CaseReport): Raw {
  return html`<div class="nhsuk-card" id="case-report">
  <div class="nhsuk-card__content">
    <h2 class="nhsuk-card__heading" id="case-report-heading" tabindex="-1">Clinical cases</h2>
    <p class="wm-token">Version ${r.modelVersion}</p>
    <p><strong>${r.passed} passed, ${r.failed} failed</strong></p>
    ${
      r.failed
        ? html`<div class="wm-table-scroll"><table class="nhsuk-table" id="failed-cases">
  <caption class="nhsuk-table__caption">Cases that fail</caption>
  <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
    <th scope="col" class="nhsuk-table__header">Case</th>
    <th scope="col" class="nhsuk-table__header">Expected and got</th>
  </tr></thead>
  <tbody class="nhsuk-table__body">
  ${r.failures.map(
    (f) => html`<tr class="nhsuk-table__row">
    <td class="nhsuk-table__cell">${f.name}<br><span class="nhsuk-body-s">${f.file}</span></td>
    <td class="nhsuk-table__cell">${f.failures.map((x) => html`${x}<br>`)}</td>
  </tr>`,
  )}
  </tbody>
</table></div>`
        : html`<p>Every case passes: this version may be published.</p>`
    }
  </div>
</div>`;
}

export async function modelPage(ctx: PageContext): Promise<void> {
  let notice = '';
  let errors: ErrorItem[] = [];
  let report: CaseReport | null = null;
  let focus: string | null = null;

  const actions = (v: ConfigVersion): Raw => {
    const form = (action: string, text: string) =>
      html`<form class="version-form wm-inline-form" data-version="${v.version}" data-action="${action}" novalidate>${button(text, { secondary: action !== 'publish' })}</form> `;
    return html`${form('test', 'Run cases')}${v.state === 'draft' ? form('publish', 'Publish') : ''}${
      v.state === 'retired' && v.publishedAt ? form('rollback', 'Roll back to this') : ''
    }`;
  };

  const draw = async () => {
    let data;
    try {
      data = await modelVersions();
    } catch (e) {
      ctx.main.innerHTML = html`<h1>Triage decision model</h1>
<p>${e instanceof ApiError && e.status === 403 ? 'Only a clinical lead can manage the decision model.' : e instanceof Error ? e.message : 'Could not load the versions.'}</p>`.s;
      return;
    }
    const live = data.versions.find((v) => v.live);
    const fileError = errors.find((e) => e.id === 'dmn-file')?.message;
    ctx.main.innerHTML = html`${errorSummary(errors)}
${notice ? html`<div class="nhsuk-inset-text" id="action-done" role="status" tabindex="-1"><span class="nhsuk-u-visually-hidden">Information: </span><p>${notice}</p></div>` : ''}
<h1 tabindex="-1">Triage decision model</h1>
<p>Every new referral is triaged by the live version. Upload a new version as a draft, run the clinical cases against it, and publish it when every case passes. You can roll back to an earlier live version at any time.</p>
<h2>Live version</h2>
${
  live
    ? summaryList([
        { key: 'Version', value: html`<span class="wm-token">${live.version}</span>` },
        { key: 'Made live', value: formatDateTime(live.publishedAt) },
        { key: 'From', value: live.origin === 'file' ? "The area's files" : 'An upload' },
      ])
    : html`<p>No version is live.</p>`
}
${report ? caseReport(report) : ''}
<h2>All versions</h2>
<div class="wm-table-scroll"><table class="nhsuk-table" id="versions-table">
  <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Versions of the decision model, newest first</caption>
  <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
    <th scope="col" class="nhsuk-table__header">Version</th>
    <th scope="col" class="nhsuk-table__header">State</th>
    <th scope="col" class="nhsuk-table__header">Added</th>
    <th scope="col" class="nhsuk-table__header">Actions</th>
  </tr></thead>
  <tbody class="nhsuk-table__body">
  ${data.versions.map(
    (v) => html`<tr class="nhsuk-table__row" data-version="${v.version}">
    <td class="nhsuk-table__cell wm-token">${v.version}${v.summary ? html`<br><span class="nhsuk-body-s">${v.summary}</span>` : ''}</td>
    <td class="nhsuk-table__cell">${stateTag(v)}</td>
    <td class="nhsuk-table__cell">${formatDateTime(v.createdAt)}</td>
    <td class="nhsuk-table__cell">${actions(v)}</td>
  </tr>`,
  )}
  </tbody>
</table></div>
<h2>Upload a new version</h2>
<form id="upload-form" novalidate>
  <div class="nhsuk-form-group${fileError ? ' nhsuk-form-group--error' : ''}">
    <label class="nhsuk-label" for="dmn-file">Decision model file</label>
    <div class="nhsuk-hint" id="dmn-file-hint">A DMN file (.dmn), for example exported from the decision table editor. It is checked and stored as a draft; nothing changes for referrals until you publish it.</div>
    ${fileError ? html`<span class="nhsuk-error-message" id="dmn-file-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${fileError}</span>` : ''}
    <input class="wm-file" id="dmn-file" name="dmn-file" type="file" accept=".dmn,.xml,application/xml,text/xml" aria-describedby="dmn-file-hint${fileError ? ' dmn-file-error' : ''}">
  </div>
  ${textInput({ id: 'note', label: 'What changed (optional)', hint: 'Kept with the version and in the audit log.' })}
  ${button('Upload as a draft')}
</form>`.s;

    for (const form of $all<HTMLFormElement>('form.version-form', ctx.main)) {
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const version = form.dataset.version!;
        const action = form.dataset.action!;
        errors = [];
        notice = '';
        focus = 'action-done';
        try {
          if (action === 'test') {
            report = await testModel(version);
            focus = 'case-report-heading';
          } else {
            const done = await publishModel(version, action === 'rollback', '');
            notice = `${action === 'rollback' ? 'Rolled back' : 'Published'}: ${done.version} is now live for every new referral (${done.cases.passed} cases passed).`;
            report = null;
          }
        } catch (e) {
          errors = [{ id: 'versions-table', message: e instanceof Error ? e.message : 'Something went wrong.' }];
          if (e instanceof ApiError && e.status === 409 && e.fields.length) {
            report = {
              modelVersion: version,
              directoryVersion: '',
              passed: 0,
              failed: e.fields.length,
              failures: e.fields.map((f) => ({ file: f.path.split(': ')[0], name: f.path.split(': ').slice(1).join(': '), failures: [f.message] })),
            };
            // The passed count is in the message; the table lists what failed.
            const m = /^(\d+) of (\d+)/.exec(e.message);
            if (m) report.passed = Number(m[2]) - Number(m[1]);
          }
          focus = 'error-summary';
        }
        await draw();
        document.getElementById(focus ?? 'action-done')?.focus();
      });
    }

    $('#upload-form', ctx.main)?.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const input = $('#dmn-file', ctx.main) as HTMLInputElement;
      const note = ($('#note', ctx.main) as HTMLInputElement).value.trim();
      const file = input.files?.[0];
      errors = [];
      notice = '';
      if (!file) {
        errors = [{ id: 'dmn-file', message: 'Choose a DMN file to upload' }];
      } else {
        try {
          const v = await uploadModel(file.name.endsWith('.dmn') ? file.name : 'triage.dmn', await file.text(), note);
          notice = v.created === false ? `That file is already stored as ${v.version}.` : `Uploaded as a draft: ${v.version}. Run the cases, then publish it.`;
        } catch (e) {
          errors = [{ id: 'dmn-file', message: e instanceof Error ? e.message : 'The file could not be uploaded.' }];
        }
      }
      report = null;
      await draw();
      document.getElementById(errors.length ? 'error-summary' : 'action-done')?.focus();
    });
  };
  await draw();
}
