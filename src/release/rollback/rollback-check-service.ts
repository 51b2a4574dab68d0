import { SteadyopsError } from '../../lib/errors.ts';
import { findService, type ResolvedModel } from '../../model/resolve.ts';
import { classifyMigration } from './classify-migration.ts';
import { planMigrations } from './layouts.ts';
import { rollbackVerdict } from './rollback-verdict.ts';
import type { SqlParser } from './sql-parser.ts';
import type { ChangedFile, MigrationLayout, MigrationReport, RollbackVerdict, SkippedFile } from './types.ts';

export interface Revision {
  readonly ref: string;
  readonly commit: string;
}

/** The git repository holding the service's migrations (`connectors/git/migration-diff.ts`). */
export interface MigrationRepository {
  resolve(revision: string): Promise<Revision>;
  previousTag(revision: string): Promise<string>;
  changedFiles(to: string, from: string, paths: readonly string[]): Promise<readonly ChangedFile[]>;
  listFiles(revision: string, paths: readonly string[]): Promise<readonly string[]>;
  readFile(revision: string, path: string): Promise<string>;
}

export interface RollbackCheckRequest {
  readonly service: string;
  /** the version running now (default HEAD) */
  readonly from?: string;
  /** the version to roll back to (default: the tag before `from`) */
  readonly to?: string;
  readonly acceptForwardFix: boolean;
}

export interface RollbackReport {
  readonly service: string;
  readonly from: Revision;
  readonly to: Revision;
  readonly layout: MigrationLayout;
  readonly paths: readonly string[];
  /** oldest first */
  readonly migrations: readonly MigrationReport[];
  readonly skipped: readonly SkippedFile[];
  readonly verdict: RollbackVerdict;
}

export interface RollbackCheckService {
  check(request: RollbackCheckRequest): Promise<RollbackReport>;
}

export interface RollbackCheckDeps {
  readonly model: ResolvedModel;
  readonly repository: MigrationRepository;
  readonly parser: SqlParser;
}

/** "Can we roll back without data loss?": the migrations between two versions, classified. */
export function createRollbackCheckService({ model, repository, parser }: RollbackCheckDeps): RollbackCheckService {
  return {
    async check(request) {
      const { layout, paths } = migrationsOf(model, request.service);
      const from = await repository.resolve(request.from ?? 'HEAD');
      const to = await repository.resolve(request.to ?? (await repository.previousTag(from.ref)));
      const [changed, filesAtFrom] = await Promise.all([repository.changedFiles(to.commit, from.commit, paths), repository.listFiles(from.commit, paths)]);
      const plan = planMigrations(layout, changed, filesAtFrom);
      const migrations: MigrationReport[] = [];
      for (const unit of plan.units) migrations.push(classifyMigration(unit, await repository.readFile(from.commit, unit.path), parser));
      return {
        service: request.service,
        from,
        to,
        layout,
        paths,
        migrations,
        skipped: plan.skipped,
        verdict: rollbackVerdict(migrations, { acceptForwardFix: request.acceptForwardFix }),
      };
    },
  };
}

function migrationsOf(model: ResolvedModel, name: string): { layout: MigrationLayout; paths: string[] } {
  const service = findService(model, name);
  if (!service) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `unknown service "${name}"; services: ${model.services.map((entry) => entry.name).join(', ')}` });
  }
  if (!service.migrations) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', {
      detail: `service ${name} declares no migrations; add spec.migrations.paths (and layout) to its model so rollback check knows where they live`,
    });
  }
  const paths = service.migrations.paths.map(normalisePath);
  const absolute = paths.find((path) => path.startsWith('/') || path.split('/').includes('..'));
  if (absolute) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `service ${name}: migrations path ${absolute} must be relative to the repository, inside it` });
  }
  return { layout: service.migrations.layout, paths };
}

function normalisePath(path: string): string {
  const trimmed = path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}
