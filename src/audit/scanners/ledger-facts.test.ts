import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployEvent } from '../../../test/support/events.ts';
import { createLedger } from '../../ledger/ledger.ts';
import { createNoteSigner, generateSigningKey } from '../../ledger/signed-note.ts';
import type { Ledger } from '../../ledger/types.ts';
import { fixedClock } from '../../lib/clock.ts';
import { openStore, type Store } from '../../store/open-store.ts';
import type { AuditWarning } from '../facts.ts';
import { ledgerFacts } from './ledger-facts.ts';

const now = new Date('2026-11-26T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
let dir: string;
let store: Store;
let ledger: Ledger & { close(): Promise<void> };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steadyops-ledger-facts-'));
  store = await openStore(`sqlite:${join(dir, 'ledger.db')}`, dir);
  ledger = await createLedger({ store, signer: createNoteSigner('steadyops.test/audit', generateSigningKey().privateKeyPem), clock: fixedClock(now) });
  // appended out of time order, as imported history is
  await ledger.append([deployEvent(1, daysAgo(2)), deployEvent(2, daysAgo(120)), deployEvent(3, daysAgo(89)), deployEvent(4, daysAgo(30)), deployEvent(5, daysAgo(91))]);
});
afterAll(async () => {
  await ledger.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ledgerFacts', () => {
  it('reads the last 90 days, oldest first', async () => {
    const warnings: AuditWarning[] = [];
    const facts = await ledgerFacts(ledger, now, (location, message) => warnings.push({ location, message }));
    expect(facts.since).toBe(daysAgo(90).toISOString());
    expect(facts.until).toBe(now.toISOString());
    expect(facts.events.map((event) => event.id)).toEqual(['deploy-3', 'deploy-4', 'deploy-1']);
    expect(warnings).toEqual([]);
  });

  it('a window larger than the limit keeps the newest events and says so', async () => {
    const warnings: AuditWarning[] = [];
    const facts = await ledgerFacts(ledger, now, (location, message) => warnings.push({ location, message }), 2);
    expect(facts.events.map((event) => event.id)).toEqual(['deploy-4', 'deploy-1']);
    expect(warnings).toEqual([{ location: { file: 'ledger' }, message: `the ledger holds more than 2 events in the last 90 days; the audit reads the newest 2 (from ${daysAgo(30).toISOString()})` }]);
  });
});
