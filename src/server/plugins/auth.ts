import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { roleAtLeast, type Principal, type Role, type TokenService } from '../../access/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the minimum role a caller needs; every /api/v1 route declares one */
    role?: Role;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export const protectedPrefix = '/api/v1';
export const bearerSecurity = [{ bearerAuth: [] }];

/**
 * Bearer-token authentication and role checks. Routes declare `config: { role }`; a route under
 * /api/v1 without one is a programming error and fails at start-up rather than serving unauthenticated.
 */
export function auth(app: FastifyInstance, tokens: TokenService): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRoute', (route) => {
    const role = route.config?.role;
    if (!role) {
      if (route.url.startsWith(protectedPrefix)) {
        throw new Error(`route ${String(route.method)} ${route.url} must declare config.role`);
      }
      return;
    }
    markSecured(route);
  });
  app.addHook('onRequest', async (request) => {
    const required = request.routeOptions.config.role;
    if (!required) return;
    const principal = await authenticate(request, tokens);
    request.principal = principal;
    assertRole(principal, required);
  });
}

/** The authenticated caller of a route that declares a role. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new SteadyopsError('SO_E_UNAUTHENTICATED');
  return request.principal;
}

export function assertRole(principal: Principal, required: Role): void {
  if (!roleAtLeast(principal.role, required)) {
    throw new SteadyopsError('SO_E_FORBIDDEN', { role: principal.role, required });
  }
}

/** For routes that need a stronger role than they declare in some cases (a preHandler). */
export function requireRole(required: Role) {
  return async (request: FastifyRequest): Promise<void> => assertRole(principalOf(request), required);
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

async function authenticate(request: FastifyRequest, tokens: TokenService): Promise<Principal> {
  const secret = bearerToken(request.headers.authorization);
  const principal = secret === undefined ? undefined : await tokens.authenticate(secret);
  if (!principal) throw new SteadyopsError('SO_E_UNAUTHENTICATED');
  return principal;
}

function markSecured(route: RouteOptions): void {
  route.schema = { ...route.schema, security: bearerSecurity } as RouteOptions['schema'];
}
