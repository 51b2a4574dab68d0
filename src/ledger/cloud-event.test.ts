import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HTTP, CloudEvent } from 'cloudevents';
import { SteadyopsError } from '../lib/errors.ts';
import type { ErrorIssue } from '../lib/errors.ts';
import { parseBinaryEvent, parseEventText, parseStructuredEvents } from './cloud-event.ts';

const good = {
  specversion: '1.0',
  id: 'evt-1',
  source: '/github/northwind/checkout-api',
  type: 'dev.steadyops.deploy.finished',
  subject: 'checkout-api',
  time: '2024-05-01T12:30:00Z',
  datacontenttype: 'application/json',
  data: { service: 'checkout-api', environment: 'production', version: 'v1.4.2' },
};

function errorOf(run: () => unknown): SteadyopsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SteadyopsError) return error;
    throw error;
  }
  throw new Error('expected a SteadyopsError');
}

function issuesOf(run: () => unknown): Array<Pick<ErrorIssue, 'path' | 'message'>> {
  return errorOf(run).issues.map(({ path, message }) => ({ path, message }));
}

describe('parseStructuredEvents: valid input', () => {
  it('normalises one event and keeps time as given', () => {
    const [event] = parseStructuredEvents({ ...good, time: '2024-05-01T14:30:00.123456+02:00' });
    expect(event).toEqual({ ...good, time: '2024-05-01T14:30:00.123456+02:00' });
  });

  it('moves unknown top-level attributes into extensions', () => {
    const [event] = parseStructuredEvents({ ...good, environment: 'production', traceparent: '00-ab', retries: 2, dry: false });
    expect(event?.extensions).toEqual({ environment: 'production', traceparent: '00-ab', retries: 2, dry: false });
    expect(event).not.toHaveProperty('environment');
  });

  it('accepts a batch in order', () => {
    const events = parseStructuredEvents([good, { ...good, id: 'evt-2' }]);
    expect(events.map((event) => event.id)).toEqual(['evt-1', 'evt-2']);
  });

  it('accepts foreign types with any data and leaves time absent when absent', () => {
    const [event] = parseStructuredEvents({ specversion: '1.0', id: 'x', source: 'urn:uuid:1', type: 'com.github.push', data: [1, 2] });
    expect(event).toEqual({ specversion: '1.0', id: 'x', source: 'urn:uuid:1', type: 'com.github.push', data: [1, 2] });
  });

  it('decodes JSON data_base64 and keeps binary data_base64 encoded', () => {
    const payload = Buffer.from(JSON.stringify(good.data)).toString('base64');
    const { data: _data, ...withoutData } = good;
    expect(parseStructuredEvents({ ...withoutData, data_base64: payload })[0]?.data).toEqual(good.data);
    const [binary] = parseStructuredEvents({
      specversion: '1.0', id: 'b', source: '/s', type: 'com.example.blob', datacontenttype: 'image/png', data_base64: 'iVBORw==',
    });
    expect(binary?.data).toBe('iVBORw==');
  });

  it('accepts an empty batch', () => {
    expect(parseStructuredEvents([])).toEqual([]);
  });
});

