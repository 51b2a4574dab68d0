import { describe, expect, it } from 'vitest';
import { testServer } from '../test-support/test-server.ts';

const event = (id: string, extra: Record<string, unknown> = {}) => ({
  specversion: '1.0' as const,
  id,
  source: '/github/acme/checkout-api',
  type: 'com.example.build.finished',
  subject: 'checkout-api',
  ...extra,
});

async function postEvents(contentType: string, payload: unknown, extraHeaders: Record<string, string> = {}) {
  const server = await testServer();
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { ...server.auth('operator'), 'content-type': contentType, ...extraHeaders },
    payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
  });
  return { server, response };
}

describe('POST /api/v1/events', () => {
  it.each([
    ['application/cloudevents+json', event('a'), ['a']],
    ['application/cloudevents-batch+json', [event('a'), event('b')], ['a', 'b']],
    ['application/json', event('a'), ['a']],
    ['application/json', [event('a'), event('b'), event('c')], ['a', 'b', 'c']],
    ['application/json; charset=utf-8', [event('a')], ['a']],
  ])('structured mode %s appends with the caller as actor', async (contentType, payload, ids) => {
    const { server, response } = await postEvents(contentType, payload);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      accepted: ids.length,
      stored: ids.length,
      duplicates: 0,
      events: ids.map((id, index) => ({ id, source: '/github/acme/checkout-api', seq: index + 1, duplicate: false })),
    });
    expect(server.ledger.appendCalls).toHaveLength(1);
    expect(server.ledger.appendCalls[0]!.map((item) => [item.event.id, item.actor])).toEqual(
      ids.map((id) => [id, 'token:operator-bot']),
    );
  });

  it('accepts binary mode: ce-* headers with a JSON body', async () => {
    const { server, response } = await postEvents(
      'application/json',
      { version: '1.4.2', environment: 'production' },
      {
        'ce-specversion': '1.0',
        'ce-id': 'deploy-77',
        'ce-source': '/argo/prod',
        'ce-type': 'com.example.deploy.done',
        'ce-subject': 'checkout-api',
        'ce-environment': 'production',
      },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().events).toEqual([{ id: 'deploy-77', source: '/argo/prod', seq: 1, duplicate: false }]);
    expect(server.ledger.appendCalls[0]![0]!.event).toMatchObject({
      id: 'deploy-77',
      source: '/argo/prod',
      type: 'com.example.deploy.done',
      subject: 'checkout-api',
      datacontenttype: 'application/json',
      data: { version: '1.4.2', environment: 'production' },
      extensions: { environment: 'production' },
    });
  });

  it('accepts binary mode with a non-JSON body', async () => {
    const { server, response } = await postEvents('application/octet-stream', Buffer.from([0xde, 0xad, 0xbe, 0xef]), {
      'ce-specversion': '1.0',
      'ce-id': 'blob-1',
      'ce-source': '/uploader',
      'ce-type': 'com.example.blob.uploaded',
    });
    expect(response.statusCode).toBe(200);
    expect(server.ledger.appendCalls[0]![0]!.event.data).toBe(Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64'));
  });

  it('rejects a binary-mode event with a bad header with 422 naming the header', async () => {
    const { server, response } = await postEvents('text/plain', 'hello', {
      'ce-specversion': '1.0',
      'ce-id': 'x',
      'ce-source': '/s',
      'ce-type': 'com.example.t',
      'ce-time': 'yesterday',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().issues).toEqual([expect.objectContaining({ path: 'ce-time' })]);
    expect(server.ledger.appendCalls).toHaveLength(0);
  });

  it('rejects a batch with one bad event with 422 and appends nothing', async () => {
    const { server, response } = await postEvents('application/cloudevents-batch+json', [
      event('a'),
      event('b', { time: 'last tuesday' }),
      event('c'),
    ]);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ code: 'SO_E_EVENT_INVALID', status: 422, title: 'Invalid CloudEvent' });
    expect(problem.detail).toMatch(/^event 1 is invalid: \[1\]\.time: /);
    expect(problem.issues).toEqual([expect.objectContaining({ path: '[1].time' })]);
    expect(server.ledger.appendCalls).toHaveLength(0);
  });

  it('reports a redelivered event as a duplicate, not stored twice', async () => {
    const server = await testServer();
    const post = (payload: unknown) =>
      server.app.inject({ method: 'POST', url: '/api/v1/events', headers: server.auth('operator'), payload: payload as object });
    await post([event('a'), event('b')]);
    const again = await post([event('b'), event('c')]);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({
      accepted: 2,
      stored: 1,
      duplicates: 1,
      events: [
        { id: 'b', source: '/github/acme/checkout-api', seq: 2, duplicate: true },
        { id: 'c', source: '/github/acme/checkout-api', seq: 3, duplicate: false },
      ],
    });
    expect(server.ledger.events).toHaveLength(3);
  });

  it.each([
    ['application/cloudevents+json', [event('a')], /carries one event/],
    ['application/cloudevents-batch+json', event('a'), /must be a JSON array/],
  ])('rejects %s with the wrong shape', async (contentType, payload, detail) => {
    const { server, response } = await postEvents(contentType, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toMatch(detail);
    expect(server.ledger.appendCalls).toHaveLength(0);
  });

  it('answers 415 for a content type that is neither structured nor binary mode', async () => {
    const { response } = await postEvents('text/csv', 'id,source\n1,/x');
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'SO_E_UNSUPPORTED_MEDIA_TYPE' });
    expect(response.json().detail).toContain('text/csv');
  });

  it('does not call the ledger for an empty batch', async () => {
    const { server, response } = await postEvents('application/cloudevents-batch+json', []);
    expect(response.json()).toEqual({ accepted: 0, stored: 0, duplicates: 0, events: [] });
    expect(server.ledger.appendCalls).toHaveLength(0);
  });
});

