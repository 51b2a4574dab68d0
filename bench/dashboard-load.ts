import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWebBuild } from '../scripts/ensure-web-build.ts';
import { createTokenService } from '../src/access/token-service.ts';
import { webRootDir } from '../src/cli/web-root.ts';
import { systemClock } from '../src/lib/clock.ts';
import { emptyModel, type ResolvedModel, type ResolvedService } from '../src/model/resolve.ts';
import { buildServer } from '../src/server/build-server.ts';
import { listen } from '../src/server/listen.ts';
import type { BenchContext } from './bench-context.ts';
import { latencyFigure, type Figure } from './figure.ts';
import { alternateLatencies, latencySummary } from './measure.ts';
import type { MillionLedger } from './million-ledger.ts';
import { progress } from './progress.ts';

/** An organisation of `count` services in teams of 4, each with a datastore dependency and a restore drill. */
function organisation(count: number): ResolvedModel {
  const teams = Array.from({ length: Math.ceil(count / 4) }, (_, index) => ({
    name: `team-${index}`,
    labels: {},
    annotations: {},
    timezone: 'UTC',
    members: [{ name: `Lead ${index}`, email: `lead-${index}@example.com` }],
  }));
  const datastores = teams.map((team, index) => ({
    name: `store-${index}`,
    labels: {},
    annotations: {},
    engine: 'postgresql' as const,
    owner: team.name,
    restoreDrill: { every: '30d', rto: '1h' },
  }));
  const services: ResolvedService[] = Array.from({ length: count }, (_, index) => ({
    name: `service-${index}`,
    labels: {},
    annotations: {},
    owner: `team-${Math.floor(index / 4)}`,
    tier: ((index % 3) + 1) as 1 | 2 | 3,
    lifecycle: 'production',
    dependsOn: [{ datastore: `store-${Math.floor(index / 4)}` }, ...(index > 0 ? [{ service: `service-${index - 1}` }] : [])],
  }));
  return { ...emptyModel(), teams, datastores, services };
}

const accessTypes = 'dev.steadyops.access.approved,dev.steadyops.access.granted,dev.steadyops.access.breakglass';
const drillTypes = 'dev.steadyops.restore.drill.verified,dev.steadyops.restore.drill.failed';

/** What the browser asks for to show the Now page, after index.html and its assets. */
const nowPageApi = [
  '/api/v1/whoami',
  '/api/v1/model',
  '/api/v1/changes?since=30m&limit=100',
  '/api/v1/changes?since=24h&type=dev.steadyops.deploy.finished&limit=1000',
  '/api/v1/saturation',
  `/api/v1/changes?since=7d&type=${accessTypes}&limit=200`,
  `/api/v1/changes?since=60d&type=${drillTypes}&limit=1000`,
  '/api/v1/changes?since=7d&type=dev.steadyops.alert.*&limit=1000',
  '/api/v1/slos',
];

/**
 * The dashboard's first page on the large ledger and an organisation of 1,000 services: index.html,
 * its assets, then the Now page's API calls in parallel, as the browser does; beside the same number
 * of requests to /healthz in the same pattern (the server's own floor), in the same run.
 */
export async function dashboardLoad(ctx: BenchContext): Promise<Figure[]> {
  const server = await dashboardServer(ctx);
  const { million, services, token, url } = server;
  try {
    const html = readFileSync(join(webRootDir, 'index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1] as string);
    const headers = { authorization: `Bearer ${token}` };
    const get = async (path: string, auth = true) => {
      const response = await fetch(`${url}${path}`, auth ? { headers } : {});
      await response.arrayBuffer();
      return response.status;
    };
    const loadNowPage = async () => {
      if ((await get('/', false)) !== 200) throw new Error('the dashboard is not served');
      await Promise.all(assets.map((asset) => get(asset, false)));
      const statuses = await Promise.all(nowPageApi.map((path) => get(path)));
      const failed = statuses.filter((status) => status >= 500 && status !== 502 && status !== 503);
      if (failed.length > 0) throw new Error(`the Now page's API failed: ${statuses.join(', ')}`);
    };
    const floor = async () => {
      await get('/healthz', false);
      await Promise.all(assets.map(() => get('/healthz', false)));
      await Promise.all(nowPageApi.map(() => get('/healthz', false)));
    };
    const loads = ctx.quick ? 20 : 60;
    progress(`dashboard load: ${loads} Now-page loads (${1 + assets.length + nowPageApi.length} requests each) on ${million.size} events and ${services} services`);
    for (let warm = 0; warm < 3; warm += 1) await loadNowPage();
    const { product, baseline } = await alternateLatencies(loads, loadNowPage, floor);
    const page = latencySummary(product);
    const server = latencySummary(baseline);
    const details = { events: million.size, services, requestsPerLoad: 1 + assets.length + nowPageApi.length, page, healthz: server };
    return [
      latencyFigure(`dashboard Now page load p50 (${million.size} events, ${services} services)`, page.p50, server.p50, 1_000, details),
      latencyFigure(`dashboard Now page load p99 (${million.size} events, ${services} services)`, page.p99, server.p99, 1_000, details),
    ];
  } finally {
    await server.close();
  }
}

export interface DashboardServer {
  readonly url: string;
  /** a viewer token */
  readonly token: string;
  readonly services: number;
  readonly million: MillionLedger;
  close(): Promise<void>;
}

/** `steadyops serve` with the built dashboard over the large ledger and an organisation of 1,000 services (200 quick). */
export async function dashboardServer(ctx: BenchContext): Promise<DashboardServer> {
  ensureWebBuild((line) => progress(line));
  const million = await ctx.million();
  const services = ctx.quick ? 200 : 1_000;
  const model = organisation(services);
  const tokens = createTokenService({ db: million.store.db, ledger: million.ledger, clock: systemClock });
  const { token } = await tokens.create({ name: `bench-dashboard-${Date.now()}`, role: 'viewer', createdBy: 'bench' });
  const app = await buildServer({
    ledger: million.ledger,
    tokens,
    model: { current: () => model },
    clock: systemClock,
    logger: false,
    ready: async () => undefined,
    version: 'bench',
    webRoot: webRootDir,
  });
  const url = await listen(app, { host: '127.0.0.1', port: 0 });
  return { url, token, services, million, close: () => app.close() };
}
