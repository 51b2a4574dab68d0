// `npm run docs:controls`: writes docs/controls.md and docs/audit-report.schema.json from the code.
import { writeFileSync } from 'node:fs';
import { auditDocs } from './audit-docs.ts';

const root = new URL('../../../', import.meta.url);
for (const doc of auditDocs()) {
  writeFileSync(new URL(doc.path, root), doc.content);
  console.log(`wrote ${doc.path}`);
}
