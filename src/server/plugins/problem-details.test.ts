import { describe, expect, it } from 'vitest';
import { SteadyopsError } from '../../lib/errors.ts';
import { FakeLedger } from '../test-support/fake-ledger.ts';
import { testServer } from '../test-support/test-server.ts';
import { toProblem, toSteadyopsError } from './problem-details.ts';

const problemShape = {
  type: expect.stringMatching(/^https:\/\/steadyops\.dev\/errors\/SO_E_[A-Z_]+$/),
  title: expect.any(String),
  status: expect.any(Number),
  detail: expect.any(String),
  code: expect.stringMatching(/^SO_E_/),
  instance: expect.any(String),
};

describe('toSteadyopsError', () => {
  const context = { bodyLimit: 1024, contentType: 'text/csv' };
  it.each([
    [{ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }, 'SO_E_BODY_TOO_LARGE', 'the body is larger than the limit of 1024 bytes'],
    [{ code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }, 'SO_E_INPUT_INVALID', 'the body is not valid JSON'],
    [{ code: 'FST_ERR_CTP_EMPTY_JSON_BODY', statusCode: 400 }, 'SO_E_INPUT_INVALID', 'the body is empty; send a JSON document'],
    [{ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }, 'SO_E_UNSUPPORTED_MEDIA_TYPE', 'content type text/csv is not accepted here; use application/json'],
    [{ code: 'FST_ERR_SOMETHING', statusCode: 400, message: 'bad header' }, 'SO_E_INPUT_INVALID', 'bad header'],
    [new Error('connection string postgres://user:pw@db'), 'SO_E_INTERNAL', 'internal error: the request could not be completed; the server log has the details'],
    ['a thrown string', 'SO_E_INTERNAL', 'internal error: the request could not be completed; the server log has the details'],
  ])('%j -> %s', (error, code, detail) => {
    const mapped = toSteadyopsError(error, context);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toBe(detail);
  });

  it('maps Ajv validation errors to one issue per field path', () => {
    const mapped = toSteadyopsError(
      {
        code: 'FST_ERR_VALIDATION',
        validationContext: 'body',
        validation: [
          { instancePath: '', message: "must have required property 'name'", params: { missingProperty: 'name' } },
          { instancePath: '/role', message: 'must be equal to one of the allowed values', params: {} },
        ],
      },
      context,
    );
    expect(mapped.code).toBe('SO_E_INPUT_INVALID');
    expect(mapped.issues).toEqual([
      { path: 'body.name', message: "must have required property 'name'" },
      { path: 'body.role', message: 'must be equal to one of the allowed values' },
    ]);
  });

  it('passes SteadyopsErrors through unchanged', () => {
    const error = new SteadyopsError('SO_E_CHECKPOINT_MISSING', { size: 3 });
    expect(toSteadyopsError(error, context)).toBe(error);
  });
});

describe('toProblem', () => {
  it('renders RFC 9457 fields from the catalogue, with issues only when there are some', () => {
    expect(toProblem(new SteadyopsError('SO_E_NOT_FOUND', { what: 'event', id: 'x' }), '/api/v1/events/x')).toEqual({
      type: 'https://steadyops.dev/errors/SO_E_NOT_FOUND',
      title: 'Not found',
      status: 404,
      detail: 'event x was not found',
      code: 'SO_E_NOT_FOUND',
      instance: '/api/v1/events/x',
    });
    const withIssues = toProblem(new SteadyopsError('SO_E_INPUT_INVALID', { detail: 'd' }, [{ path: 'body.a', message: 'm' }]), '/i');
    expect(withIssues.issues).toEqual([{ path: 'body.a', message: 'm' }]);
  });
});

describe('problem+json over HTTP', () => {
  const post = async (contentType: string, payload: string, bodyLimit?: number) => {
    const server = await testServer(bodyLimit === undefined ? {} : { bodyLimit });
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { ...server.auth('operator'), 'content-type': contentType },
      payload,
    });
    return { response, ledger: server.ledger };
  };

  it('names the problem in bad JSON, with line and column', async () => {
    const { response, ledger } = await post('application/json', '{\n  "id": "a",\n  oops\n}');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body).toMatchObject({ ...problemShape, code: 'SO_E_INPUT_INVALID', status: 400, instance: '/api/v1/events' });
    expect(body.detail).toMatch(/^the body is not valid JSON at line 3 column 3: /);
    expect(body.issues).toEqual([expect.objectContaining({ path: 'body', line: 3, col: 3 })]);
    expect(ledger.appendCalls).toHaveLength(0);
  });

  it('names bad JSON in the CloudEvents media types too', async () => {
    const { response } = await post('application/cloudevents-batch+json', '[{"id": }]');
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toMatch(/^the body is not valid JSON: Unexpected token '}'/);
  });

  it('refuses prototype poisoning with a clear message', async () => {
    const { response } = await post('application/json', '{"__proto__": {"admin": true}}');
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toContain('__proto__');
  });

  it('answers an empty JSON body with 400', async () => {
    const { response } = await post('application/json', '');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID', detail: 'the body is empty; send a JSON document' });
  });

  it('answers an oversized body with 413 and appends nothing', async () => {
    const events = Array.from({ length: 20 }, (_, i) => ({ specversion: '1.0', id: `e${i}`, source: '/s', type: 'com.example.t' }));
    const { response, ledger } = await post('application/json', JSON.stringify(events), 256);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({
      ...problemShape,
      code: 'SO_E_BODY_TOO_LARGE',
      status: 413,
      detail: 'the body is larger than the limit of 256 bytes',
    });
    expect(ledger.appendCalls).toHaveLength(0);
  });

  it('answers an unsupported media type with 415', async () => {
    const server = await testServer();
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...server.auth('admin'), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=a&role=viewer',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ ...problemShape, code: 'SO_E_UNSUPPORTED_MEDIA_TYPE', status: 415 });
    expect(response.json().detail).toContain('application/x-www-form-urlencoded');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const { app } = await testServer();
    const response = await app.inject({ url: '/api/v1/nothing-here?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: 'https://steadyops.dev/errors/SO_E_NOT_FOUND',
      title: 'Not found',
      status: 404,
      detail: 'route GET /api/v1/nothing-here?x=1 was not found',
      code: 'SO_E_NOT_FOUND',
      instance: '/api/v1/nothing-here?x=1',
    });
  });

  it('answers unexpected failures with 500 and leaks neither the message nor the stack', async () => {
    const server = await testServer();
    const failing = server.ledger as FakeLedger;
    failing.query = async () => {
      throw new Error('password authentication failed for user "steadyops" at postgres://db.internal');
    };
    const response = await server.app.inject({ url: '/api/v1/changes', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ ...problemShape, code: 'SO_E_INTERNAL', status: 500 });
    expect(response.body).not.toMatch(/password|postgres|db\.internal|\.ts:\d+|at /);
  });
});