describe('parseStructuredEvents: invalid input', () => {
  const cases: Array<{ name: string; body: unknown; issues: Array<{ path: string; message: string }> }> = [
    {
      name: 'missing required attributes',
      body: { data: {} },
      issues: [
        { path: 'specversion', message: 'is required; use "1.0"' },
        { path: 'id', message: 'is required; use a non-empty string' },
        { path: 'source', message: 'is required; use a non-empty string' },
        { path: 'type', message: 'is required; use a non-empty string' },
      ],
    },
    {
      name: 'wrong specversion and empty id',
      body: { ...good, specversion: '0.3', id: '' },
      issues: [
        { path: 'specversion', message: 'must be "1.0" (CloudEvents 1.0), got "0.3"' },
        { path: 'id', message: 'must be a non-empty string, got ""' },
      ],
    },
    {
      name: 'source that is not a URI-reference',
      body: { ...good, source: 'not a uri' },
      issues: [
        {
          path: 'source',
          message: 'must be a URI-reference (RFC 3986), e.g. /github/acme/checkout-api or https://ci.example.com; got "not a uri"',
        },
      ],
    },
    {
      name: 'time that is not RFC 3339',
      body: { ...good, time: '2024-02-30T10:00:00Z' },
      issues: [{ path: 'time', message: 'must be an RFC 3339 timestamp such as 2024-05-01T12:30:00Z, got "2024-02-30T10:00:00Z"' }],
    },
    {
      name: 'time without offset',
      body: { ...good, time: '2024-05-01 12:30:00' },
      issues: [{ path: 'time', message: 'must be an RFC 3339 timestamp such as 2024-05-01T12:30:00Z, got "2024-05-01 12:30:00"' }],
    },
    {
      name: 'subject of the wrong type',
      body: { ...good, subject: 7 },
      issues: [{ path: 'subject', message: 'must be a non-empty string (the service, datastore or team), got number 7' }],
    },
    {
      name: 'bad extension name and value',
      body: { ...good, Environment: 'x', averyveryverylongname1: 'x', labels: { a: 'b' } },
      issues: [
        { path: 'Environment', message: 'is not a valid attribute name; extension attribute names are 1 to 20 lower-case letters or digits (a-z, 0-9)' },
        { path: 'averyveryverylongname1', message: 'is not a valid attribute name; extension attribute names are 1 to 20 lower-case letters or digits (a-z, 0-9)' },
        { path: 'labels', message: 'extension attribute values must be a string, number or boolean, got an object' },
      ],
    },
    {
      name: 'data and data_base64 together',
      body: { ...good, data_base64: 'e30=' },
      issues: [{ path: 'data_base64', message: 'an event carries data or data_base64, not both' }],
    },
    {
      name: 'payload of a known type',
      body: { ...good, data: { service: 'checkout-api', environment: 'production', version: 1 } },
      issues: [{ path: 'data.version', message: 'Invalid input: expected string, received number' }],
    },
    {
      name: 'not an object',
      body: 'hello',
      issues: [{ path: '', message: 'must be a CloudEvent JSON object, got "hello"' }],
    },
  ];

  it.each(cases)('$name', ({ body, issues }) => {
    const error = errorOf(() => parseStructuredEvents(body));
    expect(error.code).toBe('SO_E_EVENT_INVALID');
    expect(error.params['index']).toBe(0);
    expect(error.issues.map(({ path, message }) => ({ path, message }))).toEqual(issues);
  });

  it('rejects the whole batch and reports every bad event with its index', () => {
    const error = errorOf(() =>
      parseStructuredEvents([good, { ...good, id: 'b' }, 42, { ...good, id: 'd', time: 'yesterday' }]),
    );
    expect(error.params['index']).toBe(2);
    expect(error.message).toBe('event 2 is invalid: [2]: must be a CloudEvent JSON object, got number 42 (and 1 more problem)');
    expect(error.issues.map((issue) => issue.path)).toEqual(['[2]', '[3].time']);
  });

  it('names near matches for an unknown dev.steadyops type', () => {
    expect(issuesOf(() => parseStructuredEvents([{ ...good, type: 'dev.steadyops.deploy.finised' }]))).toEqual([
      {
        path: '[0].type',
        message:
          'unknown event type dev.steadyops.deploy.finised; types under dev.steadyops. must be in the catalogue (did you mean dev.steadyops.deploy.finished, dev.steadyops.deploy.failed, dev.steadyops.deploy.started?)',
      },
    ]);
  });
});

const extensionNames = fc
  .stringMatching(/^[a-z0-9]{1,20}$/)
  .filter((key) => !['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data'].includes(key));

const validEvent = fc.record(
  {
    id: fc.string({ minLength: 1 }),
    source: fc.constantFrom('/github/northwind/checkout-api', 'https://ci.example.com/runs', 'urn:uuid:6e8bc430', '/k8s/prod%20eu'),
    type: fc.constantFrom('com.github.push', 'dev.cdevents.service.deployed.0.3.0', 'io.example.thing'),
    subject: fc.string({ minLength: 1 }),
    time: fc
      .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
      .map((date) => date.toISOString()),
    // through JSON once: -0 has no JSON form and comes back as 0
    data: fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown),
    extensions: fc.dictionary(extensionNames, fc.oneof(fc.string(), fc.boolean(), fc.integer()), { maxKeys: 4 }),
  },
  { requiredKeys: ['id', 'source', 'type'] },
);

describe('parseStructuredEvents: property', () => {
  it('round-trips any valid event', () => {
    fc.assert(
      fc.property(fc.array(validEvent, { minLength: 1, maxLength: 5 }), (events) => {
        const expected = events.map(({ extensions, data, ...rest }) => ({
          specversion: '1.0' as const,
          ...rest,
          ...(data === undefined || data === null ? {} : { data }),
          ...(extensions && Object.keys(extensions).length > 0 ? { extensions } : {}),
        }));
        const wire = expected.map(({ extensions, ...rest }) => ({ ...rest, ...extensions }));
        expect(parseStructuredEvents(JSON.parse(JSON.stringify(wire)))).toEqual(expected);
      }),
    );
  });
});

