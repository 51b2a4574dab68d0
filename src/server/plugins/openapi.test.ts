import { describe, expect, it } from 'vitest';
import { testServer } from '../test-support/test-server.ts';

const expectedOperations = [
  ['get', '/healthz'],
  ['get', '/readyz'],
  ['get', '/metrics'],
  ['get', '/api/openapi.json'],
  ['post', '/api/v1/events'],
  ['get', '/api/v1/events/{id}'],
  ['get', '/api/v1/events/stream'],
  ['get', '/api/v1/changes'],
  ['get', '/api/v1/ledger/checkpoint'],
  ['get', '/api/v1/ledger/consistency'],
  ['get', '/api/v1/ledger/key'],
  ['get', '/api/v1/model'],
  ['post', '/api/v1/tokens'],
  ['get', '/api/v1/tokens'],
  ['delete', '/api/v1/tokens/{id}'],
  ['get', '/api/v1/whoami'],
  ['post', '/api/v1/gates/check'],
  ['post', '/api/v1/gates/approvals'],
  ['post', '/api/v1/gates/overrides'],
  ['get', '/api/v1/gates/argo'],
  ['get', '/api/v1/slos'],
  ['get', '/api/v1/slos/{service}/{slo}/history'],
  ['get', '/api/v1/rollback/check'],
  ['get', '/api/v1/saturation'],
  ['get', '/api/v1/audit'],
  ['post', '/api/v1/audit/runs'],
  ['post', '/api/v1/audit/acceptances'],
  ['get', '/api/v1/connectors'],
  ['get', '/api/v1/metrics'],
  ['get', '/api/v1/alerts'],
  ['get', '/api/v1/alerts/gaps'],
  ['get', '/api/v1/services/{name}/runbooks'],
  ['get', '/api/v1/followups'],
  ['post', '/api/v1/followups'],
  ['post', '/api/v1/followups/{id}/link'],
  ['post', '/api/v1/followups/{id}/close'],
  ['post', '/api/v1/incidents'],
  ['get', '/api/v1/incidents'],
  ['get', '/api/v1/incidents/{id}'],
  ['get', '/api/v1/incidents/{id}/timeline'],
  ['post', '/api/v1/incidents/{id}/acknowledge'],
  ['post', '/api/v1/incidents/{id}/updates'],
  ['post', '/api/v1/incidents/{id}/mitigate'],
  ['post', '/api/v1/incidents/{id}/resolve'],
  ['post', '/api/v1/incidents/{id}/postmortem'],
  ['post', '/hooks/github'],
  ['post', '/hooks/alertmanager'],
  ['post', '/hooks/pagerduty'],
  ['post', '/hooks/pagerduty/v2/enqueue'],
  ['post', '/hooks/pagerduty/v2/change/enqueue'],
  ['post', '/hooks/cloudevents'],
] as const;

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3 document listing every route, bearer-secured under /api/v1', async () => {
    const { app } = await testServer();
    const response = await app.inject({ url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = JSON.parse(response.body);
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.info).toMatchObject({ title: 'steadyops API', version: '0.0.0-test' });
    expect(document.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));

    const listed = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    expect(listed.sort()).toEqual(expectedOperations.map(([method, path]) => `${method} ${path}`).sort());

    for (const [method, path] of expectedOperations) {
      const operation = document.paths[path][method];
      expect(operation.summary, `${method} ${path}`).toEqual(expect.any(String));
      if (path.startsWith('/api/v1') || ['/hooks/alertmanager', '/hooks/pagerduty', '/hooks/cloudevents'].some((hook) => path.startsWith(hook))) expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      else expect(operation.security, `${method} ${path}`).toBeUndefined();
    }
    const changes = document.paths['/api/v1/changes'].get;
    expect(changes.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['since', 'until', 'service', 'env', 'type', 'actor', 'limit', 'before']),
    );
    const checkpoint = document.paths['/api/v1/ledger/checkpoint'].get.responses['200'].content;
    expect(Object.keys(checkpoint)).toEqual(expect.arrayContaining(['text/plain', 'application/json']));
  });
});
