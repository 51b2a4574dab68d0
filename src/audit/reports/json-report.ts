import type { AuditReport } from '../audit-report.ts';
import { type AuditJson, auditJsonSchema, auditJsonVersion } from './audit-json-schema.ts';

/**
 * The report as JSON (`steadyops.dev/audit/v1`, schema in docs/audit-report.schema.json). Parsing
 * through the schema keeps exactly the documented fields, so what is written is what is documented;
 * a later run reads `run.at` and `run.findings` back as its `--baseline`.
 */
export function renderJsonReport(report: AuditReport, options: { readonly toolVersion?: string } = {}): string {
  return `${JSON.stringify(auditJson(report, options.toolVersion), null, 2)}\n`;
}

export function auditJson(report: AuditReport, toolVersion?: string): AuditJson {
  return auditJsonSchema.parse({
    version: auditJsonVersion,
    generator: { name: 'steadyops', ...(toolVersion ? { version: toolVersion } : {}) },
    run: report.run,
    summary: report.summary,
    backlog: report.backlog.map(({ finding, ...item }) => ({ ...item, fingerprint: finding.fingerprint })),
    scorecards: report.scorecards,
    operatingModel: report.operatingModel,
    ...(report.comparison ? { comparison: report.comparison } : {}),
    catalog: report.catalog,
  });
}
