import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AlertRule } from '../../incidents/alerts/alert-gaps.ts';
import { serviceRunbooks } from '../../incidents/runbooks/service-runbooks.ts';
import type { Clock } from '../../lib/clock.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { findService } from '../../model/resolve.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { problemResponses } from '../schemas/problem.ts';
import type { ServerDeps } from '../server-deps.ts';

const params = z.object({ name: z.string().min(1).describe('the model Service') });

const finding = z.object({
  rule: z.string(),
  file: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string(),
});

const runbooksResponse = z.object({
  service: z.string(),
  runbooks: z.array(
    z.object({
      name: z.string(),
      path: z.string().optional().describe("relative to the model's repository"),
      url: z.string().optional(),
      markdown: z.string().optional().describe('the file as it is in the repository, front matter included'),
      frontMatter: z.record(z.string(), z.unknown()).optional(),
      lint: z.array(finding).describe('what `steadyops runbook lint` says about this file'),
    }),
  ),
});

export interface RunbookRouteDeps {
  readonly model: ServerDeps['model'];
  readonly clock: Clock;
  /** the model's repository folder; without it the route answers 503 */
  readonly repositoryRoot?: string;
  readonly alertRules: () => Promise<readonly AlertRule[]>;
}

/** GET /api/v1/services/:name/runbooks: each runbook's Markdown (read inside the repository only) and its lint. */
export function runbookRoutes(app: FastifyInstance, deps: RunbookRouteDeps): void {
  app.get(
    '/api/v1/services/:name/runbooks',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "A service's runbooks: Markdown from the model's repository, front matter and lint findings",
        tags: ['runbooks'],
        params: toJsonSchema(params, 'input'),
        response: { 200: toJsonSchema(runbooksResponse, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const { name } = parseInput(params, request.params, 'params');
      const model = deps.model.current();
      if (!model) throw new SteadyopsError('SO_E_MODEL_NOT_FOUND', { path: "the server's model path" });
      const service = findService(model, name);
      if (!service) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'service', id: name });
      if (!deps.repositoryRoot) {
        throw new SteadyopsError('SO_E_NOT_CONFIGURED', { feature: 'runbooks', detail: "start steadyops serve with an ownership model in a repository: runbook paths are read from the model's folder" });
      }
      const runbooks = serviceRunbooks({ model, service, root: deps.repositoryRoot, rules: await deps.alertRules(), now: deps.clock.now() });
      return { service: name, runbooks };
    },
  );
}
