// Test-only: the official SARIF 2.1.0 JSON Schema (draft-07, `$id` .../Schemata/sarif-schema-2.1.0.json).
// No npm package ships it as a file: @datadog/datadog-ci-plugin-sarif (a pinned devDependency) bundles
// the file verbatim as one object literal between its `//#region src/json-schema/sarif-schema-2.1.0.json`
// markers, so it is read from there, evaluated in an empty VM context, and checked by its `$id`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';

export const sarifSchemaId = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json';

export function officialSarifSchema(): Record<string, unknown> {
  const bundle = readFileSync(createRequire(import.meta.url).resolve('@datadog/datadog-ci-plugin-sarif'), 'utf8');
  const region = bundle.indexOf('//#region src/json-schema/sarif-schema-2.1.0.json');
  const start = bundle.indexOf('= {', region) + 2;
  const end = bundle.indexOf('\n};\n//#endregion', start) + 2;
  if (region < 0 || start < 2 || end < start) throw new Error('the SARIF schema was not found in @datadog/datadog-ci-plugin-sarif');
  const schema = runInNewContext(`(${bundle.slice(start, end)})`, Object.create(null), { timeout: 1_000 }) as Record<string, unknown>;
  if (schema.$id !== sarifSchemaId || schema.$schema !== 'http://json-schema.org/draft-07/schema#') {
    throw new Error(`unexpected SARIF schema: ${String(schema.$id)} (${String(schema.$schema)})`);
  }
  // a plain JSON copy: objects made in the VM context have another realm's prototypes
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}
