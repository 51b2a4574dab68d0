import type { BenchContext } from './bench-context.ts';
import { latencyFigure, type Figure } from './figure.ts';
import { median, timed } from './measure.ts';
import { progress } from './progress.ts';
import { emptyModel, type ResolvedModel, type ResolvedService } from '../src/model/resolve.ts';
import { buildRuleFile, generateRules } from '../src/slo/generate-rules.ts';

/** A model of `count` SLOs: 250 services with four ratio SLOs each (scaled down for --quick). */
function modelWith(count: number): ResolvedModel {
  const services: ResolvedService[] = Array.from({ length: Math.ceil(count / 4) }, (_, index) => ({
    name: `service-${index}`,
    owner: 'payments',
    tier: 1,
    lifecycle: 'production',
    labels: {},
    annotations: {},
    slos: ['availability', 'latency', 'checkout', 'search'].map((name) => ({
      name,
      objective: 99.9,
      period: '30d',
      sli: { ratio: { errors: `sum(rate(http_requests_total{service="service-${index}",code=~"5.."}[{{.window}}]))`, total: `sum(rate(http_requests_total{service="service-${index}"}[{{.window}}]))` } },
    })),
  }));
  return { ...emptyModel(), services };
}

/** `steadyops slo rules` for 1,000 SLOs (YAML text) beside building the same rules as objects. */
export async function sloRules(ctx: BenchContext): Promise<Figure[]> {
  const count = ctx.quick ? 100 : 1_000;
  const model = modelWith(count);
  const rounds = ctx.quick ? 3 : 7;
  const product: number[] = [];
  const baseline: number[] = [];
  progress(`slo rules: ${count} SLOs, ${rounds} rounds`);
  for (let round = 0; round < rounds; round += 1) {
    baseline.push((await timed(() => buildRuleFile(model))).ms);
    product.push((await timed(() => generateRules(model))).ms);
  }
  return [latencyFigure(`slo rule generation (${count} SLOs, YAML)`, median(product), median(baseline), 1_000, { rounds: { product, baseline } })];
}
