import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SteadyopsError } from '../lib/errors.ts';
import { splitList, toChangeQuery } from './change-filter.ts';

const now = new Date('2026-11-26T12:00:00Z');

describe('toChangeQuery', () => {
  it.each([
    [{}, { since: new Date('2026-11-26T11:30:00Z'), until: now, limit: 100 }],
    [{ since: '2h', services: ['a,b', 'c'] }, { since: new Date('2026-11-26T10:00:00Z'), until: now, subjects: ['a', 'b', 'c'], limit: 100 }],
    [
      { since: '2026-11-25T00:00:00Z', until: '1h', environment: 'production', types: ['dev.steadyops.deploy.*'], limit: 5 },
      {
        since: new Date('2026-11-25T00:00:00Z'),
        until: new Date('2026-11-26T11:00:00Z'),
        environment: 'production',
        types: ['dev.steadyops.deploy.*'],
        limit: 5,
      },
    ],
    [{ before: 40, actor: 'github:ana' }, { since: new Date('2026-11-26T11:30:00Z'), until: now, beforeSeq: 40, actor: 'github:ana', limit: 100 }],
    [{ around: '2026-11-26T09:00:00Z', since: '15m', unowned: true }, { since: new Date('2026-11-26T08:45:00Z'), until: new Date('2026-11-26T09:15:00Z'), unowned: true, limit: 100 }],
  ])('%j becomes the right ledger query', (input, expected) => {
    expect(toChangeQuery(input, now)).toEqual(expected);
  });

  it.each([
    [{ since: 'yesterday' }, /neither a duration/],
    [{ since: '1h', until: '2h' }, /before since/],
    [{ limit: 0 }, /limit must be/],
    [{ limit: 5000 }, /limit must be/],
  ])('%j is a usage error', (input, message) => {
    expect(() => toChangeQuery(input, now)).toThrow(SteadyopsError);
    expect(() => toChangeQuery(input, now)).toThrow(message);
  });

  it('never looks into the future for any duration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom('s', 'm', 'h', 'd'), (amount, unit) => {
        const query = toChangeQuery({ since: `${amount}${unit}` }, now);
        expect(query.since?.getTime()).toBeLessThan(now.getTime());
      }),
    );
  });

  it('selects a team\'s services and datastores, and with dependencies what they depend on', async () => {
    const { loadModel } = await import('../model/load-model.ts');
    const { model } = await loadModel('examples/demo/.steadyops');
    const team = model.teams[0]?.name as string;
    const owned = [...model.services, ...model.datastores].filter((entry) => entry.owner === team).map((entry) => entry.name);
    expect(new Set(toChangeQuery({ teams: [team] }, now, model).subjects)).toEqual(new Set(owned));
    const service = model.services.find((entry) => (entry.dependsOn ?? []).some((dependency) => dependency.service ?? dependency.datastore));
    if (!service) throw new Error('the demo model has a service with dependencies');
    const targets = (service.dependsOn ?? []).flatMap((dependency) => [dependency.service ?? dependency.datastore].filter((name): name is string => !!name));
    const query = toChangeQuery({ services: [service.name], includeDependencies: true }, now, model);
    expect(query.subjects).toEqual([service.name, ...targets]);
    expect(() => toChangeQuery({ teams: ['nobody'] }, now, model)).toThrow(/unknown team "nobody"/);
    expect(() => toChangeQuery({ teams: [team] }, now)).toThrow(/none is loaded/);
    expect(() => toChangeQuery({ unowned: true, services: ['a'] }, now)).toThrow(/cannot be combined/);
  });

  it('splits, trims and de-duplicates lists', () => {
    expect(splitList([' a, b', 'b', '', 'c '])).toEqual(['a', 'b', 'c']);
  });
});
