import type { Kysely } from 'kysely';
import type { StoreDialect } from '../store/dialect.ts';
import type { Schema } from '../store/schema.ts';
import { hashLeaf } from './merkle.ts';

/** Sequence numbers `first`..`last`, inclusive. */
export interface LeafRange {
  readonly first: number;
  readonly last: number;
}

export interface CheckedLeaves {
  /** the recomputed leaf hashes of the rows that checked out, 32 bytes each, in order */
  readonly leaves: Buffer;
  readonly count: number;
  /** the first row in the range that does not check out, if any */
  readonly failure?: { readonly seq: number; readonly reason: string };
}

/**
 * Checks one range of the log row by row: no sequence number missing, the stored bytes hash to
 * the stored leaf hash, and every indexed column says what the hashed event says (the database
 * compares them in its own JSON code). Ranges are independent, so several threads can check them.
 */
export async function checkLeaves(db: Kysely<Schema>, dialect: StoreDialect, range: LeafRange): Promise<CheckedLeaves> {
  const { jsonAttribute } = dialect;
  const rows = await db
    .selectFrom('events')
    .select((eb) => [
      'seq',
      'canonical',
      'leaf_hash',
      'time_ms',
      jsonAttribute('canonical', 'time').as('hashed_time'),
      eb
        .and([
          eb(jsonAttribute('canonical', 'id'), '=', eb.ref('event_id')),
          eb(jsonAttribute('canonical', 'source'), '=', eb.ref('source')),
          eb(jsonAttribute('canonical', 'type'), '=', eb.ref('type')),
          eb(jsonAttribute('canonical', 'actor'), '=', eb.ref('actor')),
          eb(jsonAttribute('canonical', 'subject'), 'is not distinct from', eb.ref('subject')),
        ])
        .as('columns_match'),
    ])
    .where('seq', '>=', range.first)
    .where('seq', '<=', range.last)
    .orderBy('seq')
    .execute();
  const leaves = Buffer.allocUnsafe(rows.length * 32);
  let count = 0;
  const failed = (seq: number, reason: string): CheckedLeaves => ({ leaves: leaves.subarray(0, count * 32), count, failure: { seq, reason } });
  for (const row of rows) {
    const expected = range.first + count;
    if (row.seq !== expected) return failed(expected, `sequence number ${expected} is missing (next stored is ${row.seq})`);
    const leaf = hashLeaf(row.canonical);
    if (!leaf.equals(row.leaf_hash)) return failed(row.seq, 'the stored bytes do not hash to the stored leaf hash');
    if (!row.columns_match || row.hashed_time === null || Date.parse(row.hashed_time) !== row.time_ms) {
      return failed(row.seq, 'the indexed columns disagree with the hashed event');
    }
    leaf.copy(leaves, count * 32);
    count += 1;
  }
  if (count < range.last - range.first + 1) return failed(range.first + count, `sequence number ${range.first + count} is missing`);
  return { leaves, count };
}
