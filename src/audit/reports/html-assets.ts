import { createHash } from 'node:crypto';

/** The report's whole stylesheet: system fonts only, severity colours, print rules. */
export const reportCss = `
:root { --critical: #8e0e2c; --high: #d93025; --medium: #e37400; --low: #1a73e8; --ok: #188038; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 8px; }
p.meta, .muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; overflow-wrap: anywhere; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 10px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: var(--panel); }
.tile .value { display: block; font-size: 26px; font-weight: 700; }
.tile .label { color: var(--muted); }
.tile.sev-critical .value { color: var(--critical); } .tile.sev-high .value { color: var(--high); }
.tile.sev-medium .value { color: var(--medium); } .tile.sev-low .value { color: var(--low); }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
figure.chart { margin: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
figure.chart svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
figure.chart svg text.value { fill: var(--muted); }
rect.bar { fill: #8c959f; }
rect.sev-critical, .badge.sev-critical { fill: var(--critical); background: var(--critical); }
rect.sev-high, .badge.sev-high { fill: var(--high); background: var(--high); }
rect.sev-medium, .badge.sev-medium { fill: var(--medium); background: var(--medium); }
rect.sev-low, .badge.sev-low { fill: var(--low); background: var(--low); }
rect.domain { fill: #57606a; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; }
td.evidence { overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.badge.level-none { background: #8c959f; } .badge.level-bronze { background: #a15c2f; }
.badge.level-silver { background: #6e7f8d; } .badge.level-gold { background: #b08800; }
.badge.status { background: #6639ba; }
.trend { white-space: nowrap; } .trend-up { color: var(--ok); } .trend-down { color: var(--high); }
.matrix { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin-bottom: 10px; }
.matrix div { border: 1px solid var(--line); border-radius: 8px; padding: 8px; color: var(--muted); }
.matrix div.chosen { border: 2px solid var(--ink); color: var(--ink); font-weight: 700; }
fieldset.filter { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 12px; }
fieldset.filter label { margin-right: 14px; }
ul.plain { padding-left: 18px; margin: 0; }
figure.ownership-map { margin: 0 0 8px; overflow-x: auto; }
@media screen { tr.filtered, section.filtered { display: none; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  fieldset.filter { display: none; }
  h2 { break-after: avoid; }
  tr, .tile, figure.chart { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** Shows the severity filter (hidden without script) and hides rows of unticked severities. */
export const reportScript = `
(function () {
  var filter = document.getElementById('severity-filter');
  if (!filter) return;
  filter.hidden = false;
  var boxes = Array.prototype.slice.call(filter.querySelectorAll('input[type=checkbox]'));
  function apply() {
    var shown = {};
    boxes.forEach(function (box) { shown[box.value] = box.checked; });
    document.querySelectorAll('tr.finding').forEach(function (row) {
      row.classList.toggle('filtered', !shown[row.getAttribute('data-severity')]);
    });
    document.querySelectorAll('section.domain').forEach(function (section) {
      section.classList.toggle('filtered', section.querySelectorAll('tr.finding:not(.filtered)').length === 0);
    });
  }
  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  apply();
})();
`;

/** `'sha256-...'` for a Content-Security-Policy source list. */
export function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}

/** Nothing may load from anywhere: only this document's own style and script, by hash. */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `style-src ${cspHash(reportCss)}`,
    `script-src ${cspHash(reportScript)}`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
