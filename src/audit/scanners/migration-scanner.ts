import { posix } from 'node:path';
import { isSteadyopsError } from '../../lib/errors.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { classifyMigration } from '../../release/rollback/classify-migration.ts';
import { planMigrations } from '../../release/rollback/layouts.ts';
import type { SqlParser } from '../../release/rollback/sql-parser.ts';
import type { MigrationLanguage, MigrationLayout } from '../../release/rollback/types.ts';
import type { MigrationFact, SourceLocation } from '../facts.ts';
import type { Warn } from './warn.ts';

/** A folder of migrations and how its files are named. */
export interface MigrationFolder {
  readonly path: string;
  readonly layout: MigrationLayout;
}

/** Conventional folders by how their path ends, most specific first; `undefined` = tell the layout from the file names. */
const conventions: ReadonlyArray<readonly [string, MigrationLayout | undefined]> = [
  ['alembic/versions', 'alembic'],
  ['migrations/versions', 'alembic'],
  ['db/migrate', 'rails'],
  ['prisma/migrations', 'prisma'],
  ['db/migration', 'flyway'],
  ['migrations', undefined],
];

/**
 * Where the migrations are: the paths the model's services declare (with their layout), or, when no
 * service declares any, the conventional folders found in the repository.
 */
export function migrationFolders(files: readonly string[], model: ResolvedModel | undefined, locate: (service: string) => SourceLocation | undefined, warn: Warn): MigrationFolder[] {
  const declared = new Map<string, MigrationFolder>();
  for (const service of model?.services ?? []) {
    for (const raw of service.migrations?.paths ?? []) {
      const path = posix.normalize(raw).replace(/^(\.\/)+/, '').replace(/\/+$/, '') || '.';
      if (declared.has(path)) continue;
      declared.set(path, { path, layout: service.migrations?.layout ?? 'sql' });
      if (!files.some((file) => isUnder(file, path))) {
        warn(locate(service.name) ?? { file: path }, `service ${service.name} declares migrations at ${path}, but no files are there`);
      }
    }
  }
  return declared.size > 0 ? [...declared.values()] : conventionalFolders(files);
}

function conventionalFolders(files: readonly string[]): MigrationFolder[] {
  const folders = new Set(files.flatMap(ancestorsOf));
  const matched = [...folders].flatMap((folder) => {
    const convention = conventions.find(([suffix]) => folder === suffix || folder.endsWith(`/${suffix}`));
    return convention ? [{ path: folder, layout: convention[1] }] : [];
  });
  // a folder with a known layout wins over the plain `migrations/` holding it (Flask's migrations/versions); otherwise the outermost
  const kept = matched.filter((folder) => {
    const specificInside = folder.layout === undefined && matched.some((other) => other.layout !== undefined && isUnder(other.path, folder.path));
    const insideAnother = matched.some((other) => other !== folder && isUnder(folder.path, other.path) && !(other.layout === undefined && folder.layout !== undefined));
    return !specificInside && !insideAnother;
  });
  return kept.flatMap((folder) => {
    const layout = folder.layout ?? layoutFromNames(files.filter((file) => isUnder(file, folder.path)));
    return layout ? [{ path: folder.path, layout }] : [];
  });
}

/** A plain `migrations/` folder: golang-migrate and Flyway name their files; other `.sql` files are plain SQL; no SQL at all (Django, knex) is not read. */
function layoutFromNames(files: readonly string[]): MigrationLayout | undefined {
  const names = files.map((file) => posix.basename(file));
  if (names.some((name) => /^\d+_.+\.(up|down)\.sql$/.test(name))) return 'golang-migrate';
  if (names.some((name) => /^V\d+(?:[._]\d+)*__.+\.sql$/.test(name))) return 'flyway';
  return names.some((name) => name.endsWith('.sql')) ? 'sql' : undefined;
}

function ancestorsOf(file: string): string[] {
  const parts = file.split('/').slice(0, -1);
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

export function isUnder(path: string, folder: string): boolean {
  return folder === '.' || path.startsWith(`${folder}/`);
}

/**
 * Every forward migration of a folder classified by `rollback check`'s engine, statement by
 * statement; a statement PostgreSQL cannot parse is a warning at its file:line:col.
 */
export function scanMigrationFolder(folder: MigrationFolder, texts: ReadonlyMap<string, string>, parser: SqlParser, warn: Warn): MigrationFact[] {
  const files = [...texts.keys()].filter((file) => isUnder(file, folder.path)).sort();
  const plan = planMigrations(
    folder.layout,
    files.map((path) => ({ status: 'added' as const, path })),
    files,
  );
  return plan.units.flatMap((unit) => {
    try {
      const text = texts.get(unit.path) ?? '';
      const report = classifyMigration(unit, text, parser);
      return [
        {
          file: unit.path,
          layout: folder.layout,
          hasReverse: report.reverse !== undefined,
          statements: report.findings.map((finding) => ({ line: finding.line, text: finding.statement, class: finding.class, reason: finding.reason })),
          comments: commentsOf(text, unit.language),
        },
      ];
    } catch (error) {
      const issue = isSteadyopsError(error) ? error.issues[0] : undefined;
      if (issue?.line !== undefined) warn({ file: issue.file ?? unit.path, line: issue.line, ...(issue.col ? { column: issue.col } : {}) }, `SQL syntax: ${issue.message}; the migration is not classified`);
      else warn({ file: unit.path }, `could not classify the migration: ${(error as Error).message}`);
      return [];
    }
  });
}

/** The comments of a migration (`--` and block comments in SQL, `#` in Ruby and Python), where teams note an expand/contract plan. */
export function commentsOf(text: string, language: MigrationLanguage): string[] {
  const pattern = language === 'sql' ? /--(.*)$|\/\*([\s\S]*?)\*\//gm : /(?:^|\s)#(?!\{)(.*)$/gm;
  return [...text.matchAll(pattern)].map((match) => (match[1] ?? match[2] ?? '').replace(/\s+/g, ' ').trim()).filter((comment) => comment !== '');
}
