// Test-only: a realistic AuditReport built by hand (the demo organisation's kind of findings), so the
// report formats are tested without the backlog, scorecards or scanners.
import type { AuditReport, BacklogItem, Milestone, Scorecard } from '../audit-report.ts';
import { type Control, type Domain, domains, type FindingDraft, type Severity, severities } from '../control.ts';
import { controlCatalog } from '../controls/control-catalog.ts';
import { type ControlOutcome, type Finding, fingerprintOf, type RiskAcceptance } from '../run-audit.ts';

export const sampleAt = '2026-11-26T09:00:00.000Z';

/** A control of the real catalog, by id. */
export function catalogControl(id: string): Control {
  const control = controlCatalog.find((candidate) => candidate.id === id);
  if (!control) throw new Error(`sample report: no control ${id} in the catalog`);
  return control;
}

function finding(controlId: string, draft: FindingDraft, acceptance?: Omit<RiskAcceptance, 'fingerprint'>): Finding {
  const control = catalogControl(controlId);
  const fingerprint = fingerprintOf(controlId, draft);
  return {
    ...draft,
    fingerprint,
    controlId,
    title: control.title,
    domain: control.domain,
    severity: control.severity,
    effort: control.effort,
    status: acceptance ? 'risk-accepted' : 'open',
    ...(acceptance ? { acceptance: { ...acceptance, fingerprint } } : {}),
  };
}

const model = '.steadyops/services.yaml';

function sampleFindings(): Finding[] {
  return [
    finding('ACC-001', {
      resource: 'Credential deploy-bot-token',
      evidence: 'Credential deploy-bot-token was used by alice, bob and ci-runner in the last 90 days (access.granted events).',
    }),
    finding('ACC-020', {
      resource: 'deploy/keys/deploy_key',
      location: { file: 'deploy/keys/deploy_key', line: 1 },
      evidence: 'An OpenSSH private key is committed at deploy/keys/deploy_key.',
    }),
    finding('BAK-003', {
      resource: 'Datastore orders-db',
      location: { file: '.steadyops/datastores.yaml', line: 3 },
      evidence: 'The last verified restore of orders-db was on 2026-07-02, 147 days ago; its drill interval is 90d.',
      team: 'payments',
    }),
    finding('DB-001', {
      resource: 'migrations/0004_drop_legacy_status.sql',
      location: { file: 'migrations/0004_drop_legacy_status.sql', line: 3 },
      evidence: 'ALTER TABLE orders DROP COLUMN legacy_status loses data and no down migration exists.',
    }),
    finding('DOC-002', {
      resource: 'Service ledger-service alert LedgerLag',
      location: { file: model, line: 131 },
      evidence: 'ledger-service routes the paging alert LedgerLag without a runbook or a first action.',
      service: 'ledger-service',
      team: 'platform',
    }),
    finding('INF-001', {
      resource: 'aws_db_instance.orders',
      location: { file: 'terraform/main.tf', line: 12 },
      evidence: 'aws_db_instance.orders sets deletion_protection = false.',
      team: 'payments',
    }),
    finding('DB-004', {
      resource: 'migrations/0005_rename_customer_email.sql',
      location: { file: 'migrations/0005_rename_customer_email.sql' },
      evidence: 'RENAME COLUMN email TO contact_email breaks the running release; the file has no expand/contract note.',
    }),
    finding('OBS-007', {
      resource: 'Alert CheckoutHighLatency',
      location: { file: 'rules/checkout.rules.yml', line: 18 },
      evidence: 'Alert rule CheckoutHighLatency has no runbook_url annotation.',
      service: 'checkout-api',
      team: 'payments',
    }),
    finding('REL-001', {
      resource: 'Service checkout-api',
      location: { file: model, line: 14 },
      evidence: 'checkout-api (tier 1, owned by payments) declares no spec.rollback.criteria.',
      service: 'checkout-api',
      team: 'payments',
    }),
    finding('REL-001', {
      resource: 'Service search-api',
      location: { file: model, line: 88 },
      evidence: 'search-api (tier 2, owned by discovery) declares no spec.rollback.criteria.',
      service: 'search-api',
      team: 'discovery',
    }),
    finding('REL-007', {
      resource: 'Service checkout-api',
      location: { file: model, line: 14 },
      evidence: 'carol did 41 of the 52 production deploys of checkout-api in 90 days (79%).',
      service: 'checkout-api',
      team: 'payments',
    }),
    finding('REL-012', {
      resource: '.github/workflows/deploy.yml#actions/checkout@v4',
      location: { file: '.github/workflows/deploy.yml', line: 21 },
      evidence: 'actions/checkout@v4 is referenced by tag, not by commit SHA.',
    }, { acceptedBy: 'dana', reason: 'GitHub-owned actions are pinned by Dependabot weekly', expiresAt: '2027-03-01T00:00:00Z', seq: 8812 }),
    finding('REL-013', {
      resource: '.github/workflows/deploy.yml',
      location: { file: '.github/workflows/deploy.yml', line: 1 },
      evidence: 'deploy.yml sets no top-level permissions, so its token keeps the repository default (write-all).',
    }),
    finding('RUN-002', {
      resource: 'Deployment growth/web-frontend',
      location: { file: 'k8s/web-frontend.yaml', line: 20 },
      evidence: 'Container web of growth/web-frontend has no livenessProbe.',
      service: 'web-frontend',
      team: 'growth',
    }),
    finding('RUN-006', {
      resource: 'Deployment growth/web-frontend',
      location: { file: 'k8s/web-frontend.yaml', line: 24 },
      evidence: 'Container web runs ghcr.io/acme/web-frontend:latest.',
      service: 'web-frontend',
      team: 'growth',
    }),
    finding('RUN-010', {
      resource: 'Deployment identity/auth-service',
      location: { file: 'k8s/auth-service.yaml', line: 8 },
      evidence: 'auth-service is tier 1 and runs 1 replica.',
      service: 'auth-service',
      team: 'identity',
    }, { acceptedBy: 'dana', reason: 'One replica until sessions move to Redis (INFRA-231)', expiresAt: '2027-01-31T00:00:00Z', seq: 8790 }),
    finding('RUN-011', {
      resource: 'Deployment payments/payments-gateway',
      location: { file: 'k8s/payments-gateway.yaml', line: 1 },
      evidence: 'payments-gateway is tier 1 and no PodDisruptionBudget selects its pods.',
      service: 'payments-gateway',
      team: 'payments',
    }),
  ];
}

