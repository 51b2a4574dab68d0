import type { AlterTableCmd, AlterTableStmt, AlterTableType, ColumnDef, Constraint, ConstrType, Node } from 'libpg-query';
import { baseTypeName, displayTypeName, nodeOf, relationName, stringsOf } from './sql-names.ts';
import type { Classification } from './types.ts';
import { worstOf } from './worst-class.ts';

/** ALTER TABLE with several actions is as bad as its worst action. */
export function classifyAlterTable(statement: AlterTableStmt): Classification {
  const table = relationName(statement.relation);
  const actions = (statement.cmds ?? []).flatMap((node) => {
    const command = nodeOf(node, 'AlterTableCmd');
    return command ? [classifyAlterTableCmd(table, command)] : [];
  });
  return worstOf(actions) ?? { class: 'safe', reason: `Changes nothing in ${table}.` };
}

const settingsOnly: ReadonlySet<AlterTableType> = new Set<AlterTableType>([
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_SetLogged',
  'AT_SetUnLogged',
  'AT_SetAccessMethod',
  'AT_SetTableSpace',
  'AT_SetRelOptions',
  'AT_ResetRelOptions',
  'AT_ReplaceRelOptions',
  'AT_ChangeOwner',
  'AT_ReplicaIdentity',
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_EnableTrigAll',
  'AT_EnableTrigUser',
  'AT_AddIdentity',
  'AT_SetIdentity',
  'AT_AttachPartition',
  'AT_GenericOptions',
  'AT_AlterColumnGenericOptions',
  'AT_AlterConstraint',
  'AT_DropOids',
]);

type CommandRule = (table: string, command: AlterTableCmd) => Classification;

const commandRules: Partial<Record<AlterTableType, CommandRule>> = {
  AT_AddColumn: (table, command) => classifyAddColumn(table, nodeOf(command.def, 'ColumnDef')),
  AT_AddColumnToView: (table) => ({ class: 'safe', reason: `Adds a column to view ${table}; the previous release does not read it.` }),
  AT_DropColumn: (table, command) => ({
    class: 'data-loss',
    reason: `Drops column ${table}.${command.name ?? '?'}: its values are deleted, and the previous release fails wherever it still reads or writes the column until it is restored from a backup.`,
  }),
  AT_AlterColumnType: (table, command) => classifyTypeChange(`${table}.${command.name ?? '?'}`, nodeOf(command.def, 'ColumnDef')),
  AT_SetNotNull: (table, command) => ({
    class: 'forward-fix',
    reason: `Makes ${table}.${command.name ?? '?'} NOT NULL: writes from the previous release that leave it empty will be rejected.`,
  }),
  AT_DropNotNull: (table, command) => ({
    class: 'safe',
    reason: `Allows NULL in ${table}.${command.name ?? '?'}; the previous release still fills it in, so its writes keep working.`,
  }),
  AT_ColumnDefault: (table, command) =>
    command.def
      ? { class: 'safe', reason: `Sets a default for ${table}.${command.name ?? '?'}; existing rows and the previous release's writes are unaffected.` }
      : { class: 'forward-fix', reason: `Drops the default of ${table}.${command.name ?? '?'}: inserts from the previous release that rely on it may fail.` },
  AT_AddConstraint: (table, command) => classifyAddConstraint(table, nodeOf(command.def, 'Constraint')),
  AT_ValidateConstraint: (table, command) => ({
    class: 'safe',
    reason: `Validates constraint ${command.name ?? '?'} on ${table}; new writes were already checked against it, so only old rows are looked at.`,
  }),
  AT_DropConstraint: (table, command) => ({
    class: 'safe',
    reason: `Drops constraint ${command.name ?? '?'} on ${table}; fewer writes are rejected and no data is lost.`,
  }),
  AT_AddIndex: (table) => uniqueness(table),
  AT_AddIndexConstraint: (table) => uniqueness(table),
  AT_DropIdentity: (table, command) => ({
    class: 'forward-fix',
    reason: `Stops generating values for ${table}.${command.name ?? '?'}: inserts from the previous release that leave it out will fail.`,
  }),
  AT_EnableRowSecurity: (table) => rowSecurity(table),
  AT_ForceRowSecurity: (table) => rowSecurity(table),
  AT_DetachPartition: (table) => ({
    class: 'forward-fix',
    reason: `Detaches a partition from ${table}: its rows vanish from the table the previous release reads (they stay in the detached table).`,
  }),
};

function classifyAlterTableCmd(table: string, command: AlterTableCmd): Classification {
  const subtype = command.subtype;
  if (subtype === undefined) return unknownAction(table, 'an unnamed change');
  const rule = commandRules[subtype];
  if (rule) return rule(table, command);
  if (settingsOnly.has(subtype)) {
    return { class: 'safe', reason: `Changes a setting of ${table} (${subtype.slice(3)}); the data and its shape stay the same.` };
  }
  return unknownAction(table, subtype.slice(3));
}

function unknownAction(table: string, what: string): Classification {
  return { class: 'forward-fix', reason: `steadyops does not know whether the previous release copes with ${what} on ${table}; check it by hand.` };
}

function constraintTypes(column: ColumnDef): Set<ConstrType | undefined> {
  return new Set((column.constraints ?? []).map((node) => nodeOf(node, 'Constraint')?.contype));
}