describe('parseBinaryEvent', () => {
  it('reads ce-* headers, content type and a JSON body', () => {
    const event = parseBinaryEvent(
      {
        'CE-SpecVersion': '1.0',
        'ce-id': 'abc',
        'ce-source': '/kubernetes/prod-eu',
        'ce-type': 'dev.steadyops.deploy.finished',
        'ce-subject': 'checkout-api',
        'ce-time': '2024-05-01T12:30:00Z',
        'ce-environment': 'production',
        'ce-comment': 'caf%C3%A9',
        'content-type': 'application/json',
        host: 'localhost',
      },
      Buffer.from(JSON.stringify(good.data)),
    );
    expect(event).toEqual({
      specversion: '1.0',
      id: 'abc',
      source: '/kubernetes/prod-eu',
      type: 'dev.steadyops.deploy.finished',
      subject: 'checkout-api',
      time: '2024-05-01T12:30:00Z',
      datacontenttype: 'application/json',
      data: good.data,
      extensions: { environment: 'production', comment: 'café' },
    });
  });

  it('reads what the CloudEvents SDK sends in binary mode', () => {
    const sdkEvent = new CloudEvent({ id: 'sdk-1', source: '/sdk', type: 'com.example.ping', data: { ping: true }, region: 'eu' });
    const message = HTTP.binary(sdkEvent);
    const event = parseBinaryEvent(message.headers as Record<string, string>, message.body);
    expect(event).toMatchObject({ id: 'sdk-1', source: '/sdk', type: 'com.example.ping', data: { ping: true }, extensions: { region: 'eu' } });
  });

  it('takes an explicit content type and an already-parsed body', () => {
    const event = parseBinaryEvent(
      { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '/s', 'ce-type': 'com.example.note' },
      'plain words',
      'text/plain',
    );
    expect(event).toEqual({ specversion: '1.0', id: '1', source: '/s', type: 'com.example.note', datacontenttype: 'text/plain', data: 'plain words' });
  });

  it('accepts a structured-mode body sent with application/cloudevents+json', () => {
    const event = parseBinaryEvent({ 'content-type': 'application/cloudevents+json; charset=utf-8' }, JSON.stringify(good));
    expect(event).toEqual(good);
  });

  it('reports problems by header name', () => {
    expect(
      issuesOf(() =>
        parseBinaryEvent(
          { 'ce-specversion': '1.0', 'ce-source': '/s', 'ce-type': 'dev.steadyops.deploy.finished', 'ce-time': 'now', 'content-type': 'application/json' },
          '{"service":',
        ),
      ),
    ).toEqual([
      { path: 'data', message: 'content-type is JSON but the body is not valid JSON: Unexpected end of JSON input' },
      { path: 'ce-id', message: 'is required; use a non-empty string' },
      { path: 'ce-time', message: 'must be an RFC 3339 timestamp such as 2024-05-01T12:30:00Z, got "now"' },
    ]);
  });
});

describe('parseEventText', () => {
  const line = (id: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ ...good, id, ...extra });

  it('reads a JSON object, a JSON array and NDJSON', () => {
    expect(parseEventText(JSON.stringify(good), 'one.json')).toHaveLength(1);
    expect(parseEventText(JSON.stringify([good, { ...good, id: '2' }]), 'many.json')).toHaveLength(2);
    expect(parseEventText(`${line('a')}\n\n${line('b')}\r\n${line('c')}\n`, 'e.ndjson').map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  it('reports a JSON syntax error with file:line:col', () => {
    const error = errorOf(() => parseEventText('{\n  "specversion": "1.0",\n  "id": "x",,\n}', 'events.json'));
    expect(error.code).toBe('SO_E_INPUT_INVALID');
    expect(error.message).toBe('events.json:3:13: invalid JSON: Expected double-quoted property name');
    expect(error.issues).toEqual([{ file: 'events.json', line: 3, col: 13, message: 'invalid JSON: Expected double-quoted property name' }]);
  });

  it('reports a bad NDJSON line 3 as line 3', () => {
    const text = [line('a'), line('b'), line('c', { time: 'last tuesday' }), line('d')].join('\n');
    const error = errorOf(() => parseEventText(text, 'events.ndjson'));
    expect(error.code).toBe('SO_E_EVENT_INVALID');
    expect(error.params['index']).toBe(2);
    expect(error.issues).toEqual([
      {
        file: 'events.ndjson',
        line: 3,
        path: '[2].time',
        message: 'time: must be an RFC 3339 timestamp such as 2024-05-01T12:30:00Z, got "last tuesday"',
      },
    ]);
  });

  it('reports NDJSON syntax errors with their line and column, counting blank lines', () => {
    const text = `${line('a')}\n\n{"id": oops}\n${line('d')}`;
    expect(errorOf(() => parseEventText(text, 'e.ndjson')).issues).toEqual([
      { file: 'e.ndjson', line: 3, col: 8, path: '[1]', message: expect.stringMatching(/^invalid JSON: /) },
    ]);
  });

  it('tags structured validation issues with the file', () => {
    const error = errorOf(() => parseEventText(JSON.stringify([good, { ...good, source: '' }]), 'batch.json'));
    expect(error.issues).toEqual([{ file: 'batch.json', path: '[1].source', message: '[1].source: must be a non-empty string, got ""' }]);
    expect(error.message).toBe('event 1 is invalid: batch.json: [1].source: must be a non-empty string, got ""');
  });

  it('rejects an empty file', () => {
    expect(errorOf(() => parseEventText(' \n', 'empty.json')).code).toBe('SO_E_INPUT_INVALID');
  });
});