function outcomes(findings: readonly Finding[]): ControlOutcome[] {
  return controlCatalog.map((control) => {
    const count = findings.filter((candidate) => candidate.controlId === control.id).length;
    if (count > 0) return { id: control.id, status: 'fail', findings: count };
    if (control.needs.includes('dashboards')) return { id: control.id, status: 'not-applicable', findings: 0, reason: 'no dashboards found' };
    return { id: control.id, status: 'pass', findings: 0 };
  });
}

const severityWeights: Readonly<Record<Severity, number>> = { low: 1, medium: 3, high: 6, critical: 10 };
const effortWeights = { S: 1, M: 2, L: 4 } as const;
const stabilizing: readonly Domain[] = ['access', 'backup', 'infrastructure', 'database', 'runtime', 'release'];

function backlog(findings: readonly Finding[]): BacklogItem[] {
  const scored = findings
    .filter((candidate) => candidate.status === 'open')
    .map((open, index) => {
      const blastRadius = open.service === 'checkout-api' || open.team === 'payments' ? 3 : 1.5;
      const likelihood = open.domain === 'release' ? 1.5 : 1 + (index % 3) / 10;
      const factors = { severityWeight: severityWeights[open.severity], blastRadius, likelihood, effortWeight: effortWeights[open.effort] };
      const priority = Math.round(((factors.severityWeight * blastRadius * likelihood) / factors.effortWeight) * 100) / 100;
      const milestone: Milestone =
        open.severity === 'low' || open.domain === 'documentation' ? 'document' : stabilizing.includes(open.domain) && open.severity !== 'medium' ? 'stabilize' : 'measure';
      const why = `${open.severity}, ${open.service ? `service ${open.service}` : 'no service'} (blast radius ${blastRadius}), likelihood ${likelihood}; effort ${open.effort}`;
      return { finding: open, milestone, priority, factors, why };
    })
    .sort((a, b) => b.priority - a.priority);
  return scored.map((item, index) => ({ rank: index + 1, ...item }));
}

function scorecards(): Scorecard[] {
  const counts = (critical: number, high: number, medium: number, low: number) => ({ critical, high, medium, low });
  return [
    { kind: 'service', name: 'checkout-api', level: 'bronze', openFindings: counts(0, 1, 2, 0), nextLevelBlockers: ['REL-001 rollback criteria', 'REL-007 one person deploys'], trend: ['none', 'bronze', 'bronze'] },
    { kind: 'service', name: 'payments-gateway', level: 'silver', openFindings: counts(0, 1, 0, 0), nextLevelBlockers: ['RUN-011 PodDisruptionBudget'], trend: ['bronze', 'silver'] },
    { kind: 'service', name: 'search-api', level: 'none', openFindings: counts(0, 1, 0, 1), nextLevelBlockers: ['REL-001 rollback criteria'], trend: ['bronze', 'none'] },
    { kind: 'service', name: 'ledger-service', level: 'gold', openFindings: counts(0, 0, 1, 0), nextLevelBlockers: [], trend: ['gold'] },
    { kind: 'team', name: 'payments', level: 'bronze', openFindings: counts(0, 5, 2, 0), nextLevelBlockers: ['BAK-003 restore drill overdue'], trend: ['none', 'bronze'] },
    { kind: 'team', name: 'identity', level: 'silver', openFindings: counts(0, 0, 0, 0), nextLevelBlockers: ['RUN-010 risk-accepted until 2027-01-31'], trend: ['silver', 'silver'] },
  ];
}

