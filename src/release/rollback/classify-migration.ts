import { classifyAlembicMigration } from './classify-alembic.ts';
import { classifyRailsMigration } from './classify-rails.ts';
import { classifySql } from './classify-sql.ts';
import type { SqlParser } from './sql-parser.ts';
import type { ClassifiedCode, MigrationReport, MigrationUnit } from './types.ts';
import { worstClass } from './worst-class.ts';

/** Every statement of one migration, classified; the migration is as bad as its worst statement. */
export function classifyMigration(unit: MigrationUnit, text: string, parser: SqlParser): MigrationReport {
  const { findings, reverse } = classifyByLanguage(unit, text, parser);
  return {
    path: unit.path,
    status: unit.status,
    class: worstClass(findings.map((finding) => finding.class)),
    ...(reverse ? { reverse } : {}),
    findings,
  };
}

function classifyByLanguage(unit: MigrationUnit, text: string, parser: SqlParser): ClassifiedCode {
  if (unit.language === 'ruby') return classifyRailsMigration(unit.path, text, parser);
  if (unit.language === 'python') return classifyAlembicMigration(unit.path, text, parser);
  const context = unit.reversePath ? { reverse: unit.reversePath } : {};
  const findings = classifySql({ file: unit.path, text, line: 1, col: 1 }, parser, context);
  return unit.reversePath ? { findings, reverse: unit.reversePath } : { findings };
}
