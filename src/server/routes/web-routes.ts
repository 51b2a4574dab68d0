import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Paths the dashboard never answers: the API and webhooks keep their own 404s. */
const serverPrefixes = ['/api', '/hooks'];

export const noWebBuildText = 'steadyops: the web dashboard is not built. Run `npm run build` (or `npm start`, which builds it first), then restart `steadyops serve`.\n';

/** True when `webRoot` holds a built dashboard (its index.html). */
export function webBuildExists(webRoot: string | undefined): webRoot is string {
  return webRoot !== undefined && existsSync(join(webRoot, 'index.html'));
}

/** Whether a GET for this URL path falls back to the dashboard's index.html (client-side routes). */
export function isDashboardPath(path: string): boolean {
  return !serverPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)) && !path.startsWith('/assets/');
}

/**
 * The dashboard: files of the built app at `/`, and index.html for every other non-API path so deep
 * links (`/changes?service=...`) load the app, which routes them. Without a build, `/` says how to make one.
 */
export async function webRoutes(app: FastifyInstance, webRoot: string | undefined): Promise<void> {
  if (!webBuildExists(webRoot)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/plain; charset=utf-8').send(noWebBuildText));
    return;
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: false,
    index: ['index.html'],
    // hashed asset names may be cached; index.html must be fetched again to pick up a new build
    setHeaders: (reply, file) => reply.header('cache-control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
  });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (!isDashboardPath(path)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
