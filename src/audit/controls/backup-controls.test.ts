import { describe, expect, it } from 'vitest';
import { backupControls, missedRuns } from './backup-controls.ts';
import { auditNow, describeControl } from './control-cases.ts';
import { datastore, ledgerEvent, withLedger, withModel } from './control-fixtures.ts';

const control = (id: string) => backupControls.find((entry) => entry.id === id)!;
const DAY = 24;

const verified = (name: string, daysAgo: number, checks = [{ name: 'rows', passed: true }]) =>
  ledgerEvent('restore.drill.verified', daysAgo * DAY, { datastore: name, drillId: `drill-${name}-${daysAgo}`, durationSeconds: 600, checks }, { subject: name });
const drillFailed = (name: string, daysAgo: number) => ledgerEvent('restore.drill.failed', daysAgo * DAY, { datastore: name, drillId: `f-${name}`, reason: 'topic missing' }, { subject: name });
const completed = (name: string, hoursAgo: number) => ledgerEvent('backup.completed', hoursAgo, { datastore: name, backupId: `${name}-${hoursAgo}` }, { subject: name });
const failed = (name: string, hoursAgo: number) => ledgerEvent('backup.failed', hoursAgo, { datastore: name, reason: 'S3 timeout' }, { subject: name });

const stores = withModel({
  datastores: [
    datastore('core-postgres'),
    datastore('search', { engine: 'elasticsearch', restoreDrill: { every: '30d', rto: '2h', verification: [{ name: 'rows', query: 'GET /_count' }] } }),
  ],
});

describeControl(control('BAK-001'), {
  triggers: [
    {
      name: 'a datastore with neither',
      facts: withModel({ datastores: [datastore('cache', { backup: undefined, restoreDrill: undefined }), datastore('core-postgres')] }),
      resources: ['Datastore cache'],
    },
  ],
  passes: [
    { name: 'backups only, drills only', facts: withModel({ datastores: [datastore('a', { restoreDrill: undefined }), datastore('b', { backup: undefined })] }) },
  ],
});

describeControl(control('BAK-002'), {
  triggers: [
    {
      name: 'a declared drill that only ever failed, and one never run',
      facts: withLedger([drillFailed('core-postgres', 3), verified('other', 2)], stores),
      resources: ['Datastore core-postgres', 'Datastore search'],
    },
  ],
  passes: [
    { name: 'both verified', facts: withLedger([verified('core-postgres', 3), verified('search', 50)], stores) },
    { name: 'no drill declared (BAK-004 covers it)', facts: withLedger([], withModel({ datastores: [datastore('cache', { restoreDrill: undefined })] })) },
  ],
});

describeControl(control('BAK-003'), {
  triggers: [
    { name: 'verified 47 days ago with a 30d interval', facts: withLedger([verified('core-postgres', 3), verified('search', 47)], stores), resources: ['Datastore search'] },
  ],
  passes: [
    { name: 'the latest verified drill is fresh, even with an old one before it', facts: withLedger([verified('search', 60), verified('search', 29), verified('core-postgres', 1)], stores) },
    { name: 'never verified (BAK-002 covers it)', facts: withLedger([], stores) },
  ],
});

describe('BAK-003 evidence', () => {
  it('says how old the restore is and what the interval is', () => {
    const [finding] = control('BAK-003').evaluate(withLedger([verified('search', 47)], stores), auditNow);
    expect(finding?.evidence).toContain('last verified restore 47 days ago');
    expect(finding?.evidence).toContain('drill interval 30d');
  });
});

describeControl(control('BAK-004'), {
  triggers: [
    {
      name: 'a backup policy without drills, and backups in the ledger of a datastore declaring neither',
      facts: withLedger(
        [completed('cache', 2)],
        withModel({ datastores: [datastore('core-postgres', { restoreDrill: undefined }), datastore('cache', { backup: undefined, restoreDrill: undefined }), datastore('search')] }),
      ),
      resources: ['Datastore core-postgres', 'Datastore cache'],
    },
    { name: 'without a ledger, from the model alone', facts: withModel({ datastores: [datastore('core-postgres', { restoreDrill: undefined })] }), resources: ['Datastore core-postgres'] },
  ],
  passes: [
    { name: 'restored without a declared drill', facts: withLedger([verified('core-postgres', 10)], withModel({ datastores: [datastore('core-postgres', { restoreDrill: undefined })] })) },
    { name: 'drill declared', facts: withModel({ datastores: [datastore('core-postgres')] }) },
  ],
});

describeControl(control('BAK-005'), {
  triggers: [
    {
      name: 'the latest backup failed, for a model datastore and an unknown one',
      facts: withLedger([completed('core-postgres', 30), failed('core-postgres', 6), failed('old-mysql', 2), completed('search', 5)], stores),
      resources: ['Datastore core-postgres', 'Datastore old-mysql'],
    },
  ],
  passes: [{ name: 'a failure retried successfully', facts: withLedger([failed('core-postgres', 6), completed('core-postgres', 4)], stores) }],
});

describeControl(control('BAK-006'), {
  triggers: [
    {
      name: 'no completed backup at all, and a nightly backup three days old',
      facts: withLedger([completed('search', 3 * DAY), failed('core-postgres', 5)], stores),
      resources: ['Datastore core-postgres', 'Datastore search'],
    },
  ],
  passes: [
    { name: 'last night\'s backups', facts: withLedger([completed('core-postgres', 6), completed('search', 30)], stores) },
    { name: 'no backup declared', facts: withLedger([], withModel({ datastores: [datastore('cache', { backup: undefined })] })) },
  ],
});

describeControl(control('BAK-007'), {
  triggers: [
    {
      name: 'the latest drill ran another check, or failed the declared one',
      facts: withLedger(
        [verified('search', 3, [{ name: 'smoke', passed: true }])],
        withModel({
          datastores: [
            datastore('search', { restoreDrill: { every: '30d', rto: '2h', verification: [{ name: 'rows', query: 'q' }] } }),
            datastore('pg', { restoreDrill: { every: '30d', rto: '2h', verification: [{ name: 'rows', query: 'q' }] } }),
          ],
        }),
      ),
      resources: ['Datastore search'],
    },
    { name: 'a declared check reported as not passed', facts: withLedger([verified('search', 3, [{ name: 'rows', passed: false }])], stores), resources: ['Datastore search'] },
  ],
  passes: [
    { name: 'every declared check ran and passed', facts: withLedger([verified('search', 3)], stores) },
    { name: 'no verification declared', facts: withLedger([verified('core-postgres', 3, [])], stores) },
  ],
});

describe('missedRuns', () => {
  it('counts scheduled slots past their grace period', () => {
    const now = Date.parse('2026-11-26T09:00:00Z');
    expect(missedRuns('0 2 * * *', Date.parse('2026-11-26T02:40:00Z'), now)).toBe(0);
    expect(missedRuns('0 2 * * *', Date.parse('2026-11-25T02:40:00Z'), now)).toBe(1);
    expect(missedRuns('0 * * * *', Date.parse('2026-11-26T05:10:00Z'), now)).toBe(1);
    expect(missedRuns('0 * * * *', Date.parse('2026-11-26T04:10:00Z'), now)).toBe(2);
  });
});
