import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import { SteadyopsError } from '../../lib/errors.ts';
import { selectorString } from './previous-replica-set.ts';

const stringMap = z.record(z.string(), z.string());

const podTemplateSchema = z.looseObject({
  metadata: z.looseObject({ labels: stringMap.optional(), annotations: stringMap.optional() }).optional(),
  spec: z.looseObject({ containers: z.array(z.looseObject({ name: z.string(), image: z.string().optional() })).optional() }).optional(),
});

const labelSelectorSchema = z.looseObject({
  matchLabels: stringMap.optional(),
  matchExpressions: z.array(z.looseObject({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() })).optional(),
});

const deploymentSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    generation: z.number().optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  }),
  spec: z.looseObject({
    replicas: z.number().optional(),
    paused: z.boolean().optional(),
    progressDeadlineSeconds: z.number().optional(),
    selector: labelSelectorSchema.optional(),
    template: podTemplateSchema,
  }),
  status: z
    .looseObject({
      observedGeneration: z.number().optional(),
      replicas: z.number().optional(),
      updatedReplicas: z.number().optional(),
      readyReplicas: z.number().optional(),
      availableReplicas: z.number().optional(),
      conditions: z.array(z.looseObject({ type: z.string(), status: z.string(), reason: z.string().optional(), message: z.string().optional() })).optional(),
    })
    .optional(),
});

const replicaSetSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    uid: z.string().optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
    ownerReferences: z.array(z.looseObject({ uid: z.string(), kind: z.string().optional(), name: z.string().optional(), controller: z.boolean().optional() })).optional(),
  }),
  spec: z.looseObject({ template: podTemplateSchema }),
});

/** A Deployment as the API server sent it: the fields the guard reads are typed, the rest is kept as sent. */
export type DeploymentJson = z.infer<typeof deploymentSchema>;
export type ReplicaSetJson = z.infer<typeof replicaSetSchema>;
export type PodTemplateJson = z.infer<typeof podTemplateSchema>;

/** RFC 6902, the patch type `kubectl rollout undo` sends. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'test';
  readonly path: string;
  readonly value?: unknown;
}

/** One Deployment's rollout as the guard sees it through the Kubernetes API. */
export interface DeploymentRollout {
  /** `deployment shop/web (context prod-eu)`, for messages */
  readonly target: string;
  read(): Promise<DeploymentJson>;
  /** the ReplicaSets matching the Deployment's selector; ownership is for the caller to check, as kubectl does */
  replicaSets(deployment: DeploymentJson): Promise<ReplicaSetJson[]>;
  patch(operations: readonly JsonPatchOperation[]): Promise<DeploymentJson>;
}

export interface DeploymentRolloutOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly name: string;
  /** per request, default 10 s */
  readonly timeoutMs?: number;
}

/**
 * Reads and patches a Deployment as raw JSON. The typed client-node models drop fields they do not know
 * and turn timestamps into Dates; an undo must copy a ReplicaSet's pod template exactly as stored.
 */
export function createDeploymentRollout(options: DeploymentRolloutOptions): DeploymentRollout {
  const { kubeConfig, namespace, name } = options;
  const context = kubeConfig.getCurrentContext();
  const target = `deployment ${namespace}/${name} (context ${context})`;
  const base = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}`;
  const call = (method: string, path: string, body?: { contentType: string; json: unknown }) =>
    kubeRequest(kubeConfig, { method, path, timeoutMs: options.timeoutMs ?? 10_000, target, ...(body ? { body } : {}) });
  return {
    target,
    async read() {
      return parse(deploymentSchema, await call('GET', `${base}/deployments/${encodeURIComponent(name)}`), target);
    },
    async replicaSets(deployment) {
      const selector = selectorString(deployment.spec.selector);
      const list = (await call('GET', `${base}/replicasets?labelSelector=${encodeURIComponent(selector)}`)) as { items?: unknown[] };
      return (list.items ?? []).map((item) => parse(replicaSetSchema, item, `a ReplicaSet of ${target}`));
    },
    async patch(operations) {
      const patched = await call('PATCH', `${base}/deployments/${encodeURIComponent(name)}`, { contentType: 'application/json-patch+json', json: operations });
      return parse(deploymentSchema, patched, target);
    },
  };
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new SteadyopsError('SO_E_UNREACHABLE', { target: 'the Kubernetes API', detail: `it sent ${what} the guard cannot read (${issues})` });
}

interface KubeRequest {
  readonly method: string;
  readonly path: string;
  readonly timeoutMs: number;
  readonly target: string;
  readonly body?: { readonly contentType: string; readonly json: unknown };
}

/** One JSON request with the kubeconfig's credentials, TLS settings and proxy (client-node's https agent). */
async function kubeRequest(kubeConfig: KubeConfig, request: KubeRequest): Promise<unknown> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `the kubeconfig context ${kubeConfig.getCurrentContext()} names no cluster server` });
  const url = new URL(`${server.replace(/\/+$/, '')}${request.path}`);
  const body = request.body ? JSON.stringify(request.body.json) : undefined;
  const options: RequestOptions = {
    method: request.method,
    headers: { accept: 'application/json', ...(request.body ? { 'content-type': request.body.contentType } : {}) },
  };
  try {
    await kubeConfig.applyToHTTPSOptions(options);
  } catch (error) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `cannot use the credentials of kubeconfig context ${kubeConfig.getCurrentContext()}: ${(error as Error).message}` });
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const outgoing = send(url, options, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.setTimeout(request.timeoutMs, () => outgoing.destroy(new Error(`timed out after ${request.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  }).catch((error: unknown) => {
    const cause = error as Error & { code?: string };
    throw new SteadyopsError('SO_E_UNREACHABLE', { target: `the Kubernetes API at ${server}`, detail: cause.code ?? cause.message });
  });
  return answer(status, text, request, server);
}

function answer(status: number, text: string, request: KubeRequest, server: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SteadyopsError('SO_E_UNREACHABLE', { target: `the Kubernetes API at ${server}`, detail: `HTTP ${status}, not a Kubernetes API answer: ${text.slice(0, 200)}` });
  }
  if (status >= 200 && status < 300) return json;
  const message = (json as { message?: string }).message ?? `HTTP ${status}`;
  if (status === 404) throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `${request.target} was not found: ${message}` });
  if (status === 401 || status === 403) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', {
      detail: `the Kubernetes API refused ${request.method} ${request.path} (HTTP ${status}: ${message}); the guard needs get and patch on deployments and list on replicasets`,
    });
  }
  if (status < 500) throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `the Kubernetes API rejected ${request.method} on ${request.target} (HTTP ${status}): ${message}` });
  throw new SteadyopsError('SO_E_UNREACHABLE', { target: `the Kubernetes API at ${server}`, detail: `HTTP ${status}: ${message}` });
}