/** Columns the previous release can ignore: nullable, or filled in by a default, identity or generation. */
export function classifyAddColumn(table: string, column: ColumnDef | undefined): Classification {
  if (!column) return unknownAction(table, 'a new column');
  const types = constraintTypes(column);
  return addColumn(`${table}.${column.colname ?? '?'}`, {
    nullable: !types.has('CONSTR_NOTNULL') && column.is_not_null !== true,
    hasDefault: types.has('CONSTR_DEFAULT') || types.has('CONSTR_IDENTITY') || types.has('CONSTR_GENERATED') || column.raw_default !== undefined,
    unique: types.has('CONSTR_PRIMARY') || types.has('CONSTR_UNIQUE'),
  });
}

export interface NewColumn {
  readonly nullable: boolean;
  /** a default, identity or generated value fills it in when an insert leaves it out */
  readonly hasDefault: boolean;
  readonly unique?: boolean;
}

/** A new column, however it was written (SQL, Rails, Alembic). */
export function addColumn(column: string, shape: NewColumn): Classification {
  if (shape.unique) {
    return { class: 'forward-fix', reason: `Adds column ${column} with a uniqueness rule: inserts from the previous release, which leave it empty, may collide.` };
  }
  if (!shape.nullable && !shape.hasDefault) {
    return { class: 'forward-fix', reason: `Adds column ${column} as NOT NULL without a default: inserts from the previous release, which does not set it, will fail.` };
  }
  return { class: 'safe', reason: `Adds column ${column}, ${shape.nullable ? 'which may be empty' : 'filled in by its default'}, so the previous release keeps working.` };
}

function classifyAddConstraint(table: string, constraint: Constraint | undefined): Classification {
  const name = constraint?.conname ? ` ${constraint.conname}` : '';
  if (constraint?.skip_validation) {
    return { class: 'safe', reason: `Adds constraint${name} to ${table} as NOT VALID: existing rows are not checked, so nothing breaks now; validate it later.` };
  }
  if (constraint?.contype === 'CONSTR_DEFAULT') return { class: 'safe', reason: `Adds a default to ${table}; nothing existing changes.` };
  return { class: 'forward-fix', reason: `Adds validated constraint${name} to ${table}: writes from the previous release that break it will be rejected.` };
}

function uniqueness(table: string): Classification {
  return { class: 'forward-fix', reason: `Makes an index of ${table} a primary key or unique constraint: writes from the previous release that duplicate values will be rejected.` };
}

function rowSecurity(table: string): Classification {
  return { class: 'forward-fix', reason: `Turns on row-level security for ${table}: the previous release may see or write fewer rows than it expects.` };
}

/**
 * Types that hold every value of the narrower types a column usually changes from (int to
 * bigint, varchar(n) to text, timestamp to timestamptz), when written without a size limit.
 */
const wideningTargets: ReadonlySet<string> = new Set(['text', 'int8', 'numeric', 'varchar', 'timestamptz']);

/** The old type is not in the statement, so only targets that fit every usual source count as widening. */
export function classifyTypeChange(column: string, definition: ColumnDef | undefined): Classification {
  const target = definition?.typeName;
  if (definition?.raw_default && !isPlainCast(definition.raw_default, column.split('.').pop() ?? '')) {
    return typeChange(column, displayTypeName(target), 'rewrite');
  }
  const limited = (target?.typmods ?? []).length > 0;
  return typeChange(column, displayTypeName(target), !limited && wideningTargets.has(baseTypeName(target)) ? 'widening' : 'narrowing');
}

/** How a column type change is classified, for SQL and for the Rails and Alembic helpers alike. */
export function typeChange(column: string, shown: string, kind: 'widening' | 'narrowing' | 'rewrite'): Classification {
  if (kind === 'rewrite') {
    return {
      class: 'data-loss',
      reason: `Changes ${column} to ${shown} USING an expression: every value is rewritten, and rolling back the code does not bring the old values back.`,
    };
  }
  if (kind === 'widening') {
    return { class: 'forward-fix', reason: `Widens ${column} to ${shown}, which keeps every value; the previous release works only if it does not rely on the old type.` };
  }
  return {
    class: 'data-loss',
    reason: `Changes ${column} to ${shown}: steadyops cannot see the old type, and a narrowing change rounds, cuts or rejects values; check every value fits before relying on a rollback.`,
  };
}

const wideningNames: ReadonlySet<string> = new Set(['text', 'bigint', 'biginteger', 'int8', 'decimal', 'numeric', 'string', 'varchar', 'unicode', 'unicodetext', 'timestamptz']);

/** A type change named the Rails or SQLAlchemy way (`:bigint`, `sa.Text()`); `limited` when it has a size. */
export function namedTypeChange(column: string, typeName: string, options: { limited?: boolean; using?: boolean }): Classification {
  if (options.using) return typeChange(column, typeName, 'rewrite');
  return typeChange(column, typeName, !options.limited && wideningNames.has(typeName.toLowerCase()) ? 'widening' : 'narrowing');
}

/** `USING col` or `USING col::type` converts exactly as the implicit cast would. */
function isPlainCast(expression: Node, column: string): boolean {
  const cast = nodeOf(expression, 'TypeCast');
  const reference = nodeOf(cast ? cast.arg : expression, 'ColumnRef');
  return reference !== undefined && stringsOf(reference.fields).pop() === column;
}
