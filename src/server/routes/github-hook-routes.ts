import { verify } from '@octokit/webhooks-methods';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeploymentReviewer } from '../../connectors/github/deployment-reviewer.ts';
import { actionPayload, protectionRulePayload } from '../../connectors/github/github-payloads.ts';
import { mapGithubEvent, parsePayload, type GithubDelivery, type GithubMapping } from '../../connectors/github/map-github-event.ts';
import { protectionRuleRequest } from '../../connectors/github/protection-rule-request.ts';
import type { SubjectResolver } from '../../connectors/resolve-subject.ts';
import { parseStructuredEvents } from '../../ledger/cloud-event.ts';
import type { Ledger } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import type { GateService } from '../../release/gate-service.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { describeJsonError } from '../plugins/json-body.ts';
import { problemResponses } from '../schemas/problem.ts';

export const githubHookPath = '/hooks/github';
export const githubSecretEnv = 'STEADYOPS_GITHUB_WEBHOOK_SECRET';

export interface GithubHookDeps {
  readonly ledger: Ledger;
  readonly resolve: SubjectResolver;
  /** the webhook secret shared with GitHub; undefined answers 503 to every delivery */
  readonly secret: string | undefined;
  readonly clock: Clock;
  /** deployment protection rules: the gate asks, the GitHub App answers; undefined answers 503 to them */
  readonly protection?: { readonly gates: GateService; readonly reviewer: DeploymentReviewer | undefined };
}

export const githubAppSettings = 'STEADYOPS_GITHUB_APP_ID and STEADYOPS_GITHUB_APP_PRIVATE_KEY_FILE';

const hookHeaders = z.object({
  'x-github-delivery': z.string().min(1, 'is required: GitHub names each delivery'),
  'x-github-event': z.string().min(1, 'is required: GitHub names the event'),
});

const hookResponse = z.object({
  delivery: z.string().optional(),
  stored: z.number().int().optional(),
  duplicates: z.number().int().optional(),
  events: z.array(z.object({ id: z.string(), seq: z.number().int(), duplicate: z.boolean() })).optional(),
  ignored: z.string().optional(),
  pong: z.boolean().optional(),
  decision: z.enum(['allow', 'deny']).optional().describe('deployment_protection_rule: what the gate answered GitHub'),
  seq: z.number().int().optional().describe('deployment_protection_rule: the recorded gate decision'),
  comment: z.string().optional(),
});

type HookResponse = z.output<typeof hookResponse>;

/**
 * POST /hooks/github takes GitHub webhook deliveries. GitHub authenticates by signing the body
 * (`X-Hub-Signature-256`), not with a bearer token, so the route declares no role. The body is read
 * as raw bytes in this scope only: the signature covers the bytes exactly as sent.
 */
export function githubHookRoutes(app: FastifyInstance, deps: GithubHookDeps): void {
  app.register(async (scope) => {
    for (const mediaType of ['application/json', 'text/plain']) {
      if (scope.hasContentTypeParser(mediaType)) scope.removeContentTypeParser(mediaType);
    }
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post(
      githubHookPath,
      {
        schema: {
          summary: 'Receive a GitHub webhook delivery',
          description:
            'Configure the GitHub webhook with content type application/json and the secret in ' +
            `${githubSecretEnv}. Pushes, merged pull requests, workflow runs, deployments, deployment statuses and ` +
            'published releases become ledger events; other events are acknowledged and ignored. A redelivery ' +
            '(same X-GitHub-Delivery) is reported as duplicates. deployment_protection_rule deliveries (a GitHub App ' +
            'custom deployment protection rule) run the release gate and approve or reject the deployment through ' +
            `the GitHub API as the App (${githubAppSettings}).`,
          tags: ['hooks'],
          response: { 200: toJsonSchema(hookResponse, 'output'), ...problemResponses },
        },
      },
      async (request) => receive(request, deps, scope),
    );
  });
}

async function receive(request: FastifyRequest, deps: GithubHookDeps, scope: FastifyInstance): Promise<HookResponse> {
  if (!deps.secret) throw new SteadyopsError('SO_E_HOOK_NOT_CONFIGURED', { hook: 'GitHub', setting: githubSecretEnv });
  const text = bodyText(request.body);
  await assertSigned(deps.secret, text, request.headers['x-hub-signature-256']);
  assertJson(request.headers['content-type']);
  const headers = parseInput(hookHeaders, request.headers, 'headers');
  const payload = await parseJson(scope, request, text);
  if (headers['x-github-event'] === 'deployment_protection_rule') {
    const delivery = { event: headers['x-github-event'], delivery: headers['x-github-delivery'], payload, receivedAt: deps.clock.now() };
    return { delivery: headers['x-github-delivery'], ...(await answerProtectionRule(delivery, deps)) };
  }
  const mapping = mapGithubEvent(
    { event: headers['x-github-event'], delivery: headers['x-github-delivery'], payload, receivedAt: deps.clock.now() },
    deps.resolve,
  );
  return record(deps.ledger, headers['x-github-delivery'], mapping);
}

