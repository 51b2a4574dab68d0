import { addColumn, namedTypeChange } from './classify-alter-table.ts';
import { classifyEmbeddedSql, shorten } from './classify-sql.ts';
import { rewritesRows, type StatementContext } from './classify-statement.ts';
import type { SqlParser } from './sql-parser.ts';
import { literalBetween, readDelimited, type StringLiteral } from './string-literals.ts';
import type { Classification, ClassifiedCode, Finding } from './types.ts';

interface RailsFile {
  readonly file: string;
  readonly text: string;
  readonly lines: readonly string[];
  /** offset of each line's first character */
  readonly starts: readonly number[];
}

type RailsRule = (args: string, table: string | undefined) => Classification;

const additive = (what: string) => (): Classification => ({ class: 'safe', reason: `${what}; the previous release does not depend on it.` });

/** The schema helpers of ActiveRecord::Migration, keyed by method name; `t.x` calls inside `change_table` use `changeTableRules`. */
const migrationRules: Readonly<Record<string, RailsRule>> = {
  create_table: (args) => ({ class: 'safe', reason: `Creates table ${argument(args, 0)}; the previous release does not use it.` }),
  create_join_table: additive('Creates a join table'),
  add_column: (args) => addColumn(`${argument(args, 0)}.${argument(args, 1)}`, railsOptions(args)),
  add_reference: (args) => addColumn(`${argument(args, 0)}.${argument(args, 1)}_id`, railsOptions(args)),
  add_belongs_to: (args) => addColumn(`${argument(args, 0)}.${argument(args, 1)}_id`, railsOptions(args)),
  add_timestamps: (args) => addColumn(`${argument(args, 0)}.created_at/updated_at`, { nullable: option(args, 'null') === 'true', hasDefault: option(args, 'default') !== undefined }),
  add_index: (args) => index(argument(args, 0), option(args, 'unique') === 'true'),
  add_foreign_key: (args) => validated(`a foreign key from ${argument(args, 0)} to ${argument(args, 1)}`, option(args, 'validate') !== 'false'),
  add_check_constraint: (args) => validated(`a check constraint on ${argument(args, 0)}`, option(args, 'validate') !== 'false'),
  remove_column: (args) => removesColumn(`${argument(args, 0)}.${argument(args, 1)}`),
  remove_columns: (args) => removesColumn(`${argument(args, 0)}.${argument(args, 1)}`),
  remove_reference: (args) => removesColumn(`${argument(args, 0)}.${argument(args, 1)}_id`),
  remove_belongs_to: (args) => removesColumn(`${argument(args, 0)}.${argument(args, 1)}_id`),
  remove_timestamps: (args) => removesColumn(`${argument(args, 0)}.created_at/updated_at`),
  drop_table: (args) => dropsTable(argument(args, 0)),
  drop_join_table: (args) => dropsTable(`${argument(args, 0)}/${argument(args, 1)}`),
  change_column: (args) => namedTypeChange(`${argument(args, 0)}.${argument(args, 1)}`, argument(args, 2), railsOptions(args)),
  rename_column: (args) => renames(`column ${argument(args, 0)}.${argument(args, 1)}`, argument(args, 2)),
  rename_table: (args) => renames(`table ${argument(args, 0)}`, argument(args, 1)),
  rename_index: additive('Renames an index'),
  change_column_null: (args) =>
    /^\s*[^,]+,[^,]+,\s*false\b/.test(args)
      ? { class: 'forward-fix', reason: `Makes ${argument(args, 0)}.${argument(args, 1)} NOT NULL: writes from the previous release that leave it empty will be rejected.` }
      : { class: 'safe', reason: `Allows NULL in ${argument(args, 0)}.${argument(args, 1)}; the previous release still fills it in.` },
  change_column_default: additive('Changes a column default'),
  remove_index: () => ({ class: 'safe', reason: 'Removes an index; queries may get slower, but no data is lost.' }),
  remove_foreign_key: () => ({ class: 'safe', reason: 'Removes a foreign key; fewer writes are rejected and no data is lost.' }),
  remove_check_constraint: () => ({ class: 'safe', reason: 'Removes a check constraint; fewer writes are rejected and no data is lost.' }),
  enable_extension: additive('Enables a PostgreSQL extension'),
};

