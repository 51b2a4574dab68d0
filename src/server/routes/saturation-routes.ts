import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SaturationService } from '../../release/saturation-service.ts';
import type { ServerDeps } from '../server-deps.ts';
import { prometheusReportRoute } from './slo-routes.ts';

const saturationStatus = z.object({
  service: z.string(),
  environment: z.string(),
  kind: z.enum(['service', 'datastore', 'external']),
  dependency: z.string(),
  critical: z.boolean(),
  query: z.string(),
  threshold: z.number(),
  description: z.string().optional(),
  value: z.number().optional().describe('the highest value the query returned; absent without data'),
  ratio: z.number().optional().describe('value ÷ threshold'),
  headroom: z.number().optional().describe('threshold - value; negative once over'),
  saturated: z.boolean(),
  noData: z.boolean(),
  series: z.number().int(),
  labels: z.record(z.string(), z.string()).optional().describe('the labels of the highest series, when there were several'),
  summary: z.string(),
});

const saturationReport = z.object({
  at: z.string(),
  saturated: z.number().int(),
  dependencies: z.array(saturationStatus).describe('worst first, by value ÷ threshold'),
});

/** GET /api/v1/saturation: what `steadyops saturation --format json` prints. */
export function saturationRoutes(app: FastifyInstance, model: ServerDeps['model'], saturation: SaturationService | undefined): void {
  prometheusReportRoute(app, model, saturation, {
    path: '/api/v1/saturation',
    summary: 'Saturation of every dependency the model gives a saturation query, worst first',
    response: saturationReport,
    tag: 'saturation',
    feature: 'Saturation',
  });
}
