import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

export const openApiPath = '/api/openapi.json';

/**
 * Generates the OpenAPI 3 document from the route schemas. Register before any route so every
 * route is seen; the document is served without authentication.
 */
export async function openApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'steadyops API',
        version,
        description: 'Production-ownership control plane: ownership model, tamper-evident ledger, tokens.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A steadyops API token' },
        },
      },
    },
  });
  app.get(openApiPath, { schema: { summary: 'This OpenAPI document', tags: ['operations'] } }, async () => app.swagger());
}
