// Test-only: an in-memory TokenService. Secrets are random so a test can search logs for them.
import { randomBytes } from 'node:crypto';
import type { Principal, Role, TokenRecord, TokenService } from '../../access/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { SteadyopsError } from '../../lib/errors.ts';

export class FakeTokenService implements TokenService {
  readonly #bySecret = new Map<string, string>();
  readonly #records = new Map<string, TokenRecord>();
  readonly #clock: Clock;
  #next = 1;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async create(input: { name: string; role: Role; createdBy: string; expiresAt?: Date }): Promise<{ token: string; record: TokenRecord }> {
    const token = `so_${randomBytes(18).toString('base64url')}`;
    const record: TokenRecord = {
      id: `tok_${this.#next++}`,
      name: input.name,
      role: input.role,
      createdAt: this.#clock.now().toISOString(),
      createdBy: input.createdBy,
      ...(input.expiresAt ? { expiresAt: input.expiresAt.toISOString() } : {}),
    };
    this.#bySecret.set(token, record.id);
    this.#records.set(record.id, record);
    return { token, record };
  }

  async authenticate(secret: string): Promise<Principal | undefined> {
    const id = this.#bySecret.get(secret);
    const record = id === undefined ? undefined : this.#records.get(id);
    if (!record || record.revokedAt) return undefined;
    if (record.expiresAt && new Date(record.expiresAt) <= this.#clock.now()) return undefined;
    return { tokenId: record.id, name: record.name, role: record.role, actor: `token:${record.name}` };
  }

  async list(): Promise<TokenRecord[]> {
    return [...this.#records.values()];
  }

  async revoke(id: string, _by: string): Promise<void> {
    const record = this.#records.get(id);
    if (!record) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'token', id });
    this.#records.set(id, { ...record, revokedAt: this.#clock.now().toISOString() });
  }
}
