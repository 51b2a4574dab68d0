import { addColumn, namedTypeChange } from './classify-alter-table.ts';
import { classifyEmbeddedSql, shorten } from './classify-sql.ts';
import { rewritesRows, type StatementContext } from './classify-statement.ts';
import { closingParen, functionBody, literalText, scanPython, type PythonSource } from './python-source.ts';
import type { SqlParser } from './sql-parser.ts';
import { lineAt } from './string-literals.ts';
import type { Classification, ClassifiedCode, Finding } from './types.ts';
import { worstOf } from './worst-class.ts';

/** One `op.x(...)` call of `upgrade()`: its arguments as written, and the string arguments in order. */
interface OpCall {
  readonly method: string;
  readonly start: number;
  readonly args: string;
  readonly argsStart: number;
  readonly argsEnd: number;
  readonly names: readonly string[];
  /** the table of the enclosing `op.batch_alter_table(...)`, for `batch_op` calls */
  readonly batchTable?: string;
}

type OpRule = (call: OpCall) => Classification | undefined;

const table = (call: OpCall): string => call.batchTable ?? call.names[0] ?? '?';
const column = (call: OpCall): string => (call.batchTable ? `${call.batchTable}.${call.names[0] ?? '?'}` : `${call.names[0] ?? '?'}.${call.names[1] ?? '?'}`);
const keyword = (call: OpCall, name: string): string | undefined => new RegExp(`\\b${name}\\s*=\\s*([^,)\\s]+)`).exec(call.args)?.[1];
const safe = (reason: string) => (): Classification => ({ class: 'safe', reason });

const opRules: Readonly<Record<string, OpRule>> = {
  create_table: (call) => ({ class: 'safe', reason: `Creates table ${call.names[0] ?? '?'}; the previous release does not use it.` }),
  add_column: (call) =>
    addColumn(call.batchTable ? `${call.batchTable}.${call.names[0] ?? '?'}` : `${call.names[0] ?? '?'}.${call.names[1] ?? '?'}`, {
      nullable: keyword(call, 'nullable') !== 'False' && keyword(call, 'primary_key') !== 'True',
      hasDefault: keyword(call, 'server_default') !== undefined && keyword(call, 'server_default') !== 'None',
      unique: keyword(call, 'unique') === 'True' || keyword(call, 'primary_key') === 'True',
    }),
  drop_column: (call) => ({
    class: 'data-loss',
    reason: `Drops column ${column(call)}: its values are deleted, and the previous release fails wherever it still reads or writes the column until it is restored from a backup.`,
  }),
  drop_table: (call) => ({
    class: 'data-loss',
    reason: `Drops table ${call.names[0] ?? '?'}: its rows are deleted, and the previous release fails wherever it still uses it until it is restored from a backup.`,
  }),
  alter_column: (call) => classifyAlterColumn(call),
  rename_table: (call) => ({
    class: 'forward-fix',
    reason: `Renames table ${call.names[0] ?? '?'} to ${call.names[1] ?? '?'}: the previous release still uses the old name and fails until it is renamed back.`,
  }),
  create_index: (call) =>
    keyword(call, 'unique') === 'True'
      ? { class: 'forward-fix', reason: `Adds a unique index on ${call.names[1] ?? table(call)}: writes from the previous release that duplicate values will be rejected.` }
      : { class: 'safe', reason: `Adds an index on ${call.names[1] ?? table(call)}; it changes how queries run, not what they return.` },
  drop_index: safe('Drops an index; queries may get slower, but no data is lost and the previous release still works.'),
  drop_constraint: safe('Drops a constraint; fewer writes are rejected and no data is lost.'),
  create_foreign_key: (call) => constraint(call, 'a foreign key'),
  create_check_constraint: (call) => constraint(call, 'a check constraint'),
  create_unique_constraint: (call) => constraint(call, 'a unique constraint'),
  create_primary_key: (call) => constraint(call, 'a primary key'),
  create_exclude_constraint: (call) => constraint(call, 'an exclusion constraint'),
  bulk_insert: safe('Adds rows; nothing existing changes.'),
  create_table_comment: safe('Sets a comment; the data and its shape stay the same.'),
  drop_table_comment: safe('Drops a comment; the data and its shape stay the same.'),
  // containers and helpers, not changes themselves
  batch_alter_table: () => undefined,
  get_bind: () => undefined,
  get_context: () => undefined,
  inline_literal: () => undefined,
  f: () => undefined,
};

/**
 * Reads an Alembic revision (Python): the `op.*` calls of `upgrade()` by name and keyword
 * arguments, and the SQL of `op.execute(...)` strings with the PostgreSQL parser. A reverse
 * exists when `downgrade()` does something (not just `pass`).
 */
export function classifyAlembicMigration(file: string, text: string, parser: SqlParser): ClassifiedCode {
  const source = scanPython(text);
  const reverse = implementsDowngrade(source) ? 'downgrade()' : undefined;
  const context: StatementContext = reverse ? { reverse } : {};
  const body = functionBody(source, 'upgrade');
  if (!body) return reverse ? { findings: [], reverse } : { findings: [] };
  const findings = opCalls(source, body).flatMap((call) => classifyCall(file, source, call, parser, context));
  return reverse ? { findings, reverse } : { findings };
}

