import { posix } from 'node:path';
import type { ChangedFile, MigrationLanguage, MigrationLayout, MigrationPlan, MigrationUnit, SkippedFile } from './types.ts';

type FileRole =
  | { readonly role: 'up' | 'down'; readonly key: string; readonly language: MigrationLanguage }
  | { readonly role: 'ignore'; readonly reason: string };

interface LayoutRules {
  /** where the reverse of a migration lives: a separate file, or a method of the same file */
  readonly reverse: 'file' | 'in-file';
  recognise(path: string): FileRole;
}

const ignore = (reason: string): FileRole => ({ role: 'ignore', reason });
const sql = (role: 'up' | 'down', key: string): FileRole => ({ role, key, language: 'sql' });

/** Flyway compares versions as numbers: V1_1, V1.1 and V01.1.0 are the same version. */
function flywayVersion(version: string): string {
  const parts = version.split(/[._]/).map((part) => part.replace(/^0+(?=\d)/, ''));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}

export const layoutRules: Readonly<Record<MigrationLayout, LayoutRules>> = {
  sql: {
    reverse: 'file',
    recognise(path) {
      if (!path.endsWith('.sql')) return ignore('not a .sql file');
      const stem = path.slice(0, -'.sql'.length);
      const down = /[._](down|undo)$/i.exec(stem);
      return sql(down ? 'down' : 'up', stem.replace(/[._](up|down|undo)$/i, ''));
    },
  },
  flyway: {
    reverse: 'file',
    recognise(path) {
      const name = posix.basename(path);
      const versioned = /^([VU])(\d+(?:[._]\d+)*)__.+\.sql$/.exec(name);
      if (versioned) return sql(versioned[1] === 'V' ? 'up' : 'down', `V${flywayVersion(versioned[2] ?? '')}`);
      if (/^R__.+\.sql$/.test(name)) return sql('up', `R:${name}`);
      return ignore(name.endsWith('.sql') ? 'not a Flyway migration name (V<version>__<description>.sql, U<version>__... or R__...)' : 'not a .sql file');
    },
  },
  'golang-migrate': {
    reverse: 'file',
    recognise(path) {
      const match = /^(\d+)_.+\.(up|down)\.sql$/.exec(posix.basename(path));
      if (!match) return ignore('not a golang-migrate file name (<version>_<title>.up.sql or .down.sql)');
      return sql(match[2] === 'up' ? 'up' : 'down', `${posix.dirname(path)}/${Number(match[1])}`);
    },
  },
  prisma: {
    reverse: 'file',
    recognise(path) {
      const name = posix.basename(path);
      if (name === 'migration.sql') return sql('up', posix.dirname(path));
      // Prisma writes no down migrations; teams keep `prisma migrate diff --script` output beside it
      if (name === 'down.sql') return sql('down', posix.dirname(path));
      return ignore(name === 'migration_lock.toml' ? "Prisma's lock file" : 'not a Prisma migration (<timestamp>_<name>/migration.sql)');
    },
  },
  rails: {
    reverse: 'in-file',
    recognise(path) {
      if (/^\d+_\w+\.rb$/.test(posix.basename(path))) return { role: 'up', key: path, language: 'ruby' };
      return ignore('not a Rails migration file name (<timestamp>_<name>.rb)');
    },
  },
  alembic: {
    reverse: 'in-file',
    recognise(path) {
      const name = posix.basename(path);
      if (!name.endsWith('.py') || path.includes('__pycache__/')) return ignore('not a Python file');
      if (name === 'env.py' || name === '__init__.py') return ignore("Alembic's own set-up, not a revision");
      return { role: 'up', key: path, language: 'python' };
    },
  },
};

/**
 * Maps the files a release changed under the migration paths to migrations, each with the
 * reverse file it has in the newer version (`filesAtFrom`), oldest first.
 */
export function planMigrations(layout: MigrationLayout, changed: readonly ChangedFile[], filesAtFrom: readonly string[]): MigrationPlan {
  const rules = layoutRules[layout];
  const reverses = new Map<string, string>();
  for (const path of filesAtFrom) {
    const role = rules.recognise(path);
    if (role.role === 'down') reverses.set(role.key, path);
  }
  const units: Array<MigrationUnit & { key: string }> = [];
  const skipped: SkippedFile[] = [];
  for (const file of changed) {
    const role = rules.recognise(file.path);
    if (file.status === 'deleted') skipped.push({ path: file.path, reason: 'deleted in the newer version; nothing of it runs there' });
    else if (role.role === 'ignore') skipped.push({ path: file.path, reason: role.reason });
    else if (role.role === 'down') skipped.push({ path: file.path, reason: 'a reverse migration; it is read with its forward migration' });
    else units.push({ key: role.key, ...unitOf(file.path, file.status, role.language, rules.reverse, reverses.get(role.key)) });
  }
  units.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
  return { layout, units: units.map(({ key: _key, ...unit }) => unit), skipped };
}

function unitOf(path: string, status: MigrationUnit['status'], language: MigrationLanguage, reverse: LayoutRules['reverse'], reversePath: string | undefined): MigrationUnit {
  if (reverse === 'in-file') return { path, status, language, reverseKind: 'in-file' };
  return reversePath ? { path, status, language, reverseKind: 'file', reversePath } : { path, status, language, reverseKind: 'none' };
}
