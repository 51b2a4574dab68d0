import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { modelJsonSchema, modelKinds } from './schema.ts';

const fixtureFiles = ['teams', 'services', 'datastores', 'policies', 'environments'].map(
  (name) => `test/fixtures/model/valid/.steadyops/${name}.yaml`,
);
const fixtureDocuments = fixtureFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((document) => document.toJS() as Record<string, unknown>),
);

describe('modelJsonSchema', () => {
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(modelJsonSchema());

  it('is a draft 2020-12 schema with one branch per kind', () => {
    const schema = modelJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect((schema.oneOf as unknown[]).length).toBe(modelKinds.length);
  });

  it('accepts every document of the valid fixture, covering all kinds', () => {
    expect(new Set(fixtureDocuments.map((document) => document.kind))).toEqual(new Set(modelKinds));
    for (const document of fixtureDocuments) {
      expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it.each([
    ['an unknown kind', { apiVersion: 'steadyops.dev/v1', kind: 'Widget', metadata: { name: 'x' }, spec: {} }],
    ['an unknown field', { ...fixtureDocuments[0], extra: true }],
    ['a name that is not a DNS label', { ...fixtureDocuments[0], metadata: { name: 'Not_Valid' } }],
    [
      'a service tier of 4',
      { apiVersion: 'steadyops.dev/v1', kind: 'Service', metadata: { name: 'a' }, spec: { owner: 'b', tier: 4 } },
    ],
  ])('rejects %s', (_, document) => {
    expect(validate(document)).toBe(false);
  });

  it('narrows to a single kind', () => {
    const validateService = new Ajv2020({ strict: false }).compile(modelJsonSchema('Service'));
    const service = fixtureDocuments.find((document) => document.kind === 'Service');
    const team = fixtureDocuments.find((document) => document.kind === 'Team');
    expect(validateService(service)).toBe(true);
    expect(validateService(team)).toBe(false);
  });
});