function implementsDowngrade(source: PythonSource): boolean {
  const body = functionBody(source, 'downgrade');
  if (!body) return false;
  const statements = source.masked
    .slice(body.start, body.end)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(pass|\.\.\.|raise\s+NotImplementedError\b.*|[rRbBuUfF]*("""|'''|"|').*)$/.test(line));
  return statements.length > 0;
}

function opCalls(source: PythonSource, body: { start: number; end: number }): OpCall[] {
  const calls: OpCall[] = [];
  let batchTable: string | undefined;
  // `op.get_bind().execute(...)` has a call, not a name, before `.execute`
  const pattern = /(\b\w+|\))\.(\w+)\s*\(/g;
  pattern.lastIndex = body.start;
  for (let match = pattern.exec(source.masked); match && match.index < body.end; match = pattern.exec(source.masked)) {
    const [whole, object = '', method = ''] = match;
    if (!/^(op|\w*_op)$/.test(object) && method !== 'execute') continue;
    const open = match.index + whole.length - 1;
    const close = closingParen(source.masked, open);
    const names = source.literals.filter((literal) => literal.start > open && literal.end <= close).map((literal) => literalText(source, literal)?.content ?? '');
    const call: OpCall = { method, start: match.index, args: source.text.slice(open + 1, close), argsStart: open + 1, argsEnd: close, names, ...(object !== 'op' && batchTable ? { batchTable } : {}) };
    if (method === 'batch_alter_table') batchTable = names[0];
    calls.push(call);
    // calls nested in the arguments (sa.Column(...)) are part of this call
    pattern.lastIndex = close;
  }
  return calls;
}

function classifyCall(file: string, source: PythonSource, call: OpCall, parser: SqlParser, context: StatementContext): Finding[] {
  const line = lineAt(source.text, call.start);
  const statement = shorten(source.text.slice(call.start, call.argsEnd + 1));
  if (call.method === 'execute') return classifyExecute(file, source, call, parser, context, { line, statement });
  const rule = opRules[call.method];
  const classification = rule
    ? rule(call)
    : { class: 'forward-fix' as const, reason: `steadyops does not know op.${call.method}; check by hand whether the previous release works after it.` };
  return classification ? [{ file, line, statement, ...classification }] : [];
}

function classifyExecute(file: string, source: PythonSource, call: OpCall, parser: SqlParser, context: StatementContext, at: { line: number; statement: string }): Finding[] {
  const literals = source.literals.filter((literal) => literal.start >= call.argsStart && literal.end <= call.argsEnd);
  const masked = source.masked.slice(call.argsStart, call.argsEnd);
  const first = literals[0];
  const text = first ? literalText(source, first) : undefined;
  const others = first ? `${source.masked.slice(call.argsStart, first.start)}${source.masked.slice(first.end, call.argsEnd)}` : masked;
  // the SQL is the literal alone, perhaps wrapped in sa.text(...); anything else builds it at run time
  if (text && literals.length === 1 && /^[\s(),]*((sa\.|sqlalchemy\.)?text\s*\(?)?[\s(),]*$/.test(others)) {
    return classifyEmbeddedSql(file, source.text, text, parser, context);
  }
  const found = (classification: Classification): Finding[] => [{ file, ...at, ...classification }];
  if (/\.update\s*\(/.test(masked)) return found(rewritesRows('Rewrites rows with an SQLAlchemy update()', context));
  if (/\.delete\s*\(/.test(masked)) return found(rewritesRows('Deletes rows with an SQLAlchemy delete()', context));
  if (/\.insert\s*\(/.test(masked)) return found({ class: 'safe', reason: 'Adds rows with an SQLAlchemy insert(); nothing existing changes.' });
  return found({ class: 'forward-fix', reason: 'Runs SQL put together at run time that steadyops cannot read; check by hand whether it deletes or rewrites data.' });
}

/** `op.alter_column` does several things at once; it is as bad as the worst of them. */
function classifyAlterColumn(call: OpCall): Classification {
  const name = column(call);
  const changes: Classification[] = [];
  const type = /\btype_\s*=\s*(?:\w+\.)*(\w+)\s*(\(([^)]*)\))?/.exec(call.args);
  if (type) {
    const limited = (type[3] ?? '').trim() !== '' && !/^timezone\s*=\s*True$/.test((type[3] ?? '').trim());
    const typeName = type[1] === 'DateTime' || type[1] === 'TIMESTAMP' ? (/timezone\s*=\s*True/.test(type[3] ?? '') ? 'timestamptz' : 'timestamp') : (type[1] ?? '?');
    changes.push(namedTypeChange(name, typeName, { limited, using: keyword(call, 'postgresql_using') !== undefined }));
  }
  const nullable = keyword(call, 'nullable');
  if (nullable === 'False') changes.push({ class: 'forward-fix', reason: `Makes ${name} NOT NULL: writes from the previous release that leave it empty will be rejected.` });
  if (nullable === 'True') changes.push({ class: 'safe', reason: `Allows NULL in ${name}; the previous release still fills it in.` });
  const renamed = /\bnew_column_name\s*=\s*["']([^"']+)/.exec(call.args)?.[1];
  if (renamed) changes.push({ class: 'forward-fix', reason: `Renames column ${name} to ${renamed}: the previous release still uses the old name and fails until it is renamed back.` });
  if (keyword(call, 'server_default') === 'None') changes.push({ class: 'forward-fix', reason: `Drops the default of ${name}: inserts from the previous release that rely on it may fail.` });
  return worstOf(changes) ?? { class: 'safe', reason: `Changes a setting of ${name}; the data and its shape stay the same.` };
}

function constraint(call: OpCall, what: string): Classification {
  if (keyword(call, 'postgresql_not_valid') === 'True') {
    return { class: 'safe', reason: `Adds ${what} as NOT VALID: existing rows are not checked, so nothing breaks now; validate it later.` };
  }
  return { class: 'forward-fix', reason: `Adds ${what}, validated: writes from the previous release that break it will be rejected.` };
}
