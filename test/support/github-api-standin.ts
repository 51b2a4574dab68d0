import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export interface GithubApiStandin {
  readonly url: string;
  readonly calls: RecordedCall[];
  /** the deployment protection rule answers received, in order */
  reviews(): Array<{ environment_name: string; state: string; comment: string }>;
  stop(): Promise<void>;
}

const installationToken = 'ghs_standinInstallationToken0001';

/**
 * A local stand-in for the two GitHub API calls a deployment protection rule needs: an App's JWT
 * exchanged for an installation token (the JWT's RS256 signature and issuer are checked against the
 * App's public key), and the review posted to the deployment callback URL with that token.
 */
export async function startGithubApiStandin(app: { appId: string; privateKeyPem: string }): Promise<GithubApiStandin> {
  const publicKey = createPublicKey(app.privateKeyPem);
  const calls: RecordedCall[] = [];
  const server: Server = createServer(async (request, response) => {
    const body = await readJson(request);
    const path = request.url ?? '/';
    calls.push({ method: request.method ?? 'GET', path, authorization: request.headers.authorization, body });
    const reply = (status: number, payload?: object) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(payload ? JSON.stringify(payload) : undefined);
    };
    if (request.method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      const problem = jwtProblem(request.headers.authorization, publicKey, app.appId);
      if (problem) return reply(401, { message: problem });
      return reply(201, { token: installationToken, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: { deployments: 'write' } });
    }
    if (request.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/\d+\/deployment_protection_rule$/.test(path)) {
      if (request.headers.authorization !== `token ${installationToken}`) return reply(401, { message: 'Bad credentials' });
      const review = body as { environment_name?: unknown; state?: unknown };
      if (typeof review.environment_name !== 'string' || !['approved', 'rejected'].includes(String(review.state))) {
        return reply(422, { message: 'Validation Failed' });
      }
      return reply(204);
    }
    return reply(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    reviews: () =>
      calls.filter((call) => call.path.endsWith('/deployment_protection_rule')).map((call) => call.body as { environment_name: string; state: string; comment: string }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function jwtProblem(authorization: string | undefined, publicKey: KeyObject, appId: string): string | undefined {
  const token = /^bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return 'A JSON web token could not be decoded';
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return 'A JSON web token could not be decoded';
  const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
  if (!signed) return 'The JWT signature does not match the App public key';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: unknown; exp?: number };
  if (String(claims.iss) !== appId) return `'Issuer' claim ('iss') must be ${appId}`;
  if (!claims.exp || claims.exp * 1000 < Date.now()) return "'Expiration time' claim ('exp') is too far in the past";
  return undefined;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : undefined;
}
