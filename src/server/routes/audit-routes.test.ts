import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditService } from '../../audit/audit-service.ts';
import { auditJsonSchema } from '../../audit/reports/audit-json-schema.ts';
import { fixedClock } from '../../lib/clock.ts';
import { FakeLedger } from '../test-support/fake-ledger.ts';
import { testNow, testServer, type TestServer } from '../test-support/test-server.ts';

const fixture = fileURLToPath(new URL('../../../test/fixtures/audit-small', import.meta.url));
const clock = fixedClock(testNow);

let dir: string;
let server: TestServer;
let ledger: FakeLedger;

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'audit-routes-')));
  cpSync(fixture, dir, { recursive: true });
  ledger = new FakeLedger(clock);
  server = await testServer({ clock, audit: createAuditService({ ledger, clock, root: dir }) });
});

afterAll(async () => {
  await server.app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit routes', () => {
  it('GET /api/v1/audit runs a first audit without recording it, and answers the JSON report', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/audit', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(200);
    const report = auditJsonSchema.parse(response.json());
    expect(report.run.root).toBe(dir);
    expect(report.summary.open).toBe(5);
    expect(report.backlog[0]).toMatchObject({ rank: 1, milestone: 'stabilize' });
    expect(await ledger.query({ types: ['dev.steadyops.audit.completed'] })).toEqual([]);
  });

  it('POST /api/v1/audit/runs needs an operator, records the run as the caller and becomes the latest', async () => {
    const denied = await server.app.inject({ method: 'POST', url: '/api/v1/audit/runs', headers: server.auth('viewer') });
    expect(denied.statusCode).toBe(403);

    const response = await server.app.inject({ method: 'POST', url: '/api/v1/audit/runs', headers: server.auth('operator') });
    expect(response.statusCode).toBe(201);
    const [event] = await ledger.query({ types: ['dev.steadyops.audit.completed'] });
    expect(event).toMatchObject({ actor: expect.stringContaining('operator-bot'), data: { root: dir, counts: { open: 5 } } });

    const latest = await server.app.inject({ method: 'GET', url: '/api/v1/audit', headers: server.auth('viewer') });
    expect(latest.json()).toEqual(response.json());
  });

  it('answers 503 on a server without an audit service', async () => {
    const bare = await testServer();
    const response = await bare.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bare.auth('viewer') });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'SO_E_NOT_CONFIGURED', detail: expect.stringContaining('--audit-root') });
    await bare.app.close();
  });
});
