import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../audit-report.ts';
import { artifactUri, renderSarifReport, type SarifOptions } from './sarif-report.ts';
import { officialSarifSchema } from './sarif-schema.ts';
import { hostileAuditReport, hostileText, sampleAuditReport } from './sample-report.ts';

const validate = (() => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS with its function on `default`
  (ajvFormats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
  return ajv.compile(officialSarifSchema());
})();

function sarif(report: AuditReport, options: SarifOptions = {}) {
  return JSON.parse(renderSarifReport(report, options)) as Record<string, any>;
}

describe('renderSarifReport', () => {
  const report = sampleAuditReport();
  const log = sarif(report, { toolVersion: '0.1.0' });
  const run = log.runs[0];

  it('is valid SARIF 2.1.0 against the official JSON schema', () => {
    expect(log.version).toBe('2.1.0');
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    expect(validate(sarif(report, { pathPrefix: 'examples/demo' }))).toBe(true);
    const broken = structuredClone(log);
    delete broken.runs[0].results[0].message;
    expect(validate(broken)).toBe(false);
  });

  it('names steadyops and its version', () => {
    expect(run.tool.driver).toMatchObject({ name: 'steadyops', version: '0.1.0', semanticVersion: '0.1.0' });
    expect(sarif(report).runs[0].tool.driver.version).toBeUndefined();
  });

  it('has one rule per catalog control, with its title, risk, remediation, example, tags and severities', () => {
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(report.catalog.map((control) => control.id));
    const control = report.catalog.find((candidate) => candidate.id === 'ACC-020');
    const rule = run.tool.driver.rules.find((candidate: { id: string }) => candidate.id === 'ACC-020');
    expect(rule).toMatchObject({
      name: 'PrivateKeyCommittedToTheRepository',
      shortDescription: { text: control?.title },
      fullDescription: { text: control?.risk },
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5', tags: ['access', 'security', ...(control?.soc2 ?? []).map((criterion) => `soc2-${criterion}`)] },
    });
    expect(rule.help.text).toContain(control?.remediation);
    expect(rule.help.text).toContain(control?.example);
    expect(rule.help.markdown).toContain(`\`\`\`\n${control?.example}\n\`\`\``);
    const bySeverity = (id: string) => run.tool.driver.rules.find((candidate: { id: string }) => candidate.id === id);
    expect(bySeverity('REL-001').properties['security-severity']).toBe('8.0');
    expect(bySeverity('DOC-002').defaultConfiguration.level).toBe('warning');
    expect(bySeverity('DOC-002').properties['security-severity']).toBe('5.5');
    expect(bySeverity('RUN-002').defaultConfiguration.level).toBe('note');
    expect(bySeverity('RUN-002').properties['security-severity']).toBe('3.0');
    expect(bySeverity('RUN-002').properties.tags).not.toContain('security');
  });

  it('reports every finding that has a file, on its line, with its fingerprint', () => {
    expect(run.results).toHaveLength(16);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    const pdb = run.results.find((result: { ruleId: string }) => result.ruleId === 'RUN-011');
    const finding = report.run.findings.find((candidate) => candidate.controlId === 'RUN-011');
    expect(pdb).toMatchObject({
      level: 'error',
      message: { text: 'payments-gateway is tier 1 and no PodDisruptionBudget selects its pods.' },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'k8s/payments-gateway.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } },
          logicalLocations: [{ fullyQualifiedName: 'Deployment payments/payments-gateway', kind: 'resource' }],
        },
      ],
      partialFingerprints: { 'steadyops/v1': finding?.fingerprint },
    });
    expect(pdb).not.toHaveProperty('suppressions');
    const fileOnly = run.results.find((result: { ruleId: string }) => result.ruleId === 'DB-004');
    expect(fileOnly.locations[0].physicalLocation.region).toEqual({ startLine: 1 });
    expect(fileOnly.level).toBe('note');
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///home/ci/acme/platform/');
  });

  it('suppresses risk-accepted findings with the approver’s reason', () => {
    const suppressed = run.results.filter((result: { suppressions?: unknown }) => result.suppressions);
    expect(suppressed.map((result: { ruleId: string }) => result.ruleId).sort()).toEqual(['REL-012', 'RUN-010']);
    expect(suppressed.find((result: { ruleId: string }) => result.ruleId === 'RUN-010').suppressions).toEqual([
      { kind: 'external', justification: 'One replica until sessions move to Redis (INFRA-231)', properties: { acceptedBy: 'dana', expiresAt: '2027-01-31T00:00:00Z' } },
    ]);
  });

  it('leaves findings without a file out of results (code scanning rejects them) and says so', () => {
    expect(run.results.some((result: { ruleId: string }) => result.ruleId === 'ACC-001')).toBe(false);
    const notes = run.invocations[0].toolExecutionNotifications;
    const note = notes.find((notification: { level: string }) => notification.level === 'note');
    expect(note.message.text).toMatch(/^1 finding has no file location and is not in results .*: ACC-001 Credential deploy-bot-token$/);
    expect(notes.filter((notification: { level: string }) => notification.level === 'warning')).toHaveLength(2);
  });

  it('prefixes paths with the audited folder when it is not the repository root', () => {
    const prefixed = sarif(report, { pathPrefix: 'examples/demo' }).runs[0];
    expect(prefixed.results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^examples\/demo\//);
    expect(prefixed).not.toHaveProperty('originalUriBaseIds');
  });

  it('keeps hostile text as data and encodes hostile paths as URI references', () => {
    const hostile = sarif(hostileAuditReport());
    expect(validate(hostile), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const result = hostile.runs[0].results.find((candidate: { ruleId: string }) => candidate.ruleId === 'ACC-001');
    expect(result.message.text).toBe(hostileText);
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('evil%2Cdir/a%3Ab%25c%20%3Cx%3E.yaml');
    expect(artifactUri('./k8s\\a b.yaml', 'examples/demo/')).toBe('examples/demo/k8s/a%20b.yaml');
  });
});
