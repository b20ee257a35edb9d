// Charts drawn as markup from escaped strings: SVG for the shapes, and every word and number
// in text beside them, so a chart reflows on a phone, reads well with a screen reader and
// needs no inline style (the Content-Security-Policy forbids style attributes; SVG geometry
// attributes such as width and x are not styles). No chart relies on colour: every bar and
// column carries its figure in words, a goal is a marked line named in the text, and planned
// figures are drawn as outlines beside solid actual figures. A table with the same figures
// always follows a chart (dashboard.ts).
import { html, raw, type Raw } from '../dom';

/** A published figure: a number after disclosure control, or "*" (fewer than 5). */
export type Figure = number | string;

export function formatFigure(v: Figure, unit = ''): string {
  if (typeof v !== 'number') return String(v);
  return v.toLocaleString('en-GB') + unit;
}

const num = (v: Figure): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A round number at or above `max`, for an axis (1, 2 or 5 times a power of ten). */
export function niceMax(max: number): number {
  if (max <= 0) return 10;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

// Geometry is written with at most two decimals so the markup stays small and stable.
const r2 = (x: number) => String(Math.round(x * 100) / 100);

export interface Bar {
  label: string;
  value: Figure;
  /** Words after the figure, e.g. "seen within 4 weeks (goal 95%)". */
  note?: string;
  /** A goal on the same scale, drawn as a line across the bar's track. */
  goal?: number;
  /** Drawn as an outline (a planned figure) instead of solid. */
  planned?: boolean;
}

/**
 * Horizontal bars as a list: the label, then the bar and its figure. The bars are
 * decorative (aria-hidden); the text carries the figures.
 */
export function barChart(o: { id: string; caption: string; bars: Bar[]; unit?: string; max?: number }): Raw {
  const max = o.max ?? niceMax(Math.max(0, ...o.bars.map((b) => num(b.value))));
  const item = (b: Bar) => {
    const w = Math.min(100, (100 * num(b.value)) / max);
    const goal =
      b.goal !== undefined
        ? raw(`<line class="wm-bar__goal" x1="${r2((100 * b.goal) / max)}" x2="${r2((100 * b.goal) / max)}" y1="0" y2="10" vector-effect="non-scaling-stroke"/>`)
        : '';
    const shape = b.planned
      ? raw(`<rect class="wm-bar__planned" x="0.5" y="0.5" width="${r2(Math.max(0, w - 1))}" height="9" vector-effect="non-scaling-stroke"/>`)
      : raw(`<rect class="wm-bar__fill" x="0" y="0" width="${r2(w)}" height="10"/>`);
    return html`<li class="wm-bar">
  <span class="wm-bar__label">${b.label}</span>
  <span class="wm-bar__row"><svg class="wm-bar__track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="wm-bar__back" x="0" y="0" width="100" height="10"/>${shape}${goal}</svg>
  <span class="wm-bar__value">${formatFigure(b.value, o.unit)}${b.note ? html` <span class="wm-bar__note">${b.note}</span>` : ''}</span></span>
</li>`;
  };
  return html`<figure class="wm-chart" id="${o.id}-chart">
  <figcaption class="wm-chart__caption">${o.caption}</figcaption>
  <ul class="wm-bars">${o.bars.map(item)}</ul>
</figure>`;
}

/**
 * A column per period (a time series), with the figure above each column and the period
 * below. One SVG with a text alternative; "*" periods have no column, only the "*".
 */
export function columnChart(o: { id: string; caption: string; columns: { label: string; sublabel?: string; value: Figure }[] }): Raw {
  const n = Math.max(1, o.columns.length);
  const step = 64;
  const left = 76;
  const top = 40;
  const height = 200;
  const width = left + n * step + 8;
  const max = niceMax(Math.max(0, ...o.columns.map((c) => num(c.value))));
  const y = (v: number) => top + height - (height * v) / max;
  const parts: string[] = [];
  for (const t of [0, max / 2, max]) {
    parts.push(`<line class="wm-columns__grid" x1="${left}" x2="${width - 4}" y1="${r2(y(t))}" y2="${r2(y(t))}"/>`);
    parts.push(`<text class="wm-columns__axis" x="${left - 8}" y="${r2(y(t) + 9)}" text-anchor="end">${formatFigure(t)}</text>`);
  }
  o.columns.forEach((c, i) => {
    const x = left + i * step + 8;
    const v = num(c.value);
    if (typeof c.value === 'number' && v > 0) {
      parts.push(`<rect class="wm-columns__bar" x="${x}" y="${r2(y(v))}" width="${step - 16}" height="${r2(top + height - y(v))}"/>`);
    }
    const labelY = typeof c.value === 'number' && v > 0 ? y(v) - 8 : top + height - 8;
    parts.push(`<text class="wm-columns__value" x="${x + (step - 16) / 2}" y="${r2(labelY)}" text-anchor="middle">${escapeSvg(formatFigure(c.value))}</text>`);
    parts.push(`<text class="wm-columns__label" x="${x + (step - 16) / 2}" y="${top + height + 30}" text-anchor="middle">${escapeSvg(c.label)}</text>`);
    if (c.sublabel) {
      parts.push(`<text class="wm-columns__year" x="${x + (step - 16) / 2}" y="${top + height + 58}" text-anchor="middle">${escapeSvg(c.sublabel)}</text>`);
    }
  });
  return html`<figure class="wm-chart" id="${o.id}-chart">
  <figcaption class="wm-chart__caption">${o.caption}</figcaption>
  <svg class="wm-columns" viewBox="0 0 ${width} ${top + height + 68}" role="img" aria-label="${o.caption}. The figures are in the table below." focusable="false">${raw(parts.join(''))}</svg>
</figure>`;
}

function escapeSvg(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
