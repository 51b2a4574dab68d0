import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../src/cli/runtime.ts';
import { createIncidentService } from '../../src/incidents/incident-service.ts';
import { readIncidentTimeline } from '../../src/incidents/incident-timeline.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { storeTargets } from '../support/store-targets.ts';

const t0 = Date.parse('2026-11-26T10:00:00Z');
const iso = (minutes: number): string => new Date(t0 + minutes * 60_000).toISOString();
const ana = { actor: 'cli:ana', name: 'ana' };

for (const target of await storeTargets()) {
  describe.skipIf(!target.available)(`incidents on the real ledger (${target.name})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'steadyops-incidents-'));
    const { url, cleanup } = target.fresh();
    let runtime: Runtime;

    beforeAll(async () => {
      runtime = await openRuntime({ db: url, cwd: dir, env: { STEADYOPS_SIGNING_KEY_FILE: join(dir, 'key.json') }, clock: fixedClock(iso(0)) });
    });

    afterAll(async () => {
      await runtime.close();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('two writers declaring at once (two replicas) get distinct ids; a stale write is retried against the new state', async () => {
      const service = (minutes: number) => createIncidentService({ ledger: runtime.ledger, clock: fixedClock(iso(minutes)), model: () => undefined });
      const [a, b] = [service(0), service(0)];
      const declared = await Promise.all([1, 2, 3].flatMap(() => [a, b].map((writer) => writer.declare({ title: 'slow', severity: 'sev3', services: ['checkout-api'] }, ana))));
      expect(declared.map((record) => record.incident.id).sort()).toEqual(['INC-1', 'INC-2', 'INC-3', 'INC-4', 'INC-5', 'INC-6']);

      // either writer may win the race; exactly one does, and the other is refused against the state it re-read
      const outcomes = await Promise.allSettled([service(1).acknowledge('INC-1', ana), service(1).acknowledge('INC-1', { actor: 'cli:bo', name: 'bo' })]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toMatchObject([{ status: 'rejected', reason: { code: 'SO_E_INCIDENT_TRANSITION' } }]);
      expect((await service(2).show('INC-1')).eventCount).toBe(2);
    });

    it('assembles the timeline from the stored alert and changes', async () => {
      await runtime.ledger.append([
        { actor: 'ci', event: { specversion: '1.0', id: 'deploy-7', source: '/ci', type: 'dev.steadyops.deploy.finished', subject: 'search-api', time: iso(-20), data: { service: 'search-api', environment: 'production', version: 'v7' } } },
        {
          actor: 'system:alertmanager',
          event: { specversion: '1.0', id: 'fp-9:firing', source: '/alertmanager', type: 'dev.steadyops.alert.firing', subject: 'search-api', time: iso(-5), data: { alertname: 'SearchSlow', fingerprint: 'fp-9', severity: 'page', labels: {}, startsAt: iso(-5) } },
        },
      ]);
      const incidents = createIncidentService({ ledger: runtime.ledger, clock: fixedClock(iso(0)), model: () => undefined });
      const { incident } = await incidents.declare({ fromAlert: 'fp-9' }, ana);
      expect(incident).toMatchObject({ id: 'INC-7', title: 'SearchSlow on search-api', severity: 'sev2', services: ['search-api'] });
      const timeline = await readIncidentTimeline({ ledger: runtime.ledger, incidents, model: () => undefined }, incident.id, 3_600_000, new Date(iso(10)));
      expect(timeline.entries.map((entry) => entry.type)).toEqual(['dev.steadyops.deploy.finished', 'dev.steadyops.alert.firing', 'dev.steadyops.incident.declared']);
      expect(timeline.likelyTrigger).toMatchObject({ summary: 'deploy finished — v7', service: 'search-api' });
    });
  });
}
