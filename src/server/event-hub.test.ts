import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../ledger/types.ts';
import { fixedClock } from '../lib/clock.ts';
import { createEventHub } from './event-hub.ts';
import { publishingLedger } from './publishing-ledger.ts';
import { FakeLedger } from './test-support/fake-ledger.ts';

const clock = fixedClock('2026-11-26T09:00:00.000Z');
const toAppend = (id: string) => ({ actor: 'test', event: { specversion: '1.0' as const, id, source: '/test', type: 'dev.steadyops.test.happened' } });
const until = async (check: () => boolean): Promise<void> => {
  for (let tries = 0; !check(); tries += 1) {
    if (tries > 200) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('createEventHub', () => {
  it('delivers appends through the publishing ledger at once, in sequence order, after the head it subscribed at', async () => {
    const ledger = new FakeLedger(clock);
    await ledger.append([toAppend('before')]);
    const hub = createEventHub(ledger, { pollMs: 60_000 });
    const received: LedgerEvent[] = [];
    const subscription = await hub.subscribe((events) => received.push(...events));
    expect(subscription.head).toBe(1);

    const published = publishingLedger(ledger, hub);
    await published.append([toAppend('a'), toAppend('b')]);
    await published.append([toAppend('a')]); // a duplicate: nothing new
    await published.append([toAppend('c')]);
    await until(() => received.length === 3);
    expect(received.map((event) => [event.seq, event.id])).toEqual([[2, 'a'], [3, 'b'], [4, 'c']]);
    subscription.unsubscribe();
    expect(hub.listeners()).toBe(0);
    hub.close();
  });

  it("polls the head while someone listens, so other processes' appends arrive, and stops when nobody does", async () => {
    const ledger = new FakeLedger(clock);
    let headReads = 0;
    const size = ledger.size.bind(ledger);
    ledger.size = async () => {
      headReads += 1;
      return size();
    };
    const hub = createEventHub(ledger, { pollMs: 10, batch: 2 });
    const received: string[] = [];
    const subscription = await hub.subscribe((events) => received.push(...events.map((event) => event.id)));
    await ledger.append([toAppend('x'), toAppend('y'), toAppend('z')]); // not through the hub's ledger
    await until(() => received.length === 3);
    expect(received).toEqual(['x', 'y', 'z']);

    subscription.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const readsWhenAlone = headReads;
    await ledger.append([toAppend('unheard')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual(['x', 'y', 'z']);
    expect(headReads).toBe(readsWhenAlone);
    hub.close();
  });

  it('keeps delivering to the others when one listener throws', async () => {
    const ledger = new FakeLedger(clock);
    const hub = createEventHub(ledger, { pollMs: 60_000 });
    await hub.subscribe(() => {
      throw new Error('broken reader');
    });
    const received: string[] = [];
    await hub.subscribe((events) => received.push(...events.map((event) => event.id)));
    await ledger.append([toAppend('one')]);
    hub.poke();
    await until(() => received.length === 1);
    hub.close();
  });
});
