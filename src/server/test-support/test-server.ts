// Test-only: a server over in-memory fakes, with one token per role.
import type { FastifyInstance } from 'fastify';
import { roles, type Role } from '../../access/types.ts';
import { fixedClock } from '../../lib/clock.ts';
import { buildServer } from '../build-server.ts';
import type { ServerDeps } from '../server-deps.ts';
import { FakeLedger } from './fake-ledger.ts';
import { FakeTokenService } from './fake-token-service.ts';

export const testNow = '2026-11-26T09:00:00.000Z';

export interface TestServer {
  readonly app: FastifyInstance;
  readonly ledger: FakeLedger;
  readonly tokens: FakeTokenService;
  /** a valid secret for each role */
  readonly secrets: Record<Role, string>;
  /** `{ authorization: 'Bearer <secret>' }` for the role */
  auth(role: Role): { authorization: string };
}

export async function testServer(overrides: Partial<Omit<ServerDeps, 'ledger' | 'tokens'>> = {}): Promise<TestServer> {
  const clock = overrides.clock ?? fixedClock(testNow);
  const ledger = new FakeLedger(clock);
  const tokens = new FakeTokenService(clock);
  const secrets = {} as Record<Role, string>;
  for (const role of roles) secrets[role] = (await tokens.create({ name: `${role}-bot`, role, createdBy: 'test' })).token;
  const app = await buildServer({
    ledger,
    tokens,
    clock,
    model: { current: () => undefined },
    ready: async () => {},
    version: '0.0.0-test',
    ...overrides,
  });
  return { app, ledger, tokens, secrets, auth: (role) => ({ authorization: `Bearer ${secrets[role]}` }) };
}
