import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoEvents } from '../../examples/demo/generate-events.ts';
import { controlCatalog } from '../../src/audit/controls/control-catalog.ts';
import type { AuditFacts } from '../../src/audit/facts.ts';
import { runAudit, type AuditRun } from '../../src/audit/run-audit.ts';
import { scanRepository } from '../../src/audit/scanners/scan-repository.ts';
import { openRuntime, type Runtime } from '../../src/cli/runtime.ts';
import { environmentOf } from '../../src/ledger/event-types.ts';
import type { LedgerEvent } from '../../src/ledger/types.ts';

const demo = 'examples/demo';
const now = new Date('2026-11-26T09:00:00Z');

/** Every finding the audit must report on the demo, and nothing else: its planted gaps. */
const planted = [
  'ACC-001 Credential core-postgres/northwind_admin',
  'ACC-002 AccessRole prod-k8s-operator',
  'BAK-003 Datastore search-elasticsearch',
  'DB-001 migrations/0004_drop_legacy_status.sql',
  'DB-005 migrations/0003_backfill_order_currency.sql',
  'DOC-004 Changes to fraud-scorer in production',
  'INC-001 Incident INC-2041',
  'OBS-002 Service billing-scheduler',
  'OBS-002 Service notification-worker',
  'OBS-004 Service billing-scheduler',
  'OBS-006 Alert NodeDiskFilling',
  'OBS-007 Alert NodeDiskFilling',
  'OBS-008 Alert NodeDiskFilling',
  'OWN-006 Service auth-service -> Datastore session-redis',
  'REL-001 Service billing-scheduler',
  'REL-001 Service notification-worker',
  'REL-007 Service billing-scheduler',
  'RUN-006 Deployment web/notification-worker',
  'RUN-011 Deployment payments/fraud-scorer',
];

/** The rows of the README's "Gaps left on purpose" table: `| \`ID\` | \`resource\` | story |`. */
function readmeGaps(): string[] {
  const readme = readFileSync(join(demo, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Gaps left on purpose')) ?? '';
  return [...section.matchAll(/^\| `([A-Z]+-\d{3})` \| `([^`]+)` \|/gm)].map(([, id, resource]) => `${id} ${resource}`);
}

const found = (run: AuditRun): string[] => run.findings.map((finding) => `${finding.controlId} ${finding.resource}`).sort();

/** The demo history for `at` as the ledger would answer it, without a database. */
function demoLedger(at: Date): LedgerEvent[] {
  return generateDemoEvents({ now: at, days: 14 }).map(({ event, actor }, index) => {
    const environment = environmentOf(event);
    return { ...event, time: event.time!, seq: index + 1, actor, ...(environment ? { environment } : {}), ingested_at: event.time!, leaf_hash: '' };
  });
}

describe('steadyops audit on the demo organisation, with its ledger', () => {
  let dir: string;
  let runtime: Runtime;
  let facts: AuditFacts;
  let run: AuditRun;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steadyops-audit-demo-'));
    runtime = await openRuntime({ db: `sqlite:${join(dir, 'steadyops.db')}`, cwd: dir, env: {}, clock: { now: () => now } });
    await runtime.ledger.append(generateDemoEvents({ now, days: 14 }));
    facts = await scanRepository({ root: demo, ledger: runtime.ledger, now });
    run = runAudit(facts, controlCatalog, now);
  });

  afterAll(async () => {
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the whole demo without a warning', () => {
    expect(run.warnings).toEqual([]);
    expect(run.filesScanned).toBeGreaterThan(30);
  });

  it('finds exactly the planted gaps, nothing more, nothing less', () => {
    expect(found(run)).toEqual([...planted].sort());
  });

  it('finds the same gaps whatever the day and hour `serve --demo` starts', () => {
    for (let day = 1; day <= 7; day++) {
      const at = new Date(now.getTime() + day * 86_400_000 + day * 3 * 3_600_000);
      const ledger = { since: new Date(at.getTime() - 90 * 86_400_000).toISOString(), until: at.toISOString(), events: demoLedger(at) };
      expect(found(runAudit({ ...facts, ledger }, controlCatalog, at)), at.toISOString()).toEqual([...planted].sort());
    }
  });

  it('documents every planted gap in the README, and only those', () => {
    expect(readmeGaps().sort()).toEqual([...planted].sort());
  });

  it('finds the ledger warning signs from the stories that planted them', () => {
    const evidence = (id: string) => run.findings.find((finding) => finding.controlId === id)?.evidence ?? '';
    expect(evidence('ACC-001')).toMatch(/github:jonas-weber.*github:priya-nair/);
    expect(evidence('ACC-002')).toContain('AR-1977 for github:tomas-ruiz');
    expect(evidence('DOC-004')).toContain('MODEL_TIMEOUT_MS by system:kubernetes');
    expect(evidence('INC-001')).toContain('"Alert on acquirer 5xx before customers notice" (due 2026-11-23)');
    expect(evidence('REL-007')).toMatch(/^github:jonas-weber ran (\d+) of \1 attributed production deploys of billing-scheduler/);
  });
});
