import { describe, expect, it } from 'vitest';
import { loadModel } from '../../model/load-model.ts';
import { testServer } from '../test-support/test-server.ts';

describe('GET /api/v1/model', () => {
  it('returns the resolved model as loaded', async () => {
    const { model } = await loadModel('examples/demo/.steadyops');
    const server = await testServer({ model: { current: () => model } });
    const response = await server.app.inject({ url: '/api/v1/model', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(JSON.parse(JSON.stringify(model)));
  });

  it('answers 404 SO_E_MODEL_NOT_FOUND when none is loaded', async () => {
    const server = await testServer({ model: { current: () => undefined } });
    const response = await server.app.inject({ url: '/api/v1/model', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'SO_E_MODEL_NOT_FOUND', title: 'Ownership model not found' });
  });
});