const columnTypes = ['string', 'text', 'integer', 'bigint', 'float', 'decimal', 'numeric', 'datetime', 'timestamp', 'timestamptz', 'time', 'date', 'binary', 'boolean', 'json', 'jsonb', 'uuid', 'column'];

const changeTableRules: Readonly<Record<string, RailsRule>> = {
  remove: (args, table) => removesColumn(`${table}.${argument(args, 0)}`),
  remove_references: (args, table) => removesColumn(`${table}.${argument(args, 0)}_id`),
  remove_belongs_to: (args, table) => removesColumn(`${table}.${argument(args, 0)}_id`),
  remove_timestamps: (_args, table) => removesColumn(`${table}.created_at/updated_at`),
  rename: (args, table) => renames(`column ${table}.${argument(args, 0)}`, argument(args, 1)),
  change: (args, table) => namedTypeChange(`${table}.${argument(args, 0)}`, argument(args, 1), railsOptions(args)),
  change_default: additive('Changes a column default'),
  index: (args, table) => index(table ?? '?', option(args, 'unique') === 'true'),
  remove_index: () => ({ class: 'safe', reason: 'Removes an index; queries may get slower, but no data is lost.' }),
  references: (args, table) => addColumn(`${table}.${argument(args, 0)}_id`, railsOptions(args)),
  belongs_to: (args, table) => addColumn(`${table}.${argument(args, 0)}_id`, railsOptions(args)),
  timestamps: (args, table) => addColumn(`${table}.created_at/updated_at`, { nullable: option(args, 'null') === 'true', hasDefault: option(args, 'default') !== undefined }),
  ...Object.fromEntries(columnTypes.map((type) => [type, (args: string, table: string | undefined) => addColumn(`${table}.${argument(args, 0)}`, railsOptions(args))])),
};

const dataChanges: ReadonlyArray<readonly [RegExp, string]> = [
  [/\.(update_all|update_columns?)\b/, 'Rewrites rows through ActiveRecord'],
  [/\.(delete_all|destroy_all|delete_by|destroy_by)\b/, 'Deletes rows through ActiveRecord'],
];

/**
 * Reads a Rails migration (Ruby) by recognising the schema helpers line by line, and SQL inside
 * `execute` strings with the PostgreSQL parser. Code in `def down` and `dir.down` is the reverse,
 * not the change.
 */
