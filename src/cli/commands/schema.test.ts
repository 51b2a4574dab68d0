import { describe, expect, it } from 'vitest';
import { fakeCli } from '../../../test/fixtures/model/fake-cli-context.ts';
import { registerSchemaCommand } from './schema.ts';

describe('steadyops schema', () => {
  it('prints the whole JSON Schema', async () => {
    const cli = fakeCli('.');
    await cli.run(registerSchemaCommand, ['schema']);
    const schema = JSON.parse(cli.out()) as { $schema: string; oneOf: unknown[] };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.oneOf).toHaveLength(6);
  });

  it('prints one kind, case-insensitively', async () => {
    const cli = fakeCli('.');
    await cli.run(registerSchemaCommand, ['schema', '--kind', 'datastore']);
    const schema = JSON.parse(cli.out()) as { properties: { kind: { const: string } } };
    expect(schema.properties.kind.const).toBe('Datastore');
  });

  it('names the valid kinds for an unknown one', async () => {
    await expect(fakeCli('.').run(registerSchemaCommand, ['schema', '--kind', 'Widget'])).rejects.toThrow(
      'unknown kind "Widget"; use one of: Team, Service, Datastore, ReleasePolicy, AccessRole, Environment',
    );
  });
});
