import type { DropStmt, Node, ObjectType, RenameStmt } from 'libpg-query';
import { classifyAlterTable } from './classify-alter-table.ts';
import { nodeEntry, nodeOf, relationName, stringsOf, type NodeBody, type NodeKey } from './sql-names.ts';
import type { Classification } from './types.ts';

export interface StatementContext {
  /** the down/undo migration (or method) that reverses this migration, when there is one */
  readonly reverse?: string;
}

type Rule<K extends NodeKey> = (statement: NodeBody<K>, context: StatementContext) => Classification | undefined;
type Rules = { readonly [K in NodeKey]?: Rule<K> };

const safe = (reason: string): Classification => ({ class: 'safe', reason });
const forwardFix = (reason: string): Classification => ({ class: 'forward-fix', reason });
const dataLoss = (reason: string): Classification => ({ class: 'data-loss', reason });
const replaces = (replace: boolean | undefined, what: string): Classification =>
  replace ? forwardFix(`Replaces ${what} the previous release may rely on; no table data is lost, but it behaves differently.`) : safe(`Creates ${what}; the previous release does not use it.`);

const rules: Rules = {
  CreateStmt: (statement) => safe(`Creates table ${relationName(statement.relation)}; the previous release does not use it.`),
  CreateTableAsStmt: () => safe('Creates a table from a query; nothing existing changes.'),
  IndexStmt: (statement) =>
    statement.unique
      ? forwardFix(`Adds a unique index on ${relationName(statement.relation)}: writes from the previous release that duplicate values will be rejected.`)
      : safe(`Adds an index on ${relationName(statement.relation)}; it changes how queries run, not what they return.`),
  DropStmt: (statement) => classifyDrop(statement),
  TruncateStmt: (statement) =>
    dataLoss(`Empties ${tableList(statement.relations)}: every row is deleted, and rolling back the code does not bring them back.`),
  DeleteStmt: (statement, context) => rewritesRows(`Deletes rows from ${relationName(statement.relation)}`, context),
  UpdateStmt: (statement, context) => rewritesRows(`Rewrites existing rows of ${relationName(statement.relation)} (a data backfill)`, context),
  MergeStmt: (statement, context) => rewritesRows(`Merges into ${relationName(statement.relation)}, changing existing rows`, context),
  InsertStmt: (statement, context) =>
    statement.onConflictClause?.action === 'ONCONFLICT_UPDATE'
      ? rewritesRows(`Upserts into ${relationName(statement.relation)}, changing existing rows`, context)
      : safe(`Adds rows to ${relationName(statement.relation)}; nothing existing changes.`),
  AlterTableStmt: (statement) => classifyAlterTable(statement),
  RenameStmt: (statement) => classifyRename(statement),
  AlterEnumStmt: (statement) =>
    statement.oldVal
      ? forwardFix(`Renames enum value '${statement.oldVal}' to '${statement.newVal ?? '?'}': the previous release still uses the old name.`)
      : safe(`Adds enum value '${statement.newVal ?? '?'}'; existing values stay as they are.`),
  ViewStmt: (statement) => replaces(statement.replace, `view ${relationName(statement.view)}`),
  CreateFunctionStmt: (statement) => replaces(statement.replace, `${statement.is_procedure ? 'procedure' : 'function'} ${stringsOf(statement.funcname).join('.')}`),
  CreateTrigStmt: (statement) =>
    statement.replace
      ? replaces(true, `trigger ${statement.trigname ?? ''} on ${relationName(statement.relation)}`)
      : safe(`Adds trigger ${statement.trigname ?? ''} on ${relationName(statement.relation)}; it runs on writes from either release and changes no existing rows.`),
  GrantStmt: (statement) =>
    statement.is_grant ? safe('Grants privileges; the previous release can still do everything it did.') : forwardFix('Revokes privileges the previous release may need.'),
  CreatePolicyStmt: (statement) => forwardFix(`Adds row-level security policy ${statement.policy_name ?? ''}: the previous release may see or write fewer rows than it expects.`),
  AlterPolicyStmt: (statement) => forwardFix(`Changes row-level security policy ${statement.policy_name ?? ''}: the previous release may see or write different rows.`),
  DoStmt: () => procedural('a DO block'),
  CallStmt: () => procedural('a procedure call'),
  SelectStmt: () => safe('Reads data only.'),
  // session and transaction control change nothing a rollback cares about
  TransactionStmt: () => undefined,
  VariableSetStmt: () => undefined,
  VariableShowStmt: () => undefined,
  LockStmt: () => undefined,
};

const additive: readonly NodeKey[] = [
  'CreateEnumStmt',
  'CompositeTypeStmt',
  'CreateRangeStmt',
  'CreateDomainStmt',
  'DefineStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'CreateExtensionStmt',
  'AlterExtensionStmt',
  'CreateSchemaStmt',
  'CreateStatsStmt',
  'CommentStmt',
  'AlterOwnerStmt',
  'AlterDefaultPrivilegesStmt',
  'ClusterStmt',
  'VacuumStmt',
  'ReindexStmt',
  'RefreshMatViewStmt',
  'AlterObjectSchemaStmt',
  'CheckPointStmt',
  'ListenStmt',
  'UnlistenStmt',
  'NotifyStmt',
  'DiscardStmt',
  'ExplainStmt',
];