export function classifyRailsMigration(file: string, text: string, parser: SqlParser): ClassifiedCode {
  const source = railsFile(file, text);
  const reverse = /^\s*def\s+down\b/m.test(text) ? 'def down' : /\bdir\.down\b/.test(text) ? 'dir.down in reversible' : undefined;
  const context: StatementContext = reverse ? { reverse } : {};
  const skip = reverseLines(source.lines);
  const findings: Finding[] = [];
  let index = 0;
  while (index < source.lines.length) {
    const line = source.lines[index] ?? '';
    if (skip.has(index) || /^\s*(#|$)/.test(line)) {
      index += 1;
      continue;
    }
    const step = classifyLine(source, index, parser, context);
    findings.push(...step.findings);
    index = step.next;
  }
  return reverse ? { findings, reverse } : { findings };
}

function railsFile(file: string, text: string): RailsFile {
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  return { file, text, lines, starts };
}

interface Step {
  readonly findings: Finding[];
  readonly next: number;
}

function classifyLine(source: RailsFile, index: number, parser: SqlParser, context: StatementContext): Step {
  const line = source.lines[index] ?? '';
  const finding = (classification: Classification): Finding => ({ file: source.file, line: index + 1, statement: shorten(line), ...classification });
  // `dir.up { execute "..." }` runs the SQL forward like a bare execute
  const execute = /^\s*(?:\w+\.up\s*(?:\{|do\b)\s*)?(?:[\w:]+\.)?execute\b\s*\(?\s*/.exec(line);
  if (execute) return classifyExecute(source, index, (source.starts[index] ?? 0) + execute[0].length, parser, context);
  const call = /^\s*(\w+)\b\s*\(?\s*(.*)$/.exec(line);
  const name = call?.[1] ?? '';
  const args = call?.[2] ?? '';
  if (name === 'create_table' || name === 'create_join_table') {
    return { findings: [finding(migrationRules[name]?.(args, undefined) ?? { class: 'safe', reason: 'Creates a table.' })], next: blockEnd(source.lines, index) + 1 };
  }
  if (name === 'change_table') return classifyChangeTable(source, index, argument(args, 0));
  const change = dataChanges.find(([pattern]) => pattern.test(line));
  if (change) return { findings: [finding(rewritesRows(change[1], context))], next: index + 1 };
  const rule = migrationRules[name];
  return { findings: rule ? [finding(rule(args, undefined))] : [], next: index + 1 };
}

function classifyChangeTable(source: RailsFile, index: number, table: string): Step {
  const end = blockEnd(source.lines, index);
  const findings: Finding[] = [];
  for (let inner = index + 1; inner < end; inner += 1) {
    const line = source.lines[inner] ?? '';
    const call = /^\s*\w+\.(\w+)\b\s*\(?\s*(.*)$/.exec(line);
    const rule = call ? changeTableRules[call[1] ?? ''] : undefined;
    if (rule) findings.push({ file: source.file, line: inner + 1, statement: shorten(line), ...rule(call?.[2] ?? '', table) });
  }
  return { findings, next: end + 1 };
}

function classifyExecute(source: RailsFile, index: number, at: number, parser: SqlParser, context: StatementContext): Step {
  const literal = rubyString(source, index, at);
  if (!literal) {
    const line = source.lines[index] ?? '';
    const reason = 'Runs SQL from a variable or method that steadyops cannot read; check by hand whether it deletes or rewrites data.';
    return { findings: [{ file: source.file, line: index + 1, statement: shorten(line), class: 'forward-fix', reason }], next: index + 1 };
  }
  const endLine = source.starts.findLastIndex((start) => start < literal.end);
  return { findings: classifyEmbeddedSql(source.file, source.text, literal, parser, context), next: Math.max(index, endLine) + 1 };
}

const percentClosers: Readonly<Record<string, string>> = { '(': ')', '{': '}', '[': ']', '<': '>', '|': '|', '!': '!' };
const rubyInterpolation = /#\{[^}]*\}/g;

/** A Ruby string literal starting at `at`: "...", '...', %q(...), %Q{...} or a heredoc (<<~SQL). */
function rubyString(source: RailsFile, index: number, at: number): StringLiteral | undefined {
  const { text } = source;
  const heredoc = /^<<([~-]?)(['"]?)(\w+)\2/.exec(text.slice(at));
  if (heredoc) {
    const terminator = heredoc[3] ?? '';
    const bodyLine = index + 1;
    const endLine = source.lines.findIndex((line, lineIndex) => lineIndex >= bodyLine && line.trim() === terminator);
    if (endLine === -1) return undefined;
    const start = source.starts[bodyLine] ?? text.length;
    const end = source.starts[endLine] ?? text.length;
    return literalBetween(text, start, end, end, heredoc[2] === "'" ? { raw: true } : { interpolation: rubyInterpolation });
  }
  const quote = text[at];
  if (quote === '"') return readDelimited(text, at + 1, '"', { interpolation: rubyInterpolation });
  if (quote === "'") return readDelimited(text, at + 1, "'");
  const percent = /^%([qQ]?)([({[<|!])/.exec(text.slice(at));
  if (percent) {
    const closer = percentClosers[percent[2] ?? '('] ?? ')';
    return readDelimited(text, at + percent[0].length, closer, percent[1] === 'q' ? {} : { interpolation: rubyInterpolation });
  }
  return undefined;
}

/** Lines of `def down` and `dir.down` blocks: they reverse the migration, they are not the change. */
function reverseLines(lines: readonly string[]): Set<number> {
  const skip = new Set<number>();
  lines.forEach((line, index) => {
    if (!/^\s*def\s+down\b/.test(line) && !/^\s*\w+\.down\b/.test(line)) return;
    const end = /\bdo\b/.test(line) || /^\s*def\b/.test(line) ? blockEnd(lines, index) : index;
    for (let at = index; at <= end; at += 1) skip.add(at);
  });
  return skip;
}

/** The line of the `end` closing the block opened on `index` (same indentation), or `index` for a one-line block. */
function blockEnd(lines: readonly string[], index: number): number {
  const opener = lines[index] ?? '';
  if (/\bend\s*\)?\s*$/.test(opener) || (/\{/.test(opener) && /\}\s*$/.test(opener))) return index;
  if (!/\bdo\b(\s*\|[^|]*\|)?\s*$/.test(opener) && !/^\s*def\b/.test(opener)) return index;
  const indent = /^\s*/.exec(opener)?.[0].length ?? 0;
  for (let at = index + 1; at < lines.length; at += 1) {
    const line = lines[at] ?? '';
    if (/^\s*end\b/.test(line) && (/^\s*/.exec(line)?.[0].length ?? 0) <= indent) return at;
  }
  return lines.length - 1;
}

/** The n-th symbol or string argument: `add_column :orders, :currency, :string` -> orders, currency, string. */
function argument(args: string, n: number): string {
  const names = [...args.matchAll(/(?<![\w:]):(\w+)|"([^"]*)"|'([^']*)'/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  return names[n] ?? '?';
}

/** A keyword option's value as written: `null: false` -> "false"; also `:null => false`. */
function option(args: string, key: string): string | undefined {
  const match = new RegExp(`(?:\\b${key}:|:${key}\\s*=>)\\s*([^,)\\s]+)`).exec(args);
  return match?.[1];
}

function railsOptions(args: string): { nullable: boolean; hasDefault: boolean; unique?: boolean; using?: boolean; limited?: boolean } {
  return {
    nullable: option(args, 'null') !== 'false',
    hasDefault: option(args, 'default') !== undefined,
    unique: option(args, 'unique') === 'true',
    using: option(args, 'using') !== undefined,
    limited: option(args, 'limit') !== undefined || option(args, 'precision') !== undefined,
  };
}

function index(table: string, unique: boolean): Classification {
  return unique
    ? { class: 'forward-fix', reason: `Adds a unique index on ${table}: writes from the previous release that duplicate values will be rejected.` }
    : { class: 'safe', reason: `Adds an index on ${table}; it changes how queries run, not what they return.` };
}

function validated(what: string, validate: boolean): Classification {
  return validate
    ? { class: 'forward-fix', reason: `Adds ${what}, validated: writes from the previous release that break it will be rejected.` }
    : { class: 'safe', reason: `Adds ${what} without validating existing rows, so nothing breaks now.` };
}

function removesColumn(column: string): Classification {
  return {
    class: 'data-loss',
    reason: `Drops column ${column}: its values are deleted, and the previous release fails wherever it still reads or writes the column until it is restored from a backup.`,
  };
}

function dropsTable(table: string): Classification {
  return {
    class: 'data-loss',
    reason: `Drops table ${table}: its rows are deleted, and the previous release fails wherever it still uses it until it is restored from a backup.`,
  };
}

function renames(what: string, to: string): Classification {
  return { class: 'forward-fix', reason: `Renames ${what} to ${to}: the previous release still uses the old name and fails until it is renamed back.` };
}
