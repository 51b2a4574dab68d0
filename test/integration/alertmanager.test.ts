import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../src/cli/runtime.ts';
import type { AppendOutcome, Ledger, LedgerEvent } from '../../src/ledger/types.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { auth } from '../../src/server/plugins/auth.ts';
import { jsonBody } from '../../src/server/plugins/json-body.ts';
import { problemDetails } from '../../src/server/plugins/problem-details.ts';
import { alertHookRoutes } from '../../src/server/routes/alert-hook-routes.ts';
import { alertmanagerAvailable, postAlerts, startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.ts';
import { waitUntil } from '../support/processes.ts';

const available = alertmanagerAvailable();

/** Records what every append answered, to see Alertmanager's re-sends acknowledged as duplicates. */
function recordingLedger(ledger: Ledger, outcomes: AppendOutcome[]): Ledger {
  return new Proxy(ledger, {
    get(target, property) {
      if (property === 'append') {
        return async (events: Parameters<Ledger['append']>[0]) => {
          const answered = await target.append(events);
          outcomes.push(...answered);
          return answered;
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe.skipIf(!available)('a real Alertmanager delivering to /hooks/alertmanager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-am-it-'));
  const outcomes: AppendOutcome[] = [];
  let runtime: Runtime;
  let app: FastifyInstance;
  let alertmanager: RunningAlertmanager;

  // Alertmanager writes times as Go does (trailing zeros of the fraction trimmed): .123 survives as given
  const goTime = (epochMs: number) => new Date(Math.floor(epochMs / 1000) * 1000 + 123).toISOString();
  const startsAt = goTime(Date.now() - 60_000);
  const alert = (service: string, instance: string, endsAt?: string) => ({
    labels: { alertname: 'HighErrorRate', service, severity: 'page', instance },
    annotations: { summary: `5xx above 2% on ${service}` },
    startsAt,
    ...(endsAt ? { endsAt } : {}),
    generatorURL: 'http://prometheus.test:9090/graph?g0.expr=rate%28http_errors%5B5m%5D%29',
  });
  const alertEvents = (type: string) => runtime.ledger.query({ types: [type] });
  const waitForEvents = (type: string, count: number) =>
    waitUntil(async () => (await alertEvents(type)).length >= count, 20_000, () => `waiting for ${count} ${type} events\n${alertmanager.output()}`);

  beforeAll(async () => {
    runtime = await openRuntime({ db: `sqlite:${join(dir, 'so.db')}`, cwd: dir, env: {}, clock: systemClock });
    const { token } = await runtime.tokens.create({ name: 'alertmanager', role: 'operator', createdBy: 'test' });
    app = Fastify();
    problemDetails(app, { bodyLimit: 1024 * 1024 });
    jsonBody(app, ['application/json']);
    auth(app, runtime.tokens);
    alertHookRoutes(app, { ledger: recordingLedger(runtime.ledger, outcomes), resolve: (hints) => hints.name, clock: systemClock });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    alertmanager = await startAlertmanager({ webhookUrl: `${address}/hooks/alertmanager`, token });
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await app?.close();
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores one firing event per alert of a group, and the repeat inside the next group notification only once', async () => {
    await postAlerts(alertmanager.url, [alert('checkout-api', 'pod-a')]);
    await waitForEvents('dev.steadyops.alert.firing', 1);
    // the group's next notification carries checkout-api again alongside payments-api
    await postAlerts(alertmanager.url, [alert('payments-api', 'pod-b')]);
    await waitForEvents('dev.steadyops.alert.firing', 2);

    const firing = await alertEvents('dev.steadyops.alert.firing');
    expect(firing.map((event) => event.subject).sort()).toEqual(['checkout-api', 'payments-api']);
    expect(outcomes.filter((outcome) => outcome.duplicate).map((outcome) => outcome.id)).toEqual([idOf(firing, 'checkout-api')]);
    const checkout = firing.find((event) => event.subject === 'checkout-api')!;
    expect(checkout).toMatchObject({
      source: `/alertmanager/${new URL(alertmanager.url).host}`,
      actor: 'system:alertmanager',
      time: startsAt,
      data: {
        alertname: 'HighErrorRate',
        severity: 'page',
        service: 'checkout-api',
        labels: { alertname: 'HighErrorRate', service: 'checkout-api', severity: 'page', instance: 'pod-a' },
        annotations: { summary: '5xx above 2% on checkout-api' },
        startsAt,
        generatorURL: 'http://prometheus.test:9090/graph?g0.expr=rate%28http_errors%5B5m%5D%29',
        receiver: 'steadyops',
      },
    });
    const data = checkout.data as { fingerprint: string; endsAt?: string };
    expect(data.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(data.endsAt).toBeUndefined();
    expect(checkout.id).toBe(`${data.fingerprint}:${startsAt}:firing`);
  });

  it('stores a resolved event per alert once both have ended', async () => {
    const endsAt = goTime(Date.now() - 2_000);
    await postAlerts(alertmanager.url, [alert('checkout-api', 'pod-a', endsAt), alert('payments-api', 'pod-b', endsAt)]);
    await waitForEvents('dev.steadyops.alert.resolved', 2);

    const resolved = await alertEvents('dev.steadyops.alert.resolved');
    expect(resolved.map((event) => event.subject).sort()).toEqual(['checkout-api', 'payments-api']);
    const firing = await alertEvents('dev.steadyops.alert.firing');
    for (const event of resolved) {
      const data = event.data as { fingerprint: string; startsAt: string; endsAt: string };
      expect(data).toMatchObject({ startsAt, endsAt });
      expect(event.time).toBe(endsAt);
      expect(event.id).toBe(`${data.fingerprint}:${startsAt}:resolved`);
      expect(firing.find((fired) => fired.subject === event.subject)!.data).toMatchObject({ fingerprint: data.fingerprint });
    }
    expect(firing).toHaveLength(2);
    expect(await runtime.ledger.size()).toBe(5); // token.created + 2 firing + 2 resolved
  });
});

function idOf(events: readonly LedgerEvent[], subject: string): string | undefined {
  return events.find((event) => event.subject === subject)?.id;
}
