import type { MigrationReport, RollbackClass, RollbackVerdict } from './types.ts';
import { worstClass } from './worst-class.ts';

export interface VerdictPolicy {
  /** forward-fix findings were read by a person who decided the previous release copes */
  readonly acceptForwardFix: boolean;
}

/**
 * Data loss is always unsafe. Forward-fix is unsafe unless accepted: nothing is lost, but only a
 * person who knows the previous release can say it copes with the new schema.
 */
export function rollbackVerdict(migrations: readonly MigrationReport[], policy: VerdictPolicy): RollbackVerdict {
  const worst = worstClass(migrations.map((migration) => migration.class));
  const count = (value: RollbackClass) => migrations.flatMap((migration) => migration.findings).filter((finding) => finding.class === value).length;
  const files = (value: RollbackClass) => migrations.filter((migration) => migration.class === value).length;
  if (migrations.length === 0) {
    return { class: 'safe', safe: true, summary: 'no migrations changed between the two versions; the database needs nothing to roll back' };
  }
  if (worst === 'data-loss') {
    return {
      class: worst,
      safe: false,
      summary: `${count('data-loss')} data-loss finding(s) in ${files('data-loss')} migration(s): rolling back the code does not bring that data back; fix forward, or restore from a backup`,
    };
  }
  if (worst === 'forward-fix' && !policy.acceptForwardFix) {
    return {
      class: worst,
      safe: false,
      summary: `${count('forward-fix')} forward-fix finding(s): no data is lost, but the previous release may fail on the new schema; fix forward, or check each one and pass --accept-forward-fix`,
    };
  }
  if (worst === 'forward-fix') {
    return { class: worst, safe: true, summary: `${count('forward-fix')} forward-fix finding(s), accepted with --accept-forward-fix; no data is lost` };
  }
  return { class: worst, safe: true, summary: `${migrations.length} migration(s), all additive: the previous release works on the new schema` };
}
