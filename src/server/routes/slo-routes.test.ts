import { describe, expect, it } from 'vitest';
import type { TargetQuery } from '../../connectors/prometheus/service-targets.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { emptyModel, type ResolvedModel } from '../../model/resolve.ts';
import type { SaturationService } from '../../release/saturation-service.ts';
import type { SloStatusService } from '../../slo/slo-status-service.ts';
import { testServer } from '../test-support/test-server.ts';

const model: ResolvedModel = emptyModel();

/** Service stand-ins that record what the route asked; Prometheus itself is exercised in test/integration. */
function recordingServices(fail?: SteadyopsError) {
  const asked: Array<{ route: string; model: ResolvedModel; query: TargetQuery | undefined }> = [];
  const answer = async <T>(route: string, answered: ResolvedModel, query: TargetQuery | undefined, report: T): Promise<T> => {
    asked.push({ route, model: answered, query });
    if (fail) throw fail;
    return report;
  };
  const slos: SloStatusService = {
    status: async () => [],
    report: (answered, query) => answer('slos', answered, query, { at: '2026-11-26T09:00:00.000Z', slos: [] }),
  };
  const saturation: SaturationService = {
    report: (answered, query) => answer('saturation', answered, query, { at: '2026-11-26T09:00:00.000Z', saturated: 0, dependencies: [] }),
  };
  return { slos, saturation, asked };
}

describe.each(['/api/v1/slos', '/api/v1/saturation'])('GET %s', (path) => {
  it('passes service and env to the service with the current model (viewer role)', async () => {
    const services = recordingServices();
    const server = await testServer({ model: { current: () => model }, ...services });
    const response = await server.app.inject({ url: `${path}?service=checkout-api&env=production`, headers: server.auth('viewer') });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ at: '2026-11-26T09:00:00.000Z' });
    expect(services.asked).toEqual([{ route: expect.any(String), model, query: { service: 'checkout-api', environment: 'production' } }]);
  });

  it('needs a token', async () => {
    const server = await testServer({ model: { current: () => model }, ...recordingServices() });
    expect((await server.app.inject({ url: path })).statusCode).toBe(401);
  });

  it('answers 503 SO_E_NOT_CONFIGURED when the server was built without the service', async () => {
    const server = await testServer({ model: { current: () => model } });
    const response = await server.app.inject({ url: path, headers: server.auth('viewer') });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'SO_E_NOT_CONFIGURED' });
  });

  it('answers 404 SO_E_MODEL_NOT_FOUND without a model', async () => {
    const server = await testServer(recordingServices());
    const response = await server.app.inject({ url: path, headers: server.auth('viewer') });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'SO_E_MODEL_NOT_FOUND' });
  });

  it('answers 502 problem+json when Prometheus is unreachable', async () => {
    const unreachable = new SteadyopsError('SO_E_UNREACHABLE', { target: 'Prometheus at http://127.0.0.1:9', detail: 'ECONNREFUSED' });
    const server = await testServer({ model: { current: () => model }, ...recordingServices(unreachable) });
    const response = await server.app.inject({ url: path, headers: server.auth('viewer') });
    expect(response.statusCode).toBe(502);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'SO_E_UNREACHABLE', detail: 'could not reach Prometheus at http://127.0.0.1:9: ECONNREFUSED' });
  });
});
