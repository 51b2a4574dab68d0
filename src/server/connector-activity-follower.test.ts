import { describe, expect, it } from 'vitest';
import { fixedClock } from '../lib/clock.ts';
import { createConnectorActivityFollower } from './connector-activity-follower.ts';
import { FakeLedger } from './test-support/fake-ledger.ts';

const append = (ledger: FakeLedger, count: number, source: string) =>
  ledger.append(
    Array.from({ length: count }, (_, index) => ({
      actor: 'token:ci',
      event: { specversion: '1.0' as const, id: `${source}-${ledger.events.length + index}`, source, type: 'dev.steadyops.change.reported' },
    })),
  );

describe('createConnectorActivityFollower', () => {
  it('tallies only the latest window at first, then reads just what was appended since', async () => {
    const ledger = new FakeLedger(fixedClock('2026-11-26T09:00:00.000Z'));
    await append(ledger, 5, '/git/northwind/checkout-api');
    const follower = createConnectorActivityFollower(ledger, fixedClock('2026-11-26T09:00:00.000Z'), { window: 3, batch: 2 });
    const first = await follower.report();
    expect(first).toMatchObject({ head: 5, fromSeq: 2, countsComplete: false });
    expect(first.connectors.find((entry) => entry.id === 'git')).toMatchObject({ last24h: 3, lastEvent: { seq: 5 } });

    await append(ledger, 2, '/github/northwind/checkout-api');
    const reads = ledger.events.length;
    const second = await follower.report();
    expect(second).toMatchObject({ head: reads, fromSeq: 2 });
    expect(second.connectors.find((entry) => entry.id === 'github')).toMatchObject({ last24h: 2, lastEvent: { seq: 7 } });
    expect(second.connectors.find((entry) => entry.id === 'git')!.last24h).toBe(3);
  });

  it('starts over from the latest window when the ledger ran too far ahead, and calls a window older than a day complete', async () => {
    const ledger = new FakeLedger(fixedClock('2026-11-24T09:00:00.000Z'));
    await append(ledger, 4, '/git/a');
    const follower = createConnectorActivityFollower(ledger, fixedClock('2026-11-26T09:00:00.000Z'), { window: 3 });
    expect(await follower.report()).toMatchObject({ fromSeq: 1, countsComplete: true });
    await append(ledger, 4, '/terraform/prod');
    const report = await follower.report();
    expect(report).toMatchObject({ head: 8, fromSeq: 5 });
    expect(report.connectors.find((entry) => entry.id === 'git')).toMatchObject({ lastEvent: null, last24h: 0 });
  });
});
