import type { AuditReport } from '../audit-report.ts';
import { renderGithubReport } from './github-report.ts';
import { renderHtmlReport } from './html-report.ts';
import { renderJsonReport } from './json-report.ts';
import { renderMarkdownReport } from './markdown-report.ts';
import { renderSarifReport } from './sarif-report.ts';
import { renderTextReport } from './text-report.ts';

export const auditFormats = ['text', 'markdown', 'html', 'json', 'sarif', 'github'] as const;
export type AuditFormat = (typeof auditFormats)[number];

export interface AuditRenderOptions {
  /** ANSI colours in the text report */
  readonly color?: boolean;
  /** steadyops' version, written into the JSON and SARIF reports */
  readonly toolVersion?: string;
  /** the audited folder relative to the repository root (e.g. `examples/demo`), for SARIF and GitHub paths */
  readonly pathPrefix?: string;
}

/** The audit report in one format; pure: the same report gives the same bytes. */
export function renderAuditReport(report: AuditReport, format: AuditFormat, options: AuditRenderOptions = {}): string {
  switch (format) {
    case 'text':
      return renderTextReport(report, options);
    case 'markdown':
      return renderMarkdownReport(report);
    case 'html':
      return renderHtmlReport(report);
    case 'json':
      return renderJsonReport(report, options);
    case 'sarif':
      return renderSarifReport(report, options);
    case 'github':
      return renderGithubReport(report, options);
  }
}
