import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { SteadyopsError } from '../lib/errors.ts';
import type { StoreLedger } from '../ledger/ledger.ts';
import type { Schema, TokensTable } from '../store/schema.ts';
import { roles, type Principal, type Role, type TokenRecord, type TokenService } from './types.ts';

const tokenPrefix = 'so_';

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface TokenServiceDeps {
  readonly db: Kysely<Schema>;
  readonly ledger: StoreLedger;
  readonly clock: Clock;
}

/** API tokens: the secret is shown once and only its SHA-256 is stored; creating and revoking are ledger events. */
export function createTokenService({ db, ledger, clock }: TokenServiceDeps): TokenService {
  return {
    async create({ name, role, createdBy, expiresAt }) {
      if (!roles.includes(role)) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `role "${role}" is not one of ${roles.join(', ')}` });
      }
      if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/.test(name)) {
        throw new SteadyopsError('SO_E_USAGE', {
          detail: `token name "${name}" must be 1-64 letters, digits, '.', '_', '-', ':' or '/' (source:<prefix> pins a token to one event source)`,
        });
      }
      const secret = `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
      const now = clock.now();
      const row: TokensTable = {
        id: `tok_${randomBytes(6).toString('hex')}`,
        name,
        role,
        secret_hash: hashTokenSecret(secret),
        created_ms: now.getTime(),
        created_by: createdBy,
        expires_ms: expiresAt ? expiresAt.getTime() : null,
        revoked_ms: null,
        last_used_ms: null,
      };
      await ledger.appendWith(
        [
          {
            actor: createdBy,
            event: {
              specversion: '1.0',
              id: randomUUID(),
              source: '/steadyops/tokens',
              type: 'dev.steadyops.token.created',
              subject: name,
              time: now.toISOString(),
              datacontenttype: 'application/json',
              data: { tokenId: row.id, name, role, createdBy, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
            },
          },
        ],
        async (trx) => {
          await trx.insertInto('tokens').values(row).execute();
        },
      );
      return { token: secret, record: toRecord(row) };
    },

    async authenticate(secret) {
      if (!secret.startsWith(tokenPrefix)) return undefined;
      const row = await db.selectFrom('tokens').selectAll().where('secret_hash', '=', hashTokenSecret(secret)).executeTakeFirst();
      const now = clock.now().getTime();
      if (!row || row.revoked_ms !== null || (row.expires_ms !== null && row.expires_ms <= now)) return undefined;
      // last use is advisory: record it at most once a minute to keep reads read-only
      if (row.last_used_ms === null || now - row.last_used_ms > 60_000) {
        await db.updateTable('tokens').set({ last_used_ms: now }).where('id', '=', row.id).execute();
      }
      return toPrincipal(row);
    },

    async list() {
      const rows = await db.selectFrom('tokens').selectAll().orderBy('created_ms').execute();
      return rows.map(toRecord);
    },

    async revoke(id, by) {
      const row = await db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'token', id });
      if (row.revoked_ms !== null) return;
      const now = clock.now();
      await ledger.appendWith(
        [
          {
            actor: by,
            event: {
              specversion: '1.0',
              id: randomUUID(),
              source: '/steadyops/tokens',
              type: 'dev.steadyops.token.revoked',
              subject: row.name,
              time: now.toISOString(),
              datacontenttype: 'application/json',
              data: { tokenId: row.id, name: row.name, role: row.role, revokedBy: by },
            },
          },
        ],
        async (trx) => {
          await trx.updateTable('tokens').set({ revoked_ms: now.getTime() }).where('id', '=', id).execute();
        },
      );
    },
  };
}

function toPrincipal(row: TokensTable): Principal {
  return { tokenId: row.id, name: row.name, role: row.role as Role, actor: `token:${row.name}` };
}

function toRecord(row: TokensTable): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    createdAt: new Date(row.created_ms).toISOString(),
    createdBy: row.created_by,
    ...(row.expires_ms !== null ? { expiresAt: new Date(row.expires_ms).toISOString() } : {}),
    ...(row.revoked_ms !== null ? { revokedAt: new Date(row.revoked_ms).toISOString() } : {}),
    ...(row.last_used_ms !== null ? { lastUsedAt: new Date(row.last_used_ms).toISOString() } : {}),
  };
}