function countBy<K extends string>(keys: readonly K[], findings: readonly Finding[], key: (finding: Finding) => K): Record<K, number> {
  return Object.fromEntries(keys.map((candidate) => [candidate, findings.filter((found) => key(found) === candidate).length])) as Record<K, number>;
}

/** 15 open findings (1 critical, 8 high, 4 medium, 2 low), 2 risk-accepted, 2 warnings, a baseline comparison. */
export function sampleAuditReport(): AuditReport {
  const findings = sampleFindings();
  const open = findings.filter((candidate) => candidate.status === 'open');
  const controls = outcomes(findings);
  const byStatus = (status: ControlOutcome['status']) => controls.filter((outcome) => outcome.status === status).length;
  const earlier = (controlId: string, draft: FindingDraft) => finding(controlId, draft);
  return {
    run: {
      at: sampleAt,
      root: '/home/ci/acme/platform',
      filesScanned: 214,
      controls,
      findings,
      warnings: [
        { location: { file: 'k8s/broken.yaml', line: 7, column: 3 }, message: 'YAML parse error: bad indentation of a mapping entry' },
        { location: { file: 'terraform/plan.json' }, message: 'not a Terraform JSON plan (no format_version); skipped' },
      ],
    },
    catalog: controlCatalog,
    backlog: backlog(findings),
    scorecards: scorecards(),
    operatingModel: {
      recommended: 'fractional-sre-ownership',
      reasons: [
        '10 services (4 tier 1) owned by 4 teams: more than developers can run on the side.',
        '9 critical or high findings are open, 6 of them in backups, access and runtime: production work nobody owns.',
        'On-call exists for every team, so a part-time SRE can build on it rather than replace it.',
      ],
      facts: { services: 10, tier1Services: 4, teams: 4, engineers: 23, openCriticalOrHigh: 9 },
    },
    comparison: {
      baselineAt: '2026-11-19T09:00:00.000Z',
      fixed: [
        earlier('RUN-001', {
          resource: 'Deployment payments/checkout-api',
          location: { file: 'k8s/checkout-api.yaml', line: 30 },
          evidence: 'Container api of payments/checkout-api has no readinessProbe.',
          service: 'checkout-api',
          team: 'payments',
        }),
      ],
      new: open.filter((candidate) => candidate.controlId === 'ACC-020' || candidate.controlId === 'RUN-006'),
      regressed: open.filter((candidate) => candidate.controlId === 'BAK-003'),
      unchanged: 12,
    },
    summary: {
      open: open.length,
      riskAccepted: findings.length - open.length,
      bySeverity: countBy(severities, open, (candidate) => candidate.severity),
      byDomain: countBy(domains, open, (candidate) => candidate.domain),
      controls: { pass: byStatus('pass'), fail: byStatus('fail'), notApplicable: byStatus('not-applicable') },
      wouldAdd: [{ source: 'ledger', controls: ['ACC-001', 'BAK-003'], how: 'connect the ledger' }],
    },
  };
}

/** Evidence as a hostile repository could write it: HTML, workflow commands, ANSI, pipes and newlines. */
export const hostileText = '</td><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> | a|b\n::error file=evil.ts::%0Aforged %25 \u001b[31mred\u001b[0m `tick` *bold* [link](https://evil.example)';

/** The sample with one finding's resource, file and evidence replaced by hostile text. */
export function hostileAuditReport(): AuditReport {
  const report = sampleAuditReport();
  const [first, ...rest] = report.run.findings;
  if (!first) throw new Error('sample report has findings');
  const hostile: Finding = {
    ...first,
    resource: `Credential ${hostileText}`,
    location: { file: 'evil,dir/a:b%c <x>.yaml', line: 3 },
    evidence: hostileText,
  };
  const findings = [hostile, ...rest];
  return {
    ...report,
    run: { ...report.run, findings, warnings: [...report.run.warnings, { location: { file: '<b>x</b>.yaml' }, message: hostileText }] },
    backlog: report.backlog.map((item) => (item.finding.fingerprint === first.fingerprint ? { ...item, finding: hostile, why: hostileText } : item)),
  };
}
