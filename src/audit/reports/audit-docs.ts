import { controlCatalog } from '../controls/control-catalog.ts';
import { auditJsonSchemaDocument } from './audit-json-schema.ts';
import { renderControlsDoc } from './controls-doc.ts';

/** The docs generated from code, by path from the repository root; `npm run docs:controls` writes them. */
export function auditDocs(): readonly { readonly path: string; readonly content: string }[] {
  return [
    { path: 'docs/controls.md', content: renderControlsDoc(controlCatalog) },
    { path: 'docs/audit-report.schema.json', content: `${JSON.stringify(auditJsonSchemaDocument(), null, 2)}\n` },
  ];
}
