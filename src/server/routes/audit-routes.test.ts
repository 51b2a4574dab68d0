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

  it('POST /api/v1/audit/acceptances needs an approver and records the acceptance with the token as who accepted', async () => {
    const run = await server.app.inject({ method: 'POST', url: '/api/v1/audit/runs', headers: server.auth('operator') });
    const fingerprint = (run.json() as { run: { findings: { fingerprint: string }[] } }).run.findings[0]!.fingerprint;
    const body = { fingerprint, reason: 'fixed by the Q3 migration, tracked in OPS-12', expires: '30d' };
    for (const role of ['viewer', 'operator'] as const) {
      const denied = await server.app.inject({ method: 'POST', url: '/api/v1/audit/acceptances', headers: server.auth(role), payload: body });
      expect(denied.statusCode, role).toBe(403);
    }

    const response = await server.app.inject({ method: 'POST', url: '/api/v1/audit/acceptances', headers: server.auth('approver'), payload: body });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      seq: expect.any(Number),
      acceptance: { fingerprint, acceptedBy: 'token:approver-bot', reason: body.reason, expiresAt: '2026-12-26T09:00:00.000Z' },
    });
    const [event] = await ledger.query({ types: ['dev.steadyops.audit.risk.accepted'] });
    expect(event).toMatchObject({ actor: 'token:approver-bot', data: { fingerprint, acceptedBy: 'token:approver-bot' } });

    const rerun = await server.app.inject({ method: 'POST', url: '/api/v1/audit/runs', headers: server.auth('operator') });
    const accepted = (rerun.json() as { run: { findings: { fingerprint: string; status: string }[] } }).run.findings.find((finding) => finding.fingerprint === fingerprint);
    expect(accepted?.status).toBe('risk-accepted');
  });

  it('POST /api/v1/audit/acceptances answers 404 for an unknown fingerprint and 400 for a short reason or a long expiry', async () => {
    const accept = (payload: object) => server.app.inject({ method: 'POST', url: '/api/v1/audit/acceptances', headers: server.auth('approver'), payload });
    const unknown = await accept({ fingerprint: '0123456789abcdef', reason: 'long enough reason', expires: '30d' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'SO_E_NOT_FOUND', detail: expect.stringContaining('0123456789abcdef') });

    const short = await accept({ fingerprint: '0123456789abcdef', reason: 'because', expires: '30d' });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID', detail: expect.stringContaining('body.reason') });
    const long = await accept({ fingerprint: '0123456789abcdef', reason: 'long enough reason', expires: '181d' });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID', detail: expect.stringContaining('body.expires') });
    const missing = await accept({ fingerprint: '0123456789abcdef' });
    expect(missing.statusCode).toBe(400);
  });

  it('answers 503 on a server without an audit service', async () => {
    const bare = await testServer();
    const response = await bare.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bare.auth('viewer') });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'SO_E_NOT_CONFIGURED', detail: expect.stringContaining('--audit-root') });
    await bare.app.close();
  });
});
