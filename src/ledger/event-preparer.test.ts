import { afterAll, describe, expect, it } from 'vitest';
import { deployEvents } from '../../test/support/events.ts';
import { SteadyopsError } from '../lib/errors.ts';
import { createEventPreparer } from './event-preparer.ts';
import { prepareEvents } from './prepare-events.ts';

const now = new Date('2026-11-26T12:00:00Z');
const preparer = createEventPreparer({ minEventsForWorker: 10, chunkSize: 64 });

afterAll(() => preparer.close());

describe('event preparer', () => {
  it('prepares large appends on a worker thread, chunk by chunk, exactly as inline', async () => {
    const events = deployEvents(300, now);
    const chunks = preparer.prepare(events, now);
    expect(chunks.length).toBeGreaterThan(1);
    const fromWorker = (await Promise.all(chunks)).flat();
    const inline = prepareEvents(events, now);
    expect(fromWorker).toHaveLength(300);
    fromWorker.forEach((item, i) => {
      expect(item.canonical.equals(inline[i]?.canonical as Buffer)).toBe(true);
      expect(item.leaf.equals(inline[i]?.leaf as Buffer)).toBe(true);
      expect(item.timeMs).toBe(inline[i]?.timeMs);
      expect(item.environment).toBe(inline[i]?.environment);
    });
  });

  it('reports an event that has no canonical form as invalid input, from the worker too', async () => {
    const events = deployEvents(40, now);
    const bad = events[37];
    if (!bad) throw new Error('fixture');
    events[37] = { ...bad, event: { ...bad.event, data: { note: 'broken \ud800 text' } } };
    const results = await Promise.allSettled(preparer.prepare(events, now));
    const failure = results.find((result) => result.status === 'rejected');
    expect(failure?.status).toBe('rejected');
    const reason = (failure as PromiseRejectedResult).reason as SteadyopsError;
    expect(reason).toBeInstanceOf(SteadyopsError);
    expect(reason.code).toBe('SO_E_EVENT_INVALID');
    expect(reason.message).toContain('deploy-37');
  });
});
