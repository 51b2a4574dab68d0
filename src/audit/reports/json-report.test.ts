import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../baseline.ts';
import { auditJsonSchema, auditJsonSchemaDocument, auditJsonVersion } from './audit-json-schema.ts';
import { renderJsonReport } from './json-report.ts';
import { hostileAuditReport, hostileText, sampleAuditReport } from './sample-report.ts';

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS with its function on `default`
  (ajvFormats as unknown as { default: (ajv: Ajv2020) => void }).default(ajv);
  return ajv.compile(auditJsonSchemaDocument());
}

describe('renderJsonReport', () => {
  const report = sampleAuditReport();
  const json = renderJsonReport(report, { toolVersion: '0.1.0' });
  const parsed = JSON.parse(json) as Record<string, any>;

  it('validates against its zod schema and the published JSON Schema', () => {
    expect(auditJsonSchema.safeParse(parsed).success).toBe(true);
    const validate = validator();
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
  });

  it('names its format and generator', () => {
    expect(parsed.version).toBe(auditJsonVersion);
    expect(parsed.version).toBe('steadyops.dev/audit/v1');
    expect(parsed.generator).toEqual({ name: 'steadyops', version: '0.1.0' });
    expect(JSON.parse(renderJsonReport(report)).generator).toEqual({ name: 'steadyops' });
  });

  it('carries the run with its time and every finding with its fingerprint', () => {
    expect(parsed.run.at).toBe('2026-11-26T09:00:00.000Z');
    expect(parsed.run.findings).toHaveLength(17);
    expect(parsed.run.findings.map((finding: { fingerprint: string }) => finding.fingerprint)).toEqual(report.run.findings.map((finding) => finding.fingerprint));
    const accepted = parsed.run.findings.find((finding: { controlId: string }) => finding.controlId === 'RUN-010');
    expect(accepted.status).toBe('risk-accepted');
    expect(accepted.acceptance).toMatchObject({ acceptedBy: 'dana', expiresAt: '2027-01-31T00:00:00Z', seq: 8790 });
    expect(parsed.summary.bySeverity).toEqual({ low: 2, medium: 4, high: 8, critical: 1 });
    expect(parsed.comparison.fixed[0].controlId).toBe('RUN-001');
  });

  it('points backlog items at their findings by fingerprint', () => {
    const fingerprints = new Set(parsed.run.findings.map((finding: { fingerprint: string }) => finding.fingerprint));
    expect(parsed.backlog).toHaveLength(15);
    for (const item of parsed.backlog) {
      expect(fingerprints.has(item.fingerprint)).toBe(true);
      expect(item).not.toHaveProperty('finding');
    }
    expect(parsed.backlog[0]).toEqual({ ...report.backlog[0], finding: undefined, fingerprint: report.backlog[0]?.finding.fingerprint });
  });

  it('describes the catalog without its code', () => {
    expect(parsed.catalog).toHaveLength(report.catalog.length);
    expect(Object.keys(parsed.catalog[0]).sort()).toEqual(['detection', 'domain', 'effort', 'example', 'id', 'needs', 'remediation', 'risk', 'severity', 'soc2', 'title']);
  });

  it('can be read back as a later run’s --baseline', () => {
    const baseline = parseBaseline(json, 'previous.json');
    expect(baseline.at).toBe(report.run.at);
    expect(baseline.findings.map((finding) => finding.fingerprint)).toEqual(report.run.findings.map((finding) => finding.fingerprint));
    expect(baseline.fixedBefore).toEqual(report.comparison?.fixed.map((finding) => finding.fingerprint));
  });

  it('keeps hostile evidence as data, and drops fields the schema does not document', () => {
    const hostile = hostileAuditReport();
    const [first, ...rest] = hostile.run.findings;
    const withExtra = { ...hostile, run: { ...hostile.run, findings: [{ ...first!, internal: 'secret' } as typeof first & { internal: string }, ...rest] } };
    const out = JSON.parse(renderJsonReport(withExtra)) as Record<string, any>;
    expect(out.run.findings[0].evidence).toBe(hostileText);
    expect(out.run.findings[0]).not.toHaveProperty('internal');
    expect(validator()(out)).toBe(true);
  });
});
