import { Cron } from 'croner';
import type { LedgerEvent } from '../../ledger/types.ts';
import type { ResolvedDatastore } from '../../model/resolve.ts';
import { formatDuration, parseDuration } from '../../lib/duration.ts';
import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts } from '../facts.ts';
import {
  HOUR_MS,
  byName,
  dataOf,
  datastoreHistory,
  datastoreOf,
  daysAgo,
  last,
  ledgerEvents,
  ofType,
  plural,
  sinceText,
  textOf,
  timeOf,
  type DatastoreHistory,
} from './ledger-history.ts';
import { modelFinding } from './model-finding.ts';
import { pushExample } from './push-example.ts';

const drillExample = [
  'spec:',
  '  restoreDrill:',
  '    every: 30d',
  '    rto: 1h',
  '    verification:',
  '      - { name: ledger-rows-present, query: "select count(*) > 0 from ledger_entries", expect: "true" }',
  '# each drill records its outcome and every declared check:',
  '# { "type": "dev.steadyops.restore.drill.verified", "subject": "core-postgres", "data": { "datastore": "core-postgres",',
  '#   "drillId": "drill-core-postgres-2026-11-26", "durationSeconds": 1860, "checks": [{ "name": "ledger-rows-present", "passed": true }] } }',
].join('\n');

/** A scheduled backup counts as missed once this long has passed after its slot without a completed backup. */
const backupGraceMs = 2 * HOUR_MS;

function datastoreFinding(facts: AuditFacts, datastore: ResolvedDatastore, evidence: string): FindingDraft {
  return modelFinding(facts, { kind: 'Datastore', name: datastore.name }, evidence, { team: datastore.owner });
}

/** Each model datastore with its ledger history. */
function withHistory(facts: AuditFacts): Array<{ datastore: ResolvedDatastore; history: DatastoreHistory }> {
  const events = ledgerEvents(facts);
  return (facts.model?.model.datastores ?? []).map((datastore) => ({ datastore, history: datastoreHistory(events, datastore.name) }));
}

/** The checks a drill event reports; a check counts as passed only when it says `passed: true`. */
function drillChecks(event: LedgerEvent): Array<{ name: string; passed: boolean }> {
  const checks = dataOf(event).checks;
  if (!Array.isArray(checks)) return [];
  return checks.flatMap((check) => {
    const entry = (check ?? {}) as { name?: unknown; passed?: unknown };
    return typeof entry.name === 'string' ? [{ name: entry.name, passed: entry.passed === true }] : [];
  });
}

/** Scheduled runs of `schedule` (UTC) after `from` whose slot, plus a grace period, has passed by `now`. */
export function missedRuns(schedule: string, from: number, now: number, limit = 10_000): number {
  const cron = new Cron(schedule, { paused: true, timezone: 'UTC' });
  let missed = 0;
  let next = cron.nextRun(new Date(from));
  while (next && next.getTime() + backupGraceMs < now && missed < limit) {
    missed += 1;
    next = cron.nextRun(next);
  }
  cron.stop();
  return missed;
}

