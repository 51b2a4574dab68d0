import type { ResolvedService } from '../../model/resolve.ts';
import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts, MigrationFact, MigrationStatementFact } from '../facts.ts';
import { compareStrings } from './plain-values.ts';

/** DB: what the migrations do to production data and to the tables while they run. */
export const databaseControls: readonly Control[] = [
  {
    id: 'DB-001',
    title: 'Destructive migration has no reverse migration',
    domain: 'database',
    severity: 'high',
    risk: 'The migration drops or deletes data and nothing reverses it: if the release is rolled back, the previous code meets a schema without the column or table it still uses, and the only way back is a restore that loses everything written since.',
    detection: 'Migrations with a data-loss statement (DROP TABLE/COLUMN, TRUNCATE, DELETE, a cascading drop; classified like `steadyops rollback check`) and no down/undo migration.',
    remediation: 'Ship destructive changes as the last step of an expand/contract sequence, once no running release reads the data; write the down migration (recreating the column or table) and make sure a fresh restore drill covers the datastore before it runs.',
    example: [
      '-- 0004_drop_legacy_status.up.sql, released only after no deployed version reads the column',
      'ALTER TABLE orders DROP COLUMN legacy_status;',
      '',
      '-- 0004_drop_legacy_status.down.sql',
      "ALTER TABLE orders ADD COLUMN legacy_status text NOT NULL DEFAULT 'unknown';",
    ].join('\n'),
    effort: 'M',
    soc2: ['CC8.1', 'A1.2'],
    needs: ['migrations'],
    evaluate: (facts) =>
      migrationDrafts(facts, (migration) => {
        if (migration.hasReverse) return undefined;
        const destructive = migration.statements.filter((statement) => statement.class === 'data-loss' && !isRowRewrite(statement.text));
        const first = destructive[0];
        return first && { statement: first, evidence: `${migration.file} has ${counted(destructive.length, 'destructive statement')} and no reverse migration; the first is line ${first.line}: ${first.text}` };
      }),
  },
  {
    id: 'DB-002',
    title: 'Destructive migration relies on its reverse to undo data loss',
    domain: 'database',
    severity: 'medium',
    risk: 'A down migration can recreate a dropped column or table, but not the rows that were in it: rolling back restores the schema with the data gone, and without a planned restore the loss is only found afterwards.',
    detection: 'Migrations that have a down/undo migration but contain a data-loss statement (DROP TABLE/COLUMN, TRUNCATE, DELETE without a reverse of its rows).',
    remediation: 'Treat the reverse as a schema fix only: write the restore plan into the release (which backup, how long, who decides), check that the datastore\'s last restore drill is fresh, and keep a copy of the data (a renamed table, an export) until the release has baked.',
    example: ['-- before dropping, keep the data for the rollback window', 'CREATE TABLE order_status_history_archive AS TABLE order_status_history;', 'DROP TABLE order_status_history;'].join('\n'),
    effort: 'S',
    soc2: ['CC8.1', 'A1.2'],
    needs: ['migrations'],
    evaluate: (facts) =>
      migrationDrafts(facts, (migration) => {
        const first = migration.hasReverse ? migration.statements.find((statement) => statement.class === 'data-loss') : undefined;
        return first && { statement: first, evidence: `${migration.file} has a reverse migration, but line ${first.line} loses data it cannot bring back: ${first.text}` };
      }),
  },
  {
    id: 'DB-003',
    title: 'Migration locks a table while it rewrites or scans it',
    domain: 'database',
    severity: 'medium',
    risk: 'Building an index without CONCURRENTLY, changing a column type, SET NOT NULL or validating a constraint blocks writes to the table (or all access to it) for as long as it takes to read every row: on a large table that is minutes of failed requests.',
    detection: 'PostgreSQL statements on tables the same migration did not create: CREATE INDEX or REINDEX without CONCURRENTLY, ALTER COLUMN ... TYPE, SET NOT NULL, ADD COLUMN with a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval()), serial or stored generated columns, ADD FOREIGN KEY/CHECK without NOT VALID, ADD PRIMARY KEY/UNIQUE without USING INDEX, VACUUM FULL, CLUSTER; and Rails add_index without algorithm: :concurrently.',
    remediation: 'Build indexes CONCURRENTLY (outside a transaction), add constraints NOT VALID and VALIDATE them in a later migration, add NOT NULL through a validated CHECK constraint, and replace type changes with a new column filled in batches.',
    example: [
      'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);',
      '',
      'ALTER TABLE orders ADD CONSTRAINT orders_currency_not_null CHECK (currency IS NOT NULL) NOT VALID;',
      '-- next migration',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_currency_not_null;',
      'ALTER TABLE orders ALTER COLUMN currency SET NOT NULL;  -- uses the validated constraint, no scan',
    ].join('\n'),
    effort: 'S',
    soc2: ['CC8.1', 'A1.1'],
    needs: ['migrations'],
    evaluate: (facts) =>
      migrationDrafts(facts, (migration) => {
        const created = createdTables(migration);
        const locking = migration.statements.flatMap((statement) => {
          const why = lockingReason(statement.text, created);
          return why ? [{ statement, why }] : [];
        });
        const first = locking[0];
        return first && { statement: first.statement, evidence: `${migration.file} line ${first.statement.line} ${first.why}${locking.length > 1 ? ` (and ${counted(locking.length - 1, 'more statement')} like it)` : ''}: ${first.statement.text}` };
      }),
  },
  {
    id: 'DB-004',
    title: 'Rename or type change without an expand/contract plan',
    domain: 'database',
    severity: 'low',
    risk: 'Renaming a column or table, or changing a type, breaks the release still running during the rollout and any rollback to it; without an expand/contract plan the fix is forward-only, under pressure.',
    detection: 'Forward-fix statements that rename a column or table or change a column type (SQL, Rails rename_column/rename_table/change_column), in a migration whose comments and file name do not mention expand/contract, a two-phase or backward-compatible change, or dual writes.',
    remediation: 'Expand first (add the new column, write both, backfill), switch reads in a later release, and contract (drop the old one) only when no running release uses it; note the plan in the migration.',
    example: [
      '-- expand/contract step 1 of 3: add email_address, the app writes both until 0019 drops email',
      'ALTER TABLE users ADD COLUMN email_address text;',
      'UPDATE users SET email_address = email WHERE email_address IS NULL;',
    ].join('\n'),
    effort: 'S',
    soc2: ['CC8.1'],
    needs: ['migrations'],
    evaluate: (facts) =>
      migrationDrafts(facts, (migration) => {
        if (hasExpandContractNote(migration)) return undefined;
        const first = migration.statements.find((statement) => statement.class === 'forward-fix' && renamesOrRetypes.test(statement.text));
        return first && { statement: first, evidence: `${migration.file} line ${first.line} renames or retypes what the previous release uses, with no expand/contract note: ${first.text}` };
      }),
  },
  {
    id: 'DB-005',
    title: 'Data backfill has no reverse migration',
    domain: 'database',
    severity: 'medium',
    risk: 'The migration rewrites existing rows and nothing puts the old values back: after a rollback the previous release reads values it never wrote, and the originals exist only in a backup.',
    detection: 'Migrations without a down/undo migration whose data-loss statements rewrite rows (UPDATE, MERGE, INSERT ... ON CONFLICT DO UPDATE).',
    remediation: 'Write a reverse migration that restores the old values (keep them in a side column or table until the release has baked), or make the backfill idempotent and harmless to the previous release.',
    example: [
      '-- up',
      'ALTER TABLE orders ADD COLUMN currency_before_0003 char(3);',
      'UPDATE orders SET currency_before_0003 = currency, currency = upper(currency) WHERE currency <> upper(currency);',
      '-- down',
      'UPDATE orders SET currency = currency_before_0003 WHERE currency_before_0003 IS NOT NULL;',
    ].join('\n'),
    effort: 'S',
    soc2: ['CC8.1'],
    needs: ['migrations'],
    evaluate: (facts) =>
      migrationDrafts(facts, (migration) => {
        if (migration.hasReverse) return undefined;
        const first = migration.statements.find((statement) => statement.class === 'data-loss' && isRowRewrite(statement.text));
        return first && { statement: first, evidence: `${migration.file} line ${first.line} rewrites existing rows and no reverse migration restores them: ${first.text}` };
      }),
  },
];

