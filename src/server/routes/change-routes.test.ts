import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testNow, testServer } from '../test-support/test-server.ts';
import { changesQuery, toChangeQuery } from './change-routes.ts';

const now = new Date(testNow);
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe('toChangeQuery', () => {
  it.each([
    [{}, { since: minutesAgo(30), until: now, limit: 100 }],
    [{ since: '2h' }, { since: minutesAgo(120), until: now, limit: 100 }],
    [{ since: '2026-11-26T08:00:00Z', until: '10m' }, { since: minutesAgo(60), until: minutesAgo(10), limit: 100 }],
    [{ service: 'checkout,billing' }, { subjects: ['checkout', 'billing'] }],
    [{ service: ['checkout', 'billing, ledger'] }, { subjects: ['checkout', 'billing', 'ledger'] }],
    [{ type: 'dev.steadyops.deploy.*' }, { types: ['dev.steadyops.deploy.*'] }],
    [{ env: 'production', actor: 'token:ci' }, { environment: 'production', actor: 'token:ci' }],
    [{ limit: '5', before: '42' }, { limit: 5, beforeSeq: 42 }],
  ])('%j', (input, expected) => {
    expect(toChangeQuery(changesQuery.parse(input), now)).toMatchObject(expected);
  });

  it('leaves out filters that were not asked for', () => {
    const query = toChangeQuery(changesQuery.parse({ service: '', type: ',' }), now);
    expect(Object.keys(query).sort()).toEqual(['limit', 'since', 'until']);
  });

  it.each(['yesterday', '30x', '26/11/2026'])('rejects since=%s with a 400 naming the parameter', (since) => {
    expect(() => toChangeQuery(changesQuery.parse({ since }), now)).toThrow(
      expect.objectContaining({ code: 'SO_E_INPUT_INVALID', issues: [expect.objectContaining({ path: 'querystring.since' })] }),
    );
  });

  it('splits any mix of repeated and comma-separated services into the same set', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
    fc.assert(
      fc.property(fc.array(fc.array(name, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), (groups) => {
        const repeated = groups.map((group) => group.join(','));
        const query = toChangeQuery(changesQuery.parse({ service: repeated.length === 1 ? repeated[0] : repeated }), now);
        expect(query.subjects).toEqual([...new Set(groups.flat())]);
      }),
    );
  });
});

describe('GET /api/v1/changes', () => {
  it('maps repeated and comma-separated filters onto the ledger query', async () => {
    const server = await testServer();
    const response = await server.app.inject({
      url: '/api/v1/changes?since=1h&until=2026-11-26T08:50:00Z&service=checkout,billing&service=ledger&env=production' +
        '&type=dev.steadyops.deploy.*&type=dev.steadyops.config.changed&actor=token:ci&limit=20&before=99',
      headers: server.auth('viewer'),
    });
    expect(response.statusCode).toBe(200);
    expect(server.ledger.queries).toEqual([
      {
        since: minutesAgo(60),
        until: minutesAgo(10),
        subjects: ['checkout', 'billing', 'ledger'],
        environment: 'production',
        types: ['dev.steadyops.deploy.*', 'dev.steadyops.config.changed'],
        actor: 'token:ci',
        limit: 20,
        beforeSeq: 99,
      },
    ]);
    expect(response.json()).toEqual({ since: '2026-11-26T08:00:00.000Z', until: '2026-11-26T08:50:00.000Z', events: [] });
  });

  it('returns events newest first with a `next` cursor while pages are full', async () => {
    const server = await testServer();
    for (const id of ['a', 'b', 'c']) {
      await server.ledger.append([{ event: { specversion: '1.0', id, source: '/s', type: 'dev.steadyops.deploy.finished' }, actor: 'token:ci' }]);
    }
    const page = async (query: string) =>
      (await server.app.inject({ url: `/api/v1/changes?${query}`, headers: server.auth('viewer') })).json();
    const first = await page('limit=2');
    expect(first.events.map((event: { id: string }) => event.id)).toEqual(['c', 'b']);
    expect(first.next).toBe(2);
    const second = await page(`limit=2&before=${first.next}`);
    expect(second.events.map((event: { id: string }) => event.id)).toEqual(['a']);
    expect(second.next).toBeUndefined();
    expect(second.events[0]).toMatchObject({ seq: 1, actor: 'token:ci', leaf_hash: expect.any(String), ingested_at: testNow });
  });

  it.each([
    ['limit=0', 'querystring.limit'],
    ['limit=5000', 'querystring.limit'],
    ['before=abc', 'querystring.before'],
    ['since=soon', 'querystring.since'],
    ['until=later', 'querystring.until'],
  ])('answers 400 for %s naming %s', async (query, path) => {
    const server = await testServer();
    const response = await server.app.inject({ url: `/api/v1/changes?${query}`, headers: server.auth('viewer') });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID', issues: [expect.objectContaining({ path })] });
    expect(server.ledger.queries).toHaveLength(0);
  });
});
