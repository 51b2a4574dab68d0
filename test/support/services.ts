import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Integration tests need real services. On a laptop without one, the test is skipped with a visible
 * reason; under CI=true or STEADYOPS_REQUIRE_SERVICES=1 a missing service fails the run instead.
 */
export function servicesRequired(): boolean {
  return process.env.CI === 'true' || process.env.STEADYOPS_REQUIRE_SERVICES === '1';
}

export function reportMissingService(service: string, reason: string): void {
  const message = `${service} is not available (${reason})`;
  if (servicesRequired()) throw new Error(`${message}; CI=true/STEADYOPS_REQUIRE_SERVICES=1 requires it`);
  console.warn(`SKIPPED: ${message}; these tests are skipped on this machine`);
}

export const postgresBaseUrl = process.env.STEADYOPS_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresProbe: Promise<string | undefined> | undefined;

/** undefined when PostgreSQL answers, else why not */
export function probePostgres(): Promise<string | undefined> {
  postgresProbe ??= (async () => {
    const client = new pg.Client({ connectionString: postgresBaseUrl, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (error) {
      return (error as Error).message;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresProbe;
}

export async function postgresAvailable(): Promise<boolean> {
  const reason = await probePostgres();
  if (reason) reportMissingService(`PostgreSQL at ${postgresBaseUrl}`, reason);
  return reason === undefined;
}

/** A fresh schema per test run: `postgres://.../test?schema=so_test_<random>`. */
export function freshPostgresUrl(): string {
  const url = new URL(postgresBaseUrl);
  url.searchParams.set('schema', `so_test_${randomBytes(6).toString('hex')}`);
  return url.toString();
}

export async function dropPostgresSchema(url: string): Promise<void> {
  const schema = new URL(url).searchParams.get('schema');
  if (!schema) return;
  const client = new pg.Client({ connectionString: postgresBaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** true when the `git` binary runs here; otherwise reports it (skip locally, fail under CI=true). */
export function gitAvailable(): boolean {
  try {
    execFileSync('git', ['--version']);
    return true;
  } catch (error) {
    reportMissingService('git', (error as Error).message);
    return false;
  }
}