interface Offence {
  readonly statement: MigrationStatementFact;
  readonly evidence: string;
}

/** One finding per migration file, at its first offending statement, in file order. */
function migrationDrafts(facts: AuditFacts, offence: (migration: MigrationFact) => Offence | undefined): FindingDraft[] {
  return [...facts.migrations]
    .sort((a, b) => compareStrings(a.file, b.file))
    .flatMap((migration) => {
      const found = offence(migration);
      if (!found) return [];
      const service = serviceOfMigration(facts, migration.file);
      return [
        {
          resource: migration.file,
          location: { file: migration.file, line: found.statement.line },
          evidence: found.evidence.endsWith('…') ? found.evidence : `${found.evidence}.`,
          ...(service ? { service: service.name, team: service.owner } : {}),
        },
      ];
    });
}

/** The service whose `migrations.paths` hold the file. */
function serviceOfMigration(facts: AuditFacts, file: string): ResolvedService | undefined {
  return facts.model?.model.services.find((service) =>
    (service.migrations?.paths ?? []).some((raw) => {
      const path = raw.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
      return path === '' || path === '.' || file.startsWith(`${path}/`);
    }),
  );
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** UPDATE, MERGE and upserts rewrite rows; a reverse migration could put them back, unlike a drop. */
function isRowRewrite(text: string): boolean {
  if (/^(UPDATE|MERGE|INSERT)\b/i.test(text)) return true;
  return /^WITH\b/i.test(text) && /\b(UPDATE|MERGE|INSERT)\b/i.test(text) && !/\bDELETE\b/i.test(text);
}

/** `"Public".Orders` -> `orders`: schema and quotes dropped, for comparing table names. */
function tableKey(name: string): string {
  return (name.replace(/"/g, '').split('.').pop() ?? name).toLowerCase();
}

function createdTables(migration: MigrationFact): ReadonlySet<string> {
  return new Set(
    migration.statements.flatMap((statement) => {
      const sql = /^CREATE\s+(?:UNLOGGED\s+|TEMP(?:ORARY)?\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w."]+)/i.exec(statement.text)?.[1];
      const rails = /^create_table\s+[:"']?(\w+)/.exec(statement.text)?.[1];
      const name = sql ?? rails;
      return name ? [tableKey(name)] : [];
    }),
  );
}

interface LockRule {
  readonly matches: RegExp;
  /** the statement is safe when this is present; on a shortened statement that does not show it, the rule does not judge */
  readonly unless?: RegExp;
  readonly why: string;
}

const alterTable = String.raw`^ALTER\s+TABLE\b.*`;

const lockRules: readonly LockRule[] = [
  { matches: /^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY\b)/i, why: 'builds an index without CONCURRENTLY, blocking writes to the table until it is built' },
  { matches: /^REINDEX\b/i, unless: /\bCONCURRENTLY\b/i, why: 'reindexes without CONCURRENTLY, blocking writes' },
  { matches: new RegExp(`${alterTable}\\bALTER\\s+(?:COLUMN\\s+)?[\\w"]+\\s+(?:SET\\s+DATA\\s+)?TYPE\\b`, 'i'), why: 'changes a column type, rewriting the table under an ACCESS EXCLUSIVE lock' },
  { matches: new RegExp(`${alterTable}\\bSET\\s+NOT\\s+NULL\\b`, 'i'), why: 'sets NOT NULL, scanning the whole table under an ACCESS EXCLUSIVE lock' },
  {
    matches: new RegExp(`${alterTable}\\bADD\\b.*\\bDEFAULT\\b.*\\b(?:random|gen_random_uuid|uuid_generate_v[14]|clock_timestamp|timeofday|nextval)\\s*\\(`, 'i'),
    why: 'adds a column with a volatile default, rewriting every row under an ACCESS EXCLUSIVE lock',
  },
  { matches: new RegExp(`${alterTable}\\bADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?[\\w"]+\\s+(?:big|small)?serial\\b`, 'i'), why: 'adds a serial column, rewriting every row under an ACCESS EXCLUSIVE lock' },
  { matches: new RegExp(`${alterTable}\\bGENERATED\\s+ALWAYS\\s+AS\\b.*\\bSTORED\\b`, 'i'), why: 'adds a stored generated column, rewriting every row under an ACCESS EXCLUSIVE lock' },
  { matches: new RegExp(`${alterTable}\\bADD\\s+(?:CONSTRAINT\\s+[\\w"]+\\s+)?(?:FOREIGN\\s+KEY|CHECK)\\b`, 'i'), unless: /\bNOT\s+VALID\b/i, why: 'adds a constraint without NOT VALID, checking every row while writes wait' },
  { matches: new RegExp(`${alterTable}\\bADD\\s+(?:CONSTRAINT\\s+[\\w"]+\\s+)?(?:PRIMARY\\s+KEY|UNIQUE)\\b`, 'i'), unless: /\bUSING\s+INDEX\b/i, why: 'adds a primary key or unique constraint, building its index while writes wait' },
  { matches: /^VACUUM\s+(?:\([^)]*\bFULL\b|FULL\b)/i, why: 'runs VACUUM FULL, rewriting the table under an ACCESS EXCLUSIVE lock' },
  { matches: /^CLUSTER\b/i, why: 'runs CLUSTER, rewriting the table under an ACCESS EXCLUSIVE lock' },
  { matches: /^add_index\b/, unless: /algorithm:\s*:concurrently/, why: 'adds an index without algorithm: :concurrently, blocking writes to the table until it is built' },
  { matches: /^change_column\s/, why: 'changes a column type, rewriting the table under an ACCESS EXCLUSIVE lock' },
  { matches: /^change_column_null\s+[^,]+,[^,]+,\s*false\b/, why: 'sets NOT NULL, scanning the whole table under an ACCESS EXCLUSIVE lock' },
  { matches: /^add_(?:foreign_key|check_constraint)\b/, unless: /validate:\s*false/, why: 'adds a validated constraint, checking every row while writes wait' },
];

/** The table a statement works on, when it names one. */
function tableOf(text: string): string | undefined {
  const name =
    /^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?([\w."]+)/i.exec(text)?.[1] ??
    /^CREATE\s+(?:UNIQUE\s+)?INDEX\b.*?\bON\s+(?:ONLY\s+)?([\w."]+)/i.exec(text)?.[1] ??
    /^\w+\s+[:"']?(\w+)/.exec(text)?.[1];
  return name && tableKey(name);
}

/** Why a statement holds a heavy lock on an existing table, or undefined. */
export function lockingReason(text: string, createdHere: ReadonlySet<string>): string | undefined {
  const shortened = text.endsWith('…');
  const rule = lockRules.find((candidate) => candidate.matches.test(text) && !(candidate.unless && (candidate.unless.test(text) || shortened)));
  if (!rule) return undefined;
  const table = tableOf(text);
  return table !== undefined && createdHere.has(table) ? undefined : rule.why;
}

const renamesOrRetypes = /\bRENAME\s+(?:COLUMN\s+|TO\b)|\bRENAME\s+[\w"]+\s+TO\b|\bALTER\s+(?:COLUMN\s+)?[\w"]+\s+(?:SET\s+DATA\s+)?TYPE\b|^(?:rename_column|rename_table|change_column)\s|^t\.rename\b/i;

const expandContract = /expand|contract|two[- ]phase|backward[- ]compatib|dual[- ]writ|parallel change/i;

function hasExpandContractNote(migration: MigrationFact): boolean {
  return expandContract.test(migration.file) || (migration.comments ?? []).some((comment) => expandContract.test(comment));
}
