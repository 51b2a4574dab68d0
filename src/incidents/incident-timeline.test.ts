import { describe, expect, it } from 'vitest';
import type { EventToAppend } from '../ledger/types.ts';
import { fixedClock } from '../lib/clock.ts';
import { FakeLedger } from '../server/test-support/fake-ledger.ts';
import { createIncidentService } from './incident-service.ts';
import { readIncidentTimeline } from './incident-timeline.ts';

const t0 = Date.parse('2026-11-20T10:00:00Z');
const iso = (seconds: number): string => new Date(t0 + seconds * 1_000).toISOString();

function deploys(count: number, subject: string): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => ({
    actor: 'ci',
    event: { specversion: '1.0', id: `${subject}-${i}`, source: '/ci', type: 'dev.steadyops.deploy.finished', subject, time: iso(-3_000 + i), data: { service: subject, environment: 'production', version: `v${i}` } },
  }));
}

describe('readIncidentTimeline', () => {
  it('reads a long window page by page with bounded subject and time queries, never the whole ledger', async () => {
    const ledger = new FakeLedger(fixedClock(iso(0)));
    await ledger.append([...deploys(2_500, 'checkout-api'), ...deploys(300, 'unrelated')]);
    const incidents = createIncidentService({ ledger, clock: fixedClock(iso(0)), model: () => undefined });
    await incidents.declare({ title: 'slow', severity: 'sev3', services: ['checkout-api'] }, { actor: 'cli:ana', name: 'ana' });
    ledger.queries.length = 0;

    const timeline = await readIncidentTimeline({ ledger, incidents, model: () => undefined }, 'INC-1', 3_600_000, new Date(iso(60)));

    expect(timeline.entries.filter((entry) => entry.kind === 'deploy')).toHaveLength(2_500);
    expect(timeline.likelyTrigger?.summary).toBe('deploy finished — v2499');
    expect(ledger.queries.every((query) => (query.limit ?? 100) <= 1_000)).toBe(true);
    const windowed = ledger.queries.filter((query) => query.subjects);
    expect(windowed.length).toBeGreaterThanOrEqual(3);
    expect(windowed.every((query) => query.since && query.until && query.subjects?.join() === 'checkout-api')).toBe(true);
    expect(ledger.queries.every((query) => query.subjects || query.types?.every((type) => type.startsWith('dev.steadyops.incident.')))).toBe(true);
  });
});
