import { html, type SafeHtml } from './html-markup.ts';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** CSS class that colours the bar, e.g. `sev-high` */
  readonly tone: string;
}

const width = 540;
const labelWidth = 130;
const valueWidth = 40;
const rowHeight = 24;
const barHeight = 16;

/** A horizontal bar chart as inline SVG, drawn here so the report loads nothing and needs no script. */
export function barChart(id: string, title: string, bars: readonly Bar[]): SafeHtml {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const scale = (width - labelWidth - valueWidth) / max;
  const height = bars.length * rowHeight + 8;
  const rows = bars.map((bar, i) => {
    const y = 4 + i * rowHeight;
    const barWidth = Math.round(bar.value * scale * 10) / 10;
    return html`<g class="row">
<text class="label" x="${labelWidth - 8}" y="${y + barHeight - 3}" text-anchor="end">${bar.label}</text>
<rect class="bar ${bar.tone}" x="${labelWidth}" y="${y}" width="${barWidth}" height="${barHeight}" rx="2"><title>${bar.label}: ${bar.value}</title></rect>
<text class="value" x="${labelWidth + barWidth + 6}" y="${y + barHeight - 3}">${bar.value}</text>
</g>`;
  });
  return html`<figure class="chart">
<figcaption id="${id}-title">${title}</figcaption>
<svg id="${id}" data-chart="${id}" role="img" aria-labelledby="${id}-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
${rows}
</svg>
</figure>`;
}
