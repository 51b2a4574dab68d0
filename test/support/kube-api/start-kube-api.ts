import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoveryDocument, findResource, type ResourceInfo } from './discovery.ts';
import { KubeStore, type KubeObject, type StoredEvent } from './kube-store.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, type JsonPatchOperation } from './patch.ts';
import { RolloutController } from './rollout-controller.ts';
import { matchesSelectors, parseSelectors, type Selectors } from './selectors.ts';

export interface KubeApiOptions {
  /** how long a healthy rollout takes (default 300 ms) */
  readonly completeAfterMs?: number;
}

export interface KubeApi {
  readonly url: string;
  readonly kubeconfigPath: string;
  readonly store: KubeStore;
  /** closes the port and every open connection (watches included); objects and history stay */
  stop(): Promise<void>;
  /** listens again on the same port */
  restart(): Promise<void>;
  /** stops for good and removes the kubeconfig */
  close(): Promise<void>;
}

interface Route {
  readonly resource: ResourceInfo;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A small Kubernetes API server for tests: plain http on loopback, in-memory objects, discovery,
 * list/get/create/patch/delete, watch streams with resume and 410 Gone, and a rollout controller.
 * Honest enough for the real kubectl (`apply`, `set image`, `rollout status|undo|history`).
 */
export async function startKubeApi(options: KubeApiOptions = {}): Promise<KubeApi> {
  const store = new KubeStore();
  const controller = new RolloutController(store, { completeAfterMs: options.completeAfterMs ?? 300 });
  const sockets = new Set<Socket>();
  let server = await listen(createApiServer(store, controller, sockets), 0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const directory = await mkdtemp(join(tmpdir(), 'steadyops-kube-api-'));
  const kubeconfigPath = join(directory, 'kubeconfig');
  await writeFile(kubeconfigPath, kubeconfig(url));

  const stop = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    url,
    kubeconfigPath,
    store,
    stop,
    async restart() {
      await stop();
      server = await listen(createApiServer(store, controller, sockets), port);
    },
    async close() {
      controller.stop();
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function listen(server: Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function createApiServer(store: KubeStore, controller: RolloutController, sockets: Set<Socket>): Server {
  const server = createServer((request, response) => {
    void handle(request, response, store, controller).catch((error: unknown) => {
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error));
      if (!response.headersSent) sendJson(response, apiError.code, status(apiError));
      else response.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return server;
}

async function handle(request: IncomingMessage, response: ServerResponse, store: KubeStore, controller: RolloutController): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const document = request.method === 'GET' ? discoveryDocument(url.pathname) : undefined;
  if (document) return sendJson(response, 200, document);
  const route = parseRoute(url.pathname);
  if (!route) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
  const resource = route.resource.name;
  const body = await readBody(request);
  if ((request.headers['content-type'] ?? '').includes('protobuf')) {
    throw new ApiError(415, 'UnsupportedMediaType', 'this test server speaks JSON only, not protobuf');
  }

  if (request.method === 'GET' && !route.name) {
    const selectors = parseSelectors(url.searchParams);
    if (['1', 'true'].includes(url.searchParams.get('watch') ?? '')) return watch(response, store, route, selectors, url.searchParams);
    const items = store.list(resource, route.namespace).filter((object) => matchesSelectors(object, selectors)).map((object) => withKind(route.resource, object));
    return sendJson(response, 200, {
      kind: `${route.resource.kind}List`,
      apiVersion: apiVersion(route.resource),
      metadata: { resourceVersion: String(store.resourceVersion) },
      items,
    });
  }
  if (request.method === 'POST' && !route.name) {
    const object = JSON.parse(body) as KubeObject;
    const namespace = route.namespace ?? object.metadata.namespace ?? 'default';
    if (store.get(resource, namespace, object.metadata.name)) throw new ApiError(409, 'AlreadyExists', `${resource} "${object.metadata.name}" already exists`);
    const created = store.create(resource, withDefaults(route.resource, { ...object, metadata: { ...object.metadata, namespace } }), new Date());
    afterWrite(controller, route.resource, created);
    return sendJson(response, 201, withKind(route.resource, created));
  }
  if (!route.name || !route.namespace) throw new ApiError(405, 'MethodNotAllowed', `${request.method} is not supported on ${url.pathname}`);
  const current = store.get(resource, route.namespace, route.name);
  if (!current) throw new ApiError(404, 'NotFound', `${route.resource.name}.${route.resource.group || 'core'} "${route.name}" not found`);

  if (request.method === 'GET') return sendJson(response, 200, withKind(route.resource, current));
  if (request.method === 'DELETE') {
    store.delete(resource, route.namespace, route.name);
    return sendJson(response, 200, withKind(route.resource, current));
  }
  if (request.method === 'PATCH' || request.method === 'PUT') {
    const next = request.method === 'PUT' ? (JSON.parse(body) as KubeObject) : patch(current, body, request.headers['content-type'] ?? '');
    const merged = route.subresource === 'status' ? { ...current, status: next.status } : { ...next, status: current.status };
    const updated = store.update(resource, { ...merged, metadata: { ...merged.metadata, uid: current.metadata.uid, name: route.name, namespace: route.namespace } });
    afterWrite(controller, route.resource, updated);
    return sendJson(response, 200, withKind(route.resource, updated));
  }
  throw new ApiError(405, 'MethodNotAllowed', `${request.method} is not supported`);
}

function patch(current: KubeObject, body: string, contentType: string): KubeObject {
  const document = JSON.parse(body) as unknown;
  try {
    if (contentType.startsWith('application/json-patch+json')) return applyJsonPatch(current, document as JsonPatchOperation[]) as KubeObject;
    if (contentType.startsWith('application/merge-patch+json')) return applyMergePatch(current, document) as KubeObject;
    if (contentType.startsWith('application/strategic-merge-patch+json')) return applyStrategicMergePatch(current, document) as KubeObject;
  } catch (error) {
    throw new ApiError(422, 'Invalid', (error as Error).message);
  }
  throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
}

function watch(response: ServerResponse, store: KubeStore, route: Route, selectors: Selectors, params: URLSearchParams): void {
  const matches = (event: StoredEvent) =>
    event.resource === route.resource.name &&
    (route.namespace === undefined || event.object.metadata.namespace === route.namespace) &&
    matchesSelectors(event.object, selectors);
  const since = Number(params.get('resourceVersion') || 0);
  response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
  response.flushHeaders();
  const send = (type: string, object: unknown) => response.write(`${JSON.stringify({ type, object })}\n`);
  const backlog: StoredEvent[] | undefined =
    since === 0
      ? store.list(route.resource.name, route.namespace).map((object) => ({ resourceVersion: 0, resource: route.resource.name, type: 'ADDED', object }))
      : store.eventsSince(since);
  if (!backlog) {
    send('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${since} (${store.resourceVersion})`, reason: 'Expired', code: 410 });
    response.end();
    return;
  }
  for (const event of backlog.filter(matches)) send(event.type, withKind(route.resource, event.object));
  const unsubscribe = store.subscribe((event) => {
    if (matches(event)) send(event.type, withKind(route.resource, event.object));
  });
  const timeout = Number(params.get('timeoutSeconds') || 0);
  const timer = timeout > 0 ? setTimeout(() => response.end(), timeout * 1000) : undefined;
  response.on('close', () => {
    unsubscribe();
    clearTimeout(timer);
  });
}

function afterWrite(controller: RolloutController, resource: ResourceInfo, object: KubeObject): void {
  if (resource.kind === 'Deployment') controller.reconcile(object.metadata.namespace ?? 'default', object.metadata.name);
}

function withDefaults(resource: ResourceInfo, object: KubeObject): KubeObject {
  if (resource.kind !== 'Deployment') return object;
  return {
    ...object,
    spec: {
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      ...object.spec,
    },
    status: {},
  };
}

const routePattern = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;

function parseRoute(path: string): Route | undefined {
  const match = routePattern.exec(path);
  if (!match) return undefined;
  const [, coreVersion, group, groupVersion, namespace, name, objectName, subresource] = match;
  const resource = findResource(coreVersion ? '' : (group ?? ''), coreVersion ?? groupVersion ?? '', name ?? '');
  return resource && { resource, namespace, name: objectName, subresource };
}

function apiVersion(resource: ResourceInfo): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

function withKind(resource: ResourceInfo, object: KubeObject): KubeObject {
  return { ...object, apiVersion: apiVersion(resource), kind: resource.kind };
}

function status(error: ApiError) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: error.message, reason: error.reason, code: error.code };
}

function sendJson(response: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function kubeconfig(server: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // client-node refuses plain http unless TLS verification is explicitly off
    clusters: [{ name: 'steadyops-test', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'steadyops-test', user: { token: 'steadyops-test-token' } }],
    contexts: [{ name: 'steadyops-test', context: { cluster: 'steadyops-test', user: 'steadyops-test', namespace: 'default' } }],
    'current-context': 'steadyops-test',
  });
}
