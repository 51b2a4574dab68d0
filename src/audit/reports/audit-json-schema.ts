import { z } from 'zod';
import { milestones, operatingModels } from '../audit-report.ts';
import { domains, severities } from '../control.ts';

/** The JSON report's format; a reader checks it before anything else. */
export const auditJsonVersion = 'steadyops.dev/audit/v1';

const timestamp = z.iso.datetime({ offset: true }).describe('RFC 3339 time');
const severity = z.enum(severities);
const domain = z.enum(domains);
const effort = z.enum(['S', 'M', 'L']).describe('S: hours, M: days, L: weeks');
const maturity = z.enum(['none', 'bronze', 'silver', 'gold']);
const count = z.int().nonnegative();
const bySeverity = z.record(severity, count);

const location = z
  .object({
    file: z.string().describe('relative to the audited folder, with / separators'),
    line: z.int().positive().optional(),
    column: z.int().positive().optional(),
  })
  .meta({ id: 'AuditLocation', description: 'where it is; line and column are 1-based' });

const acceptance = z
  .object({
    fingerprint: z.string(),
    acceptedBy: z.string(),
    reason: z.string(),
    expiresAt: timestamp,
    seq: z.int().nonnegative().optional().describe('ledger sequence number of the acceptance event'),
  })
  .meta({ id: 'AuditRiskAcceptance', description: "an approver's decision to live with the finding until it expires" });

const finding = z
  .object({
    fingerprint: z.string().describe('control + resource + file: the same finding keeps it across runs'),
    controlId: z.string().describe('e.g. REL-001; see docs/controls.md'),
    title: z.string(),
    domain,
    severity,
    effort,
    status: z.enum(['open', 'risk-accepted']),
    resource: z.string().describe('what is wrong, e.g. `Deployment payments/checkout-api`'),
    location: location.optional(),
    evidence: z.string().describe('the facts that show it; text from the scanned repository, untrusted'),
    service: z.string().optional().describe('the model service it belongs to'),
    team: z.string().optional().describe('the owning team'),
    acceptance: acceptance.optional(),
  })
  .meta({ id: 'AuditFinding', description: 'one finding of one control about one resource' });

const controlOutcome = z.object({
  id: z.string(),
  status: z.enum(['pass', 'fail', 'not-applicable']),
  findings: count,
  reason: z.string().optional().describe('why the control did not apply'),
});

const control = z
  .object({
    id: z.string(),
    title: z.string(),
    domain,
    severity,
    risk: z.string(),
    detection: z.string(),
    remediation: z.string(),
    example: z.string(),
    effort,
    soc2: z.array(z.string()).describe('SOC 2 (2017 Trust Services Criteria), e.g. CC8.1'),
    needs: z.array(z.string()).describe('facts the control reads: model, ledger, kubernetes, workflows, ...'),
  })
  .meta({ id: 'AuditControl', description: 'a control of the catalog' });

const backlogItem = z
  .object({
    rank: z.int().positive(),
    fingerprint: z.string().describe('the open finding, in run.findings'),
    milestone: z.enum(milestones),
    priority: z.number().describe('severity weight x blast radius x likelihood / effort'),
    factors: z.object({ severityWeight: z.number(), blastRadius: z.number(), likelihood: z.number(), effortWeight: z.number() }),
    why: z.string().describe('why it sits where it does, in one sentence'),
  })
  .meta({ id: 'AuditBacklogItem', description: 'one open finding in the prioritized reliability backlog' });

const scorecard = z.object({
  kind: z.enum(['service', 'team']),
  name: z.string(),
  level: maturity,
  openFindings: bySeverity,
  nextLevelBlockers: z.array(z.string()),
  trend: z.array(maturity).describe('levels of earlier runs, oldest first, then this one'),
});

/** The `--format json` report: the whole AuditReport, with the backlog pointing at findings by fingerprint. */
export const auditJsonSchema = z
  .object({
    version: z.literal(auditJsonVersion),
    generator: z.object({ name: z.literal('steadyops'), version: z.string().optional() }),
    run: z.object({
      at: timestamp,
      root: z.string().describe('the audited folder, absolute'),
      filesScanned: count,
      controls: z.array(controlOutcome),
      findings: z.array(finding).describe('open and risk-accepted findings; `--baseline` reads these'),
      warnings: z.array(z.object({ location, message: z.string() })).describe('what the scanners could not read'),
    }),
    summary: z.object({
      open: count,
      riskAccepted: count,
      bySeverity: bySeverity.describe('open findings'),
      byDomain: z.record(domain, count).describe('open findings'),
      controls: z.object({ pass: count, fail: count, notApplicable: count }),
      wouldAdd: z
        .array(z.object({ source: z.enum(['model', 'ledger']), controls: z.array(z.string()), how: z.string() }))
        .describe('the controls that could not run because the audit had no model or no ledger'),
    }),
    backlog: z.array(backlogItem),
    scorecards: z.array(scorecard),
    operatingModel: z.object({
      recommended: z.enum(operatingModels),
      reasons: z.array(z.string()),
      facts: z.record(z.string(), z.number()),
    }),
    comparison: z
      .object({
        baselineAt: timestamp,
        fixed: z.array(finding),
        new: z.array(finding),
        regressed: z.array(finding),
        unchanged: count,
      })
      .optional()
      .describe('what changed since the `--baseline` run'),
    catalog: z.array(control),
  })
  .describe('steadyops audit report');

export type AuditJson = z.output<typeof auditJsonSchema>;

/** The JSON Schema (draft 2020-12) of the JSON report, published as docs/audit-report.schema.json. */
export function auditJsonSchemaDocument(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(auditJsonSchema, { target: 'draft-2020-12', io: 'output' }),
    $id: 'https://steadyops.dev/schema/audit/v1.json',
    title: 'steadyops audit report (steadyops.dev/audit/v1)',
  };
}