/**
 * Classifies one parsed statement for rolling the code back past it. `undefined` for statements
 * that change nothing (BEGIN, SET). Unknown statements are `forward-fix`: a person must look.
 */
export function classifyStatement(node: Node, context: StatementContext = {}): Classification | undefined {
  const [kind, body] = nodeEntry(node);
  const rule = rules[kind] as ((statement: unknown, context: StatementContext) => Classification | undefined) | undefined;
  if (rule) return rule(body, context);
  if (additive.includes(kind)) return safe(`${describeKind(kind)} only adds or maintains database objects; existing data and tables stay as they are.`);
  return forwardFix(`steadyops does not know whether the previous release works after ${describeKind(kind)}; check it by hand.`);
}

/** `CreateEnumStmt` -> `CREATE ENUM`, for messages about statements without their own rule. */
function describeKind(kind: NodeKey): string {
  return kind
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

export function rewritesRows(what: string, context: StatementContext): Classification {
  if (context.reverse) {
    return forwardFix(`${what}; the reverse migration ${context.reverse} is meant to undo it, so run it when rolling back and check that it restores the old values.`);
  }
  return dataLoss(`${what}, and no reverse migration undoes it: the old values are gone, and the previous release will see the new ones.`);
}

function procedural(what: string): Classification {
  return forwardFix(`Runs ${what} that steadyops cannot look into; read it to see whether it deletes or rewrites data.`);
}

function tableList(relations: readonly Node[] | undefined): string {
  const names = (relations ?? []).map((node) => relationName(nodeOf(node, 'RangeVar')));
  return names.length > 0 ? names.join(', ') : 'the table';
}

/** Objects whose contents are not data someone wrote: dropping them costs behaviour, not rows. */
const definitionOnly: ReadonlySet<ObjectType> = new Set<ObjectType>([
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_FUNCTION',
  'OBJECT_PROCEDURE',
  'OBJECT_ROUTINE',
  'OBJECT_AGGREGATE',
  'OBJECT_TRIGGER',
  'OBJECT_POLICY',
  'OBJECT_RULE',
  'OBJECT_SEQUENCE',
  'OBJECT_STATISTIC_EXT',
  'OBJECT_OPERATOR',
  'OBJECT_CAST',
]);

const holdsData: ReadonlySet<ObjectType> = new Set<ObjectType>(['OBJECT_TABLE', 'OBJECT_SCHEMA', 'OBJECT_DATABASE', 'OBJECT_FOREIGN_TABLE']);

function classifyDrop(statement: DropStmt): Classification {
  const kind = (statement.removeType ?? 'OBJECT_TABLE').replace('OBJECT_', '').toLowerCase().replace('_', ' ');
  const names = (statement.objects ?? []).map(objectName).join(', ');
  if (statement.removeType && holdsData.has(statement.removeType)) {
    const lost = statement.removeType === 'OBJECT_SCHEMA' ? 'everything in it is' : 'its rows are';
    return dataLoss(`Drops ${kind} ${names}: ${lost} deleted, and the previous release fails wherever it still uses it until it is restored from a backup.`);
  }
  if (statement.behavior === 'DROP_CASCADE' && !definitionOnly.has(statement.removeType ?? 'OBJECT_TABLE') && statement.removeType !== 'OBJECT_INDEX') {
    return dataLoss(`Drops ${kind} ${names} with CASCADE, which also drops every column and table that depends on it, with their data.`);
  }
  if (statement.removeType === 'OBJECT_INDEX') {
    return safe(`Drops index ${names}; queries may get slower, but no data is lost and the previous release still works.`);
  }
  return forwardFix(`Drops ${kind} ${names}, which the previous release may still use; no table data is lost, but it must be recreated before the old code runs again.`);
}

function objectName(node: Node): string {
  const list = nodeOf(node, 'List');
  if (list) return stringsOf(list.items).join('.');
  const typeName = nodeOf(node, 'TypeName');
  if (typeName) return stringsOf(typeName.names).join('.');
  const withArgs = nodeOf(node, 'ObjectWithArgs');
  if (withArgs) return stringsOf(withArgs.objname).join('.');
  return nodeOf(node, 'String')?.sval ?? '?';
}

/** Renaming what code refers to by name breaks the previous release; renaming an index or constraint does not. */
const harmlessRenames: ReadonlySet<ObjectType> = new Set<ObjectType>(['OBJECT_INDEX', 'OBJECT_TABCONSTRAINT', 'OBJECT_DOMCONSTRAINT', 'OBJECT_TRIGGER', 'OBJECT_POLICY', 'OBJECT_RULE', 'OBJECT_STATISTIC_EXT']);

function classifyRename(statement: RenameStmt): Classification {
  const table = relationName(statement.relation);
  if (statement.renameType && harmlessRenames.has(statement.renameType)) {
    const subject = statement.subname ? `${statement.subname} of ${table}` : table;
    return safe(`Renames ${subject} to ${statement.newname ?? '?'}; application code does not refer to it by name.`);
  }
  if (statement.renameType === 'OBJECT_COLUMN') {
    return forwardFix(`Renames column ${table}.${statement.subname ?? '?'} to ${statement.newname ?? '?'}: the previous release still uses the old name and fails until it is renamed back.`);
  }
  const subject = statement.relation ? table : objectName(statement.object ?? { String: { sval: '?' } });
  return forwardFix(`Renames ${subject} to ${statement.newname ?? '?'}: the previous release still uses the old name and fails until it is renamed back.`);
}
