import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from './html-markup.ts';
import { renderHtmlReport } from './html-report.ts';
import { hostileAuditReport, sampleAuditReport } from './sample-report.ts';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

function between(text: string, open: string, close: string): string[] {
  return text.split(open).slice(1).map((part) => part.slice(0, part.indexOf(close)));
}

describe('renderHtmlReport', () => {
  const page = renderHtmlReport(sampleAuditReport());

  it('is one document with its only style and script inline', () => {
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(page.match(/<style>/g)).toHaveLength(1);
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).not.toMatch(/\s(src|href|srcset|action|data|poster)=/i);
    expect(page).not.toMatch(/@import|url\(/);
  });

  it('forbids every remote load in its Content-Security-Policy, allowing its own style and script by hash', () => {
    const csp = page.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("img-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const [style] = between(page, '<style>', '</style>');
    const [script] = between(page, '<script>', '</script>');
    expect(csp).toContain(`style-src ${sha256(style ?? '')}`);
    expect(csp).toContain(`script-src ${sha256(script ?? '')}`);
  });

  it('has the summary, both charts, the backlog by milestone, scorecards, the operating model, findings and warnings', () => {
    for (const id of ['summary', 'charts', 'backlog', 'scorecards', 'operating-model', 'comparison', 'findings', 'warnings']) expect(page).toContain(`<section id="${id}">`);
    const severityBars = between(page, 'data-chart="chart-severity"', '</svg>')[0]?.match(/<rect class="bar/g);
    const domainBars = between(page, 'data-chart="chart-domain"', '</svg>')[0]?.match(/<rect class="bar/g);
    expect(severityBars).toHaveLength(4);
    expect(domainBars).toHaveLength(10);
    expect(page.match(/<tr class="backlog-item">/g)).toHaveLength(15);
    expect([...page.matchAll(/data-milestone="(\w+)"/g)].map((match) => match[1])).toEqual(['stabilize', 'measure', 'document']);
    expect(page.match(/<tr class="finding" data-severity="/g)).toHaveLength(17);
    expect(page.match(/<tr class="scorecard">/g)).toHaveLength(6);
    expect(page).toContain('<strong data-recommended="fractional-sre-ownership">Fractional SRE ownership</strong>');
  });

  it('renders the same bytes for the same report', () => {
    expect(renderHtmlReport(sampleAuditReport())).toBe(page);
  });

  it('escapes every string from the report', () => {
    const hostile = renderHtmlReport(hostileAuditReport());
    expect(hostile.match(/<script/g)).toHaveLength(1);
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('</td><script>');
    expect(hostile).toContain('&lt;/td&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;');
    expect(hostile).toContain('<code>evil,dir/a:b%c &lt;x&gt;.yaml:3</code>');
    expect(hostile).toContain('&lt;b&gt;x&lt;/b&gt;.yaml');
    expect(hostile).not.toContain('\u001b');
  });
});

describe('html', () => {
  it('escapes interpolated values unless they are markup it built, and joins arrays', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x" & \'y\''}">${inner}${['<', html`<br>`]}${undefined}${false}${0}</p>`.value).toBe(
      '<p title="&quot;x&quot; &amp; &#39;y&#39;"><b>&lt;i&gt;</b>&lt;<br>0</p>',
    );
  });

  it('turns control characters into replacement characters', () => {
    expect(escapeHtml('a\u001b[31m\u0000b\tc\nd')).toBe('a\ufffd[31m\ufffdb\tc\nd');
  });
});