describe('GET /api/v1/events/:id', () => {
  it('returns the event with an inclusion proof, cutting a checkpoint when the event is newer than the latest', async () => {
    const server = await testServer();
    await server.ledger.append([{ event: event('a'), actor: 'token:ci' }]);
    await server.ledger.cutCheckpoint();
    await server.ledger.append([{ event: event('b'), actor: 'token:ci' }]);
    expect(server.ledger.checkpoints.map((checkpoint) => checkpoint.size)).toEqual([1]);

    const response = await server.app.inject({ url: '/api/v1/events/b', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(200);
    const [found] = response.json().events;
    expect(found.event).toMatchObject({ seq: 2, id: 'b', actor: 'token:ci', subject: 'checkout-api' });
    expect(found.proof).toMatchObject({ seq: 2, leafIndex: 1, treeSize: 2, leafHash: found.event.leaf_hash, canonical: expect.any(String) });
    expect(found.proof).toEqual(await server.ledger.inclusionProof(2));
    expect(found.proof.checkpoint).toBe(server.ledger.checkpoints[1]!.note);
    expect(server.ledger.checkpoints.map((checkpoint) => checkpoint.size)).toEqual([1, 2]);
  });

  it('does not cut a checkpoint when the latest already covers the event', async () => {
    const server = await testServer();
    await server.ledger.append([{ event: event('a'), actor: 'token:ci' }, { event: event('b'), actor: 'token:ci' }]);
    await server.ledger.cutCheckpoint();
    const response = await server.app.inject({ url: '/api/v1/events/a', headers: server.auth('viewer') });
    expect(response.json().events[0].proof.treeSize).toBe(2);
    expect(server.ledger.checkpoints).toHaveLength(1);
  });

  it('returns every source with that id, or the one picked by ?source=', async () => {
    const server = await testServer();
    await server.ledger.append([
      { event: event('same', { source: '/one' }), actor: 'token:ci' },
      { event: event('same', { source: '/two' }), actor: 'token:ci' },
    ]);
    const all = await server.app.inject({ url: '/api/v1/events/same', headers: server.auth('viewer') });
    expect(all.json().events.map((item: { event: { source: string } }) => item.event.source)).toEqual(['/one', '/two']);
    const one = await server.app.inject({ url: '/api/v1/events/same?source=%2Ftwo', headers: server.auth('viewer') });
    expect(one.json().events.map((item: { event: { source: string } }) => item.event.source)).toEqual(['/two']);
  });

  it('returns data and extension attributes exactly as stored', async () => {
    const server = await testServer();
    const stored = {
      ...event('rich'),
      data: { version: '2.0.1', images: ['a', 'b'], nested: { replicas: 3, canary: null } },
      extensions: { environment: 'production', attempt: 2, canary: true },
    };
    await server.ledger.append([{ event: stored, actor: 'token:ci' }]);
    const response = await server.app.inject({ url: '/api/v1/events/rich', headers: server.auth('viewer') });
    expect(response.json().events[0].event).toEqual({ ...server.ledger.events[0] });
    expect(response.json().events[0].event.data).toEqual(stored.data);
  });

  it.each(['seq:2', 'seq%3A2'])('finds the event with that sequence number by %s, with its proof', async (ref) => {
    const server = await testServer();
    await server.ledger.append([{ event: event('a'), actor: 'token:ci' }, { event: event('b', { source: '/two' }), actor: 'token:ci' }]);
    const response = await server.app.inject({ url: `/api/v1/events/${ref}`, headers: server.auth('viewer') });
    expect(response.statusCode).toBe(200);
    const [found, ...others] = response.json().events;
    expect(others).toEqual([]);
    expect(found.event).toMatchObject({ seq: 2, id: 'b', source: '/two' });
    expect(found.proof).toMatchObject({ seq: 2, leafHash: found.event.leaf_hash });
    const fromSource = await server.app.inject({ url: `/api/v1/events/${ref}?source=%2Ftwo`, headers: server.auth('viewer') });
    expect(fromSource.json().events.map((item: { event: { seq: number } }) => item.event.seq)).toEqual([2]);
  });

  it.each([
    ['seq:3', 'event seq:3 was not found'],
    ['seq:99999999999999999999', 'event seq:99999999999999999999 was not found'],
    ['seq:2?source=%2Felsewhere', 'event seq:2 from /elsewhere was not found'],
  ])('answers 404 for %s, a sequence number not in the ledger or not from that source', async (ref, detail) => {
    const server = await testServer();
    await server.ledger.append([{ event: event('a'), actor: 'token:ci' }, { event: event('b'), actor: 'token:ci' }]);
    const response = await server.app.inject({ url: `/api/v1/events/${ref}`, headers: server.auth('viewer') });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'SO_E_NOT_FOUND', detail });
  });

  it('answers 404 problem+json for an unknown id', async () => {
    const server = await testServer();
    const response = await server.app.inject({ url: '/api/v1/events/nope?source=%2Fx', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'SO_E_NOT_FOUND', detail: 'event nope from /x was not found' });
  });
});
