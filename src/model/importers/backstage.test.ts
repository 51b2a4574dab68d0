import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModelFromSources } from '../load-model.ts';
import { findDatastore, findService, findTeam } from '../resolve.ts';
import { importBackstage } from './backstage.ts';

const catalog = readFileSync('test/fixtures/model/backstage/catalog-info.yaml', 'utf8');
const result = await importBackstage([{ file: 'catalog-info.yaml', text: catalog }]);
const loaded = loadModelFromSources([{ file: 'imported.yaml', text: result.yaml }]);
const { model } = loaded;

describe('importBackstage', () => {
  it('produces YAML that validates cleanly', () => {
    expect(loaded.issues).toEqual([]);
    expect(result.yaml.startsWith('# Imported from Backstage catalog entities\n')).toBe(true);
  });

  it('turns Groups into Teams with members from Users (memberOf and spec.members)', () => {
    expect(findTeam(model, 'payments')?.members).toEqual([
      { name: 'Ada Lovelace', email: 'ada@acme.example' },
      { name: 'Grace Hopper', email: 'grace@acme.example' },
    ]);
    expect(findTeam(model, 'platform-team')).toMatchObject({
      title: 'Platform',
      members: [{ name: 'Omar Khayyam', email: 'omar@acme.example' }],
    });
    expect(result.warnings).toContain('User "nomail" has no spec.profile.email; left out of Team "payments"');
  });

  it('turns Components into Services with owner, tier, lifecycle, system, repo, runtime and dependencies', () => {
    expect(findService(model, 'checkout-api')).toMatchObject({
      title: 'Checkout API',
      owner: 'payments',
      tier: 1,
      lifecycle: 'production',
      labels: { system: 'commerce' },
      repo: { url: 'https://github.com/acme/checkout' },
      runtime: { kind: 'kubernetes', namespace: 'shop', deployment: 'checkout' },
      dependsOn: [
        { service: 'payment-gateway' },
        { datastore: 'orders-db' },
        { datastore: 'session-cache' },
        { external: 'stripe' },
      ],
    });
    expect(findService(model, 'payment-gateway')).toMatchObject({ owner: 'platform-team', tier: 1, lifecycle: 'experimental' });
  });

  it('maps a User owner to their Group, and a missing Group owner to a reviewed placeholder Team', () => {
    expect(findService(model, 'storefront')).toMatchObject({ owner: 'platform-team', tier: 2, lifecycle: 'experimental' });
    expect(findService(model, 'reporting')?.owner).toBe('analytics');
    expect(findTeam(model, 'analytics')?.members).toEqual([{ name: 'analytics owner', email: 'analytics@example.com' }]);
    expect(result.warnings.some((warning) => warning.includes('owner "group:default/analytics" is not a Group'))).toBe(true);
    expect(result.warnings.some((warning) => warning.includes('lifecycle "beta"'))).toBe(true);
  });

  it('turns database-like Resources into Datastores and ignores the rest with a note', () => {
    expect(findDatastore(model, 'orders-db')).toMatchObject({ engine: 'postgresql', owner: 'payments' });
    expect(findDatastore(model, 'session-cache')).toMatchObject({ engine: 'redis', owner: 'platform-team' });
    expect(findDatastore(model, 'build-cluster')).toBeUndefined();
    expect(findService(model, 'money-utils')).toBeUndefined();
    expect(result.notes.join('\n')).toMatch(/API "checkout-openapi" has no counterpart/);
    expect(result.notes.join('\n')).toMatch(/"money-utils" is a library/);
  });

  it('skips invalid entities with a located warning', () => {
    expect(findService(model, 'broken')).toBeUndefined();
    expect(result.warnings.some((warning) => /^catalog-info\.yaml:\d+: skipped, not a valid Backstage entity/.test(warning))).toBe(true);
  });
});