/** BAK: backups that exist, and restores that have been proven to work. */
export const backupControls: readonly Control[] = [
  {
    id: 'BAK-001',
    title: 'Datastore has neither backups nor restore drills',
    domain: 'backup',
    severity: 'high',
    risk: 'Nothing in the model says this datastore is backed up or can be restored: if it is lost, so is its data, and nobody will find out until the restore is needed.',
    detection: 'A Datastore in the ownership model without spec.backup and without spec.restoreDrill.',
    remediation: 'Declare the backup policy the datastore has (or set one up) and a restore drill cadence; if the data is truly disposable, say so in the description and accept the risk.',
    example: ['spec:', '  backup: { schedule: "0 2 * * *", rpo: 24h, retention: 14d, method: snapshot }', '  restoreDrill: { every: 30d, rto: 2h }'].join('\n'),
    effort: 'M',
    soc2: ['A1.2', 'CC9.1'],
    needs: ['model'],
    evaluate: (facts) =>
      (facts.model?.model.datastores ?? [])
        .filter((datastore) => !datastore.backup && !datastore.restoreDrill)
        .map((datastore) =>
          datastoreFinding(facts, datastore, `${datastore.name} (${datastore.engine}${datastore.tier ? `, tier ${datastore.tier}` : ''}, owned by ${datastore.owner}) declares no spec.backup and no spec.restoreDrill.`),
        ),
  },
  {
    id: 'BAK-002',
    title: 'Restore drill declared but never verified',
    domain: 'backup',
    severity: 'high',
    risk: 'The model promises restore drills, but the ledger holds no drill that passed: the backups may not restore at all, and the recovery time is a guess.',
    detection: 'A Datastore with spec.restoreDrill and no dev.steadyops.restore.drill.verified event for it in the audited ledger window (failed drills are counted in the evidence).',
    remediation: 'Run a restore drill into a scratch environment with its verification queries and record it in the ledger.',
    example: drillExample,
    effort: 'M',
    soc2: ['A1.3', 'CC7.5'],
    needs: ['model', 'ledger'],
    evaluate: (facts) =>
      withHistory(facts)
        .filter(({ datastore, history }) => datastore.restoreDrill && history.drillsVerified.length === 0)
        .map(({ datastore, history }) => {
          const failed = last(history.drillsFailed);
          const failures = failed ? `; ${plural(history.drillsFailed.length, 'drill')} failed, the last at ${failed.time}` : '';
          return datastoreFinding(facts, datastore, `${datastore.name} must be restore-drilled every ${datastore.restoreDrill!.every}, but no drill was verified ${sinceText(facts)}${failures}.`);
        }),
  },
  {
    id: 'BAK-003',
    title: 'Last verified restore is older than the drill interval',
    domain: 'backup',
    severity: 'high',
    risk: 'Restores were proven once, but schema, size and tooling have moved since: the next real restore may fail or take far longer than the RTO.',
    detection: 'A Datastore with spec.restoreDrill whose latest dev.steadyops.restore.drill.verified event is older than spec.restoreDrill.every.',
    remediation: 'Run the overdue restore drill now, and schedule it at the declared interval.',
    example: drillExample,
    effort: 'S',
    soc2: ['A1.3', 'CC7.5'],
    needs: ['model', 'ledger'],
    evaluate: (facts, now) =>
      withHistory(facts).flatMap(({ datastore, history }) => {
        const verified = last(history.drillsVerified);
        if (!datastore.restoreDrill || !verified) return [];
        if (now.getTime() - timeOf(verified) <= parseDuration(datastore.restoreDrill.every)) return [];
        return [datastoreFinding(facts, datastore, `${datastore.name}: last verified restore ${daysAgo(now, verified.time)} days ago (${verified.time}), drill interval ${datastore.restoreDrill.every}.`)];
      }),
  },
  {
    id: 'BAK-004',
    title: 'Backups are taken but never restored',
    domain: 'backup',
    severity: 'high',
    risk: 'Backups that have never been restored are a hope, not a recovery plan: missing tables, broken archives or unreadable snapshots are found during the outage.',
    detection: 'A Datastore with spec.backup (or dev.steadyops.backup.completed events) but no spec.restoreDrill and no dev.steadyops.restore.drill.verified event in the ledger.',
    remediation: 'Declare a restore drill for the datastore and run it; start with a quarterly cadence if monthly is too much.',
    example: drillExample,
    effort: 'M',
    soc2: ['A1.3', 'A1.2'],
    needs: ['model'],
    evaluate: (facts) =>
      withHistory(facts)
        .filter(({ datastore, history }) => !datastore.restoreDrill && history.drillsVerified.length === 0)
        .filter(({ datastore, history }) => datastore.backup || history.backupsCompleted.length > 0)
        .map(({ datastore, history }) => {
          const backups = datastore.backup ? `is backed up on "${datastore.backup.schedule}"` : `has ${plural(history.backupsCompleted.length, 'completed backup')} in the ledger`;
          return datastoreFinding(facts, datastore, `${datastore.name} ${backups} but declares no restore drill and has no verified restore.`);
        }),
  },
  {
    id: 'BAK-005',
    title: 'Latest backup failed',
    domain: 'backup',
    severity: 'high',
    risk: 'The most recent backup attempt failed and none has succeeded since: the recovery point is getting older with every hour, and the RPO is already at risk.',
    detection: 'For each datastore in the ledger, its latest backup event is dev.steadyops.backup.failed (no later dev.steadyops.backup.completed).',
    remediation: 'Fix the failing backup job and run it again; alert on backup.failed so the next one pages.',
    example: "steadyops changes --since 7d --type 'dev.steadyops.backup.*'   # find the failing job, fix it, run it again",
    effort: 'S',
    soc2: ['A1.2'],
    needs: ['ledger'],
    evaluate: (facts) => {
      const latest = new Map<string, LedgerEvent>();
      for (const event of ofType(ledgerEvents(facts), 'dev.steadyops.backup.completed', 'dev.steadyops.backup.failed')) {
        const name = datastoreOf(event);
        if (name) latest.set(name, event);
      }
      return byName([...latest], ([name]) => name)
        .filter(([, event]) => event.type === 'dev.steadyops.backup.failed')
        .map(([name, event]) => {
          const datastore = facts.model?.model.datastores.find((entry) => entry.name === name);
          const completed = last(datastoreHistory(ledgerEvents(facts), name).backupsCompleted);
          const evidence = `The latest backup of ${name} failed at ${event.time} (${textOf(dataOf(event), 'reason') ?? 'no reason given'}); ${completed ? `the last completed backup was at ${completed.time}` : `no backup completed ${sinceText(facts)}`}.`;
          return datastore ? datastoreFinding(facts, datastore, evidence) : { resource: `Datastore ${name}`, evidence };
        });
    },
  },
  {
    id: 'BAK-006',
    title: 'Declared backups leave no recent evidence',
    domain: 'backup',
    severity: 'medium',
    risk: 'The model declares a backup schedule, but the ledger shows no recent completed backup: either backups stopped, or their proof is gathered by hand from the backup tool when an auditor asks.',
    detection: 'A Datastore with spec.backup and either no dev.steadyops.backup.completed event in the audited window, or a latest completed backup followed by at least two scheduled runs (spec.backup.schedule, UTC, plus 2h grace) with no completed backup.',
    remediation: 'Make the backup job report to the ledger (a backup.completed or backup.failed event per run), and fix it if it stopped.',
    example: pushExample({
      id: 'core-postgres-202611260215',
      source: '/backups/core-postgres',
      type: 'dev.steadyops.backup.completed',
      subject: 'core-postgres',
      data: { datastore: 'core-postgres', backupId: 'core-postgres-202611260215', method: 'pgbackrest' },
    }),
    effort: 'S',
    soc2: ['A1.2', 'CC4.1'],
    needs: ['model', 'ledger'],
    evaluate: (facts, now) =>
      withHistory(facts).flatMap(({ datastore, history }) => {
        if (!datastore.backup) return [];
        const completed = last(history.backupsCompleted);
        if (!completed) return [datastoreFinding(facts, datastore, `${datastore.name} is backed up on "${datastore.backup.schedule}" but no backup.completed event arrived ${sinceText(facts)}.`)];
        const missed = missedRuns(datastore.backup.schedule, timeOf(completed), now.getTime());
        if (missed < 2) return [];
        return [
          datastoreFinding(
            facts,
            datastore,
            `${datastore.name}'s last completed backup was ${formatDuration(now.getTime() - timeOf(completed))} ago (${completed.time}); ${missed} runs of "${datastore.backup.schedule}" have passed since without one.`,
          ),
        ];
      }),
  },
  {
    id: 'BAK-007',
    title: 'Restore drill skipped the declared verification',
    domain: 'backup',
    severity: 'medium',
    risk: 'The drill was recorded as verified, but the checks the owners declared (row counts, recent writes) did not run: a restore that comes back empty or stale would still pass.',
    detection: 'A Datastore with spec.restoreDrill.verification whose latest dev.steadyops.restore.drill.verified event lists checks that miss a declared verification name, or a declared check that did not pass.',
    remediation: 'Make the drill run every declared verification query and record each one, by name, in the checks of its restore.drill.verified event.',
    example: drillExample,
    effort: 'S',
    soc2: ['A1.3'],
    needs: ['model', 'ledger'],
    evaluate: (facts) =>
      withHistory(facts).flatMap(({ datastore, history }) => {
        const declared = (datastore.restoreDrill?.verification ?? []).map((check) => check.name);
        const verified = last(history.drillsVerified);
        if (declared.length === 0 || !verified) return [];
        const checks = drillChecks(verified);
        const missing = declared.filter((name) => !checks.some((check) => check.name === name && check.passed));
        if (missing.length === 0) return [];
        const drill = textOf(dataOf(verified), 'drillId') ?? verified.id;
        return [datastoreFinding(facts, datastore, `The latest verified drill of ${datastore.name} (${drill}, ${verified.time}) ran checks [${checks.map((check) => check.name).join(', ')}]; declared ${missing.join(', ')} did not run or did not pass.`)];
      }),
  },
];
