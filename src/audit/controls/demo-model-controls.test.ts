import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoEvents } from '../../../examples/demo/generate-events.ts';
import { environmentOf } from '../../ledger/event-types.ts';
import type { LedgerEvent } from '../../ledger/types.ts';
import { emptyFacts, type AuditFacts } from '../facts.ts';
import { scanCodeowners } from '../scanners/codeowners-scanner.ts';
import { loadModelFacts } from '../scanners/model-facts.ts';
import { scanRunbooks } from '../scanners/runbook-scanner.ts';
import { auditNow } from './control-cases.ts';
import { controlCatalog } from './control-catalog.ts';

const demo = 'examples/demo';
/** The controls that read the model, the ledger, CODEOWNERS and runbooks (the catalog's other controls read scanned files). */
const controls = controlCatalog.filter((control) => /^(OWN|OBS|BAK|DOC|INC)-\d+$|^ACC-0[01]\d$|^REL-00[2-9]$/.test(control.id));

/** What these controls must find in the demo: its planted gaps (README "Gaps left on purpose"). */
const expected: Record<string, readonly string[]> = {
  'ACC-001': ['Credential core-postgres/northwind_admin'],
  'ACC-002': ['AccessRole prod-k8s-operator'],
  'BAK-003': ['Datastore search-elasticsearch'],
  'DOC-004': ['Changes to fraud-scorer in production'],
  'INC-001': ['Incident INC-2041'],
  'OBS-002': ['Service billing-scheduler', 'Service notification-worker'],
  'OWN-006': ['Service auth-service -> Datastore session-redis'],
  'REL-007': ['Service billing-scheduler'],
};

function toLedgerEvents(days: number): LedgerEvent[] {
  return generateDemoEvents({ now: auditNow, days }).map(({ event, actor }, index) => {
    const environment = environmentOf(event);
    return { ...event, time: event.time!, seq: index + 1, actor, ...(environment ? { environment } : {}), ingested_at: event.time!, leaf_hash: '' };
  });
}

let base: AuditFacts;

beforeAll(async () => {
  const { model } = await loadModelFacts(demo, (location, message) => expect.unreachable(`${location.file}: ${message}`));
  base = {
    ...emptyFacts(demo),
    ...(model ? { model } : {}),
    runbooks: scanRunbooks(readdirSync(`${demo}/runbooks`).map((file) => `runbooks/${file}`), model?.model),
    codeowners: scanCodeowners('CODEOWNERS', readFileSync(`${demo}/CODEOWNERS`, 'utf8')),
  };
  expect(base.model?.model.services).toHaveLength(10);
});

const withEvents = (events: readonly LedgerEvent[]): AuditFacts => ({
  ...base,
  ledger: { since: new Date(auditNow.getTime() - 90 * 86_400_000).toISOString(), until: auditNow.toISOString(), events },
});

const found = (facts: AuditFacts, id: string) => controls.find((control) => control.id === id)!.evaluate(facts, auditNow);

it('covers the controls written for the model and the ledger', () => {
  expect(controls.length).toBe(47);
});

describe.each([14, 90])('the demo with %i days of ledger history', (days) => {
  let facts: AuditFacts;
  beforeAll(() => {
    facts = withEvents(toLedgerEvents(days));
  });

  it.each(controls.map((control) => control.id))('%s finds exactly what is planted', (id) => {
    expect(found(facts, id).map((finding) => finding.resource).sort()).toEqual([...(expected[id] ?? [])].sort());
  });

  it('reports the overdue restore drill with its age and interval', () => {
    expect(found(facts, 'BAK-003')[0]?.evidence).toContain('last verified restore 47 days ago');
    expect(found(facts, 'BAK-003')[0]?.evidence).toContain('drill interval 30d');
    expect(found(facts, 'BAK-003')[0]).toMatchObject({ location: { file: '.steadyops/datastores.yaml' }, team: 'growth' });
  });
});

describe('the demo ledger, with its evidence taken away', () => {
  let events: LedgerEvent[];
  beforeAll(() => {
    events = toLedgerEvents(14);
  });

  it('without gate decisions, every production deploy is ungated and no policy is evaluated', () => {
    const facts = withEvents(events.filter((event) => event.type !== 'dev.steadyops.gate.decided'));
    expect(found(facts, 'REL-006').map((finding) => finding.resource).sort()).toEqual(['ReleasePolicy standard', 'ReleasePolicy tier1-guarded']);
    expect(found(facts, 'REL-004').length).toBe(10);
  });

  it('without approvals, every grant of both roles lacks one', () => {
    const facts = withEvents(events.filter((event) => event.type !== 'dev.steadyops.access.approved'));
    expect(found(facts, 'ACC-002').map((finding) => finding.resource).sort()).toEqual(['AccessRole prod-db-admin', 'AccessRole prod-k8s-operator']);
  });

  it('without drills of core-postgres, its declared drill is never verified', () => {
    const facts = withEvents(events.filter((event) => !(event.type.startsWith('dev.steadyops.restore.') && event.subject === 'core-postgres')));
    expect(found(facts, 'BAK-002').map((finding) => finding.resource)).toEqual(['Datastore core-postgres']);
  });

  it('config changes that name no commit and have no deploy around them are manual', () => {
    const facts = withEvents(events.map((event) => (event.type === 'dev.steadyops.config.changed' ? { ...event, data: { ...(event.data as object), commit: undefined } } : event)));
    // more than the planted fraud-scorer night fix
    expect(found(facts, 'DOC-004').length).toBeGreaterThan(1);
    expect(found(facts, 'DOC-004').every((finding) => finding.resource.endsWith(' in production'))).toBe(true);
  });
});
