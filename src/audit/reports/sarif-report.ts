import { pathToFileURL } from 'node:url';
import type { AuditReport } from '../audit-report.ts';
import type { Control, Severity } from '../control.ts';
import type { AuditWarning, SourceLocation } from '../facts.ts';
import type { Finding } from '../run-audit.ts';
import { codeFence, repositoryPath } from './report-parts.ts';

export interface SarifOptions {
  /** steadyops' version, for tool.driver.version */
  readonly toolVersion?: string;
  /** the audited folder relative to the repository root (e.g. `examples/demo`), prefixed to every path */
  readonly pathPrefix?: string;
}

type SarifLevel = 'error' | 'warning' | 'note';

const levels: Readonly<Record<Severity, SarifLevel>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

/** GitHub code scanning's scale: 9.0+ critical, 7.0+ high, 4.0+ medium, above 0 low. */
const securitySeverity: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

const srcRoot = '%SRCROOT%';

/**
 * SARIF 2.1.0 for GitHub code scanning and SARIF viewers. Rules are the whole catalog; results are
 * the open and risk-accepted findings (the latter with an external, accepted suppression).
 *
 * Code scanning rejects a whole upload when one result has no location, so a finding with no file
 * (evidence from the ledger alone, e.g. a shared credential) is left out of `results` and listed in
 * a tool notification instead; the other formats carry it. A finding on a file without a line
 * points at line 1. Controls about SOC 2 logical access (CC6.x) and the access domain are tagged
 * `security`, which is what makes code scanning show their security severity.
 */
export function renderSarifReport(report: AuditReport, options: SarifOptions = {}): string {
  const rules = report.catalog.map(rule);
  const ruleIndex = new Map(report.catalog.map((control, index) => [control.id, index]));
  const located = report.run.findings.filter((finding) => finding.location !== undefined);
  const unlocated = report.run.findings.filter((finding) => finding.location === undefined);
  const log = {
    $schema: 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'steadyops',
            ...(options.toolVersion ? { version: options.toolVersion, semanticVersion: options.toolVersion } : {}),
            rules,
          },
        },
        ...(options.pathPrefix ? {} : { originalUriBaseIds: { [srcRoot]: { uri: pathToFileURL(`${report.run.root.replace(/\/*$/, '')}/`).href } } }),
        invocations: [
          {
            executionSuccessful: true,
            endTimeUtc: report.run.at,
            toolExecutionNotifications: [
              ...report.run.warnings.map((warning) => warningNotification(warning, options)),
              ...(unlocated.length > 0 ? [unlocatedNotification(unlocated)] : []),
            ],
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: located.map((finding) => result(finding, ruleIndex.get(finding.controlId), options)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function rule(control: Control): Record<string, unknown> {
  const fence = codeFence(control.example);
  const security = control.domain === 'access' || control.soc2.some((criterion) => criterion.startsWith('CC6.'));
  return {
    id: control.id,
    name: pascalCase(control.title),
    shortDescription: { text: control.title },
    fullDescription: { text: control.risk },
    help: {
      text: `${control.remediation}\n\nExample:\n${control.example}\n\nDetection: ${control.detection}`,
      markdown: `${control.remediation}\n\n**Example**\n\n${fence}\n${control.example}\n${fence}\n\n**Detection:** ${control.detection}\n\n**SOC 2:** ${control.soc2.join(', ')} · **Effort:** ${control.effort}`,
    },
    defaultConfiguration: { level: levels[control.severity] },
    properties: {
      tags: [control.domain, ...(security ? ['security'] : []), ...control.soc2.map((criterion) => `soc2-${criterion}`)],
      'security-severity': securitySeverity[control.severity],
      severity: control.severity,
      effort: control.effort,
    },
  };
}

function result(finding: Finding, ruleIndex: number | undefined, options: SarifOptions): Record<string, unknown> {
  return {
    ruleId: finding.controlId,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: levels[finding.severity],
    message: { text: finding.evidence },
    locations: [{ ...physicalLocation(finding.location as SourceLocation, options), logicalLocations: [{ fullyQualifiedName: finding.resource, kind: 'resource' }] }],
    partialFingerprints: { 'steadyops/v1': finding.fingerprint },
    ...(finding.status === 'risk-accepted'
      ? {
          suppressions: [
            {
              kind: 'external',
              justification: finding.acceptance?.reason ?? 'risk accepted',
              ...(finding.acceptance ? { properties: { acceptedBy: finding.acceptance.acceptedBy, expiresAt: finding.acceptance.expiresAt } } : {}),
            },
          ],
        }
      : {}),
    properties: {
      resource: finding.resource,
      domain: finding.domain,
      severity: finding.severity,
      ...(finding.service ? { service: finding.service } : {}),
      ...(finding.team ? { team: finding.team } : {}),
    },
  };
}

function physicalLocation(location: SourceLocation, options: SarifOptions): Record<string, unknown> {
  return {
    physicalLocation: {
      artifactLocation: { uri: artifactUri(location.file, options.pathPrefix), uriBaseId: srcRoot },
      region: { startLine: location.line ?? 1, ...(location.column ? { startColumn: location.column } : {}) },
    },
  };
}

function warningNotification(warning: AuditWarning, options: SarifOptions): Record<string, unknown> {
  return { level: 'warning', message: { text: warning.message }, locations: [physicalLocation(warning.location, options)] };
}

function unlocatedNotification(findings: readonly Finding[]): Record<string, unknown> {
  const list = findings.map((finding) => `${finding.controlId} ${finding.resource}`).join('; ');
  return {
    level: 'note',
    message: { text: `${findings.length} finding${findings.length === 1 ? ' has' : 's have'} no file location and ${findings.length === 1 ? 'is' : 'are'} not in results (code scanning needs a location); the text, HTML and JSON reports list them: ${list}` },
  };
}

/** A relative URI reference: each path segment percent-encoded, so `a:b` or `%` cannot read as a scheme or an escape. */
export function artifactUri(file: string, prefix?: string): string {
  return repositoryPath(file, prefix).split('/').map(encodeURIComponent).join('/');
}

function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
