import type { FastifyInstance } from 'fastify';

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
}

/** Starts serving; resolves with the address actually bound (port 0 picks a free port). */
export async function listen(app: FastifyInstance, options: ListenOptions): Promise<string> {
  return app.listen({ host: options.host, port: options.port });
}