/**
 * Evaluates the release gate for a deployment waiting on a protection rule and approves or rejects
 * it through GitHub's API. A deployment nobody can place, or one the gate cannot evaluate, is
 * rejected with the reason: leaving it waiting would only time out later.
 */
async function answerProtectionRule(delivery: GithubDelivery, deps: GithubHookDeps): Promise<HookResponse> {
  const reviewer = deps.protection?.reviewer;
  if (!deps.protection || !reviewer) throw new SteadyopsError('SO_E_HOOK_NOT_CONFIGURED', { hook: 'GitHub deployment protection rule', setting: githubAppSettings });
  const { action } = parsePayload(actionPayload, delivery);
  if (action !== 'requested') return { ignored: `deployment_protection_rule action ${action ?? '(none)'} needs no answer` };
  const payload = parsePayload(protectionRulePayload, delivery);
  const answer = await gateAnswer(delivery, deps.resolve, deps.protection.gates);
  await reviewer.review({
    callbackUrl: payload.deployment_callback_url,
    installationId: payload.installation.id,
    environment: payload.environment,
    state: answer.decision === 'allow' ? 'approved' : 'rejected',
    comment: answer.comment,
  });
  return answer;
}

async function gateAnswer(delivery: GithubDelivery, resolve: SubjectResolver, gates: GateService) {
  try {
    const release = protectionRuleRequest(delivery, resolve);
    const outcome = await gates.check(
      { service: release.service, environment: release.environment, version: release.version, ...(release.author ? { author: release.author } : {}) },
      `github-app:${release.repository}`,
    );
    const reasons = outcome.decision === 'allow' ? [] : outcome.enforcedFailures.map((failure) => `${failure.type}: ${failure.reason}`);
    const override = outcome.override ? ` Overridden by ${outcome.override.by}: ${outcome.override.reason}` : '';
    const head = `steadyops ${outcome.decision.toUpperCase()} (release policy ${outcome.policy}, ledger seq ${outcome.seq}).${override}`;
    return { decision: outcome.decision, seq: outcome.seq, comment: [head, ...reasons].join('\n') };
  } catch (error) {
    if (!(error instanceof SteadyopsError) || !['SO_E_USAGE', 'SO_E_INPUT_INVALID'].includes(error.code)) throw error;
    return { decision: 'deny' as const, comment: `steadyops DENY: ${error.message}` };
  }
}

async function record(ledger: Ledger, delivery: string, mapping: GithubMapping): Promise<HookResponse> {
  if (mapping.kind === 'ping') return { pong: true };
  if (mapping.kind === 'ignored') return { ignored: mapping.reason };
  // The ledger's own boundary check: a mapped event that would not pass POST /api/v1/events is refused here too.
  parseStructuredEvents(mapping.events.map((item) => item.event));
  const outcomes = await ledger.append(mapping.events);
  const duplicates = outcomes.filter((outcome) => outcome.duplicate).length;
  return {
    delivery,
    stored: outcomes.length - duplicates,
    duplicates,
    events: outcomes.map(({ id, seq, duplicate }) => ({ id, seq, duplicate })),
  };
}

function bodyText(body: unknown): string {
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return typeof body === 'string' ? body : '';
}

async function assertSigned(secret: string, text: string, header: string | string[] | undefined): Promise<void> {
  const signature = Array.isArray(header) ? header[0] : header;
  if (!signature) throw unauthenticated('the X-Hub-Signature-256 header is missing; set the webhook secret in GitHub');
  const valid = text !== '' && (await verify(secret, text, signature));
  if (!valid) throw unauthenticated('the X-Hub-Signature-256 signature does not match the body and the configured secret');
}

function unauthenticated(detail: string): SteadyopsError {
  const error = new SteadyopsError('SO_E_UNAUTHENTICATED');
  error.message = detail;
  return error;
}

function assertJson(header: string | undefined): void {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return;
  throw new SteadyopsError('SO_E_UNSUPPORTED_MEDIA_TYPE', {
    contentType: mediaType || '(none)',
    accepted: 'application/json (set the webhook content type to application/json in GitHub)',
  });
}

/** Fastify's own JSON parser (with its prototype-poisoning protection), over the text that was verified. */
function parseJson(scope: FastifyInstance, request: FastifyRequest, text: string): Promise<unknown> {
  const parse = scope.getDefaultJsonParser('error', 'error');
  return new Promise((resolve, reject) => {
    parse(request, text, (error: Error | null, parsed?: unknown) => (error ? reject(describeJsonError(error, text)) : resolve(parsed)));
  });
}
