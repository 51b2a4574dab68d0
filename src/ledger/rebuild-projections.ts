import { sql } from 'kysely';
import type { Store } from '../store/open-store.ts';

/** Projections are derived data: drop them and recompute from the ledger in one transaction. */
export async function rebuildProjections(store: Store): Promise<{ subjects: number }> {
  return store.db.transaction().execute(async (trx) => {
    await store.dialect.lockLedger(trx);
    await trx.deleteFrom('subject_activity').execute();
    await sql`insert into subject_activity (subject, type, last_seq, last_time_ms, event_count)
      select subject, type, max(seq), max(time_ms), count(*) from events where subject is not null group by subject, type`.execute(trx);
    const row = await trx.selectFrom('subject_activity').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return { subjects: Number(row.count) };
  });
}
