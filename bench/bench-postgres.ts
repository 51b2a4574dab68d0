import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresBaseUrl = process.env.STEADYOPS_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

export function freshBenchSchemaUrl(): string {
  const url = new URL(postgresBaseUrl);
  url.searchParams.set('schema', `bench_${randomBytes(6).toString('hex')}`);
  return url.toString();
}

export function schemaOf(url: string): string {
  const schema = new URL(url).searchParams.get('schema');
  if (!schema || !/^bench_[0-9a-f]{12}$/.test(schema)) throw new Error(`not a bench schema URL: ${url}`);
  return schema;
}

export async function withPostgresClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresBaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropBenchSchema(url: string): Promise<void> {
  const schema = schemaOf(url);
  await withPostgresClient((client) => client.query(`drop schema if exists "${schema}" cascade`));
}

/** A fresh `bench_<random>` schema for `work`, always dropped afterwards. */
export async function withBenchSchema<T>(work: (url: string) => Promise<T>): Promise<T> {
  const url = freshBenchSchemaUrl();
  try {
    return await work(url);
  } finally {
    await dropBenchSchema(url);
  }
}
