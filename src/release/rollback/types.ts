import type { MigrationsSpec } from '../../model/schema.ts';

export type MigrationLayout = MigrationsSpec['layout'];

/**
 * What rolling the code back past a migration means for the data, from best to worst:
 * - `safe`: additive; the previous release keeps working on the new schema.
 * - `forward-fix`: no data is lost, but the previous release may break on the new schema;
 *   fix forward instead, or check by hand that the old code tolerates it.
 * - `data-loss`: data is already gone or rewritten; rolling back the code does not bring it back.
 */
export type RollbackClass = 'safe' | 'forward-fix' | 'data-loss';

export interface Classification {
  readonly class: RollbackClass;
  /** one sentence a new on-call engineer understands */
  readonly reason: string;
}

export interface Finding extends Classification {
  /** the migration file, relative to the repository folder */
  readonly file: string;
  /** 1-based line of the statement in the migration file */
  readonly line: number;
  /** the statement, whitespace collapsed and shortened */
  readonly statement: string;
}

/** What the forward code of a Ruby or Python migration does, and the method that reverses it. */
export interface ClassifiedCode {
  readonly findings: readonly Finding[];
  /** e.g. `def down` or `downgrade()`, when the file implements one */
  readonly reverse?: string;
}

export type ChangeStatus = 'added' | 'modified' | 'deleted';

/** One file the release changed under the migration paths. */
export interface ChangedFile {
  readonly status: ChangeStatus;
  readonly path: string;
}

export type MigrationLanguage = 'sql' | 'ruby' | 'python';

/** One migration the release added or changed, and where its reverse lives. */
export interface MigrationUnit {
  /** the forward (up) file */
  readonly path: string;
  readonly status: Exclude<ChangeStatus, 'deleted'>;
  readonly language: MigrationLanguage;
  /**
   * `file`: a separate down/undo file reverses it (`reversePath` when one exists);
   * `in-file`: the reverse is a method of the same file (Rails `down`, Alembic `downgrade()`).
   */
  readonly reverseKind: 'file' | 'in-file' | 'none';
  readonly reversePath?: string;
}

export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export interface MigrationPlan {
  readonly layout: MigrationLayout;
  readonly units: readonly MigrationUnit[];
  readonly skipped: readonly SkippedFile[];
}

export interface MigrationReport {
  readonly path: string;
  readonly status: MigrationUnit['status'];
  /** the worst class of its findings (`safe` when it has none) */
  readonly class: RollbackClass;
  /** the file or method that reverses it, when there is one */
  readonly reverse?: string;
  readonly findings: readonly Finding[];
}

export interface RollbackVerdict {
  /** the worst class over every migration */
  readonly class: RollbackClass;
  /** true when rolling back is safe (forward-fix counts as safe only when accepted) */
  readonly safe: boolean;
  readonly summary: string;
}
