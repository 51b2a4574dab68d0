import { describe, expect, it } from 'vitest';
import type { IncidentTimeline, TimelineEntry } from './build-timeline.ts';
import { applyTransition, declareTransition } from './incident-state.ts';
import { humanDuration, renderPostmortem } from './render-postmortem.ts';
import { sloBudgetBurns } from './slo-impact.ts';
import type { SloStatus } from '../slo/slo-status.ts';

const t0 = Date.parse('2026-11-20T10:00:00Z');
const at = (minutes: number): Date => new Date(t0 + minutes * 60_000);

function resolvedIncident() {
  let state = declareTransition({ incidentId: 'INC-7', title: 'checkout failing', severity: 'sev2', services: ['checkout-api'], roles: { commander: 'ana' } }, at(0), 'cli:ana').state;
  state = applyTransition(state, { kind: 'acknowledge', by: 'bo' }, at(3), 'cli:bo').state;
  state = applyTransition(state, { kind: 'mitigate', summary: 'rolled back to v1' }, at(25), 'cli:ana').state;
  return applyTransition(state, { kind: 'resolve', summary: 'migration fixed' }, at(70), 'cli:ana').state;
}

const trigger: TimelineEntry = {
  time: at(-8).toISOString(),
  kind: 'deploy',
  type: 'dev.steadyops.deploy.finished',
  summary: 'deploy finished — v1 -> v2',
  service: 'checkout-api',
  actor: 'github:dev',
  seq: 11,
  eventId: 'deploy-9',
  source: '/github/northwind',
  likelyTrigger: true,
  triggerReason: 'the last deploy change on checkout-api before the first alert (HighErrorRate on checkout-api), 3 min earlier',
};

const timeline: IncidentTimeline = {
  incidentId: 'INC-7',
  window: { since: at(-125).toISOString(), until: at(70).toISOString() },
  subjects: { services: ['checkout-api'], dependencies: ['orders-db'] },
  firstAlert: { time: at(-5).toISOString(), seq: 12, alertname: 'HighErrorRate', service: 'checkout-api' },
  likelyTrigger: trigger,
  entries: [
    { ...trigger, ingestionDelayMs: 120_000 },
    { time: at(-5).toISOString(), kind: 'alert', type: 'dev.steadyops.alert.firing', summary: 'alert firing — HighErrorRate (page)', service: 'checkout-api', actor: 'system:alertmanager', seq: 12, eventId: 'a|b', source: '/alertmanager' },
  ],
};

describe('renderPostmortem', () => {
  it('writes a blameless draft with impact figures, the timeline table with ledger references, the trigger and placeholders', () => {
    const markdown = renderPostmortem(resolvedIncident(), timeline, undefined, { now: at(2_000) });
    expect(markdown).toContain('# Postmortem: INC-7 — checkout failing');
    expect(markdown).toContain('- **Duration (declared to resolved):** 1h 10m');
    expect(markdown).toContain('- **Time to acknowledge:** 3m');
    expect(markdown).toContain('- **Time to mitigate:** 25m');
    expect(markdown).toContain('- **SLO budget burned:** no SLO data');
    expect(markdown).toContain('| 2026-11-20 09:52Z | deploy | checkout-api | **likely trigger:** deploy finished — v1 -> v2 (recorded 2m late) | github:dev | seq:11 |');
    expect(markdown).toContain('| 2026-11-20 09:55Z | alert | checkout-api | alert firing — HighErrorRate (page) | system:alertmanager | seq:12 |');
    expect(markdown).toContain('## Likely trigger\n\ndeploy finished — v1 -> v2 on checkout-api at 2026-11-20 09:52Z by github:dev (seq:11)');
    for (const heading of ['## What went well', '## What went badly', '## Where we got lucky', '## Follow-ups']) expect(markdown).toContain(heading);
    expect(markdown).toContain('| _What would stop this from happening again?_ | _owner_ | _YYYY-MM-DD_ | _issue_ |');
  });

  it('links ledger references to a server and lists measured SLO burn and recorded follow-ups', () => {
    const withFollowUps = applyTransition(resolvedIncident(), { kind: 'postmortem', url: 'https://wiki.example.com/pm', followUps: [{ title: 'Lint migrations', owner: 'ana', due: '2026-12-01' }] }, at(100), 'cli:ana').state;
    const markdown = renderPostmortem(withFollowUps, timeline, { measured: true, slos: [{ service: 'checkout-api', slo: 'availability', environment: 'production', budgetBurnedPercent: 12.345 }] }, { now: at(2_000), serverUrl: 'https://so.example/' });
    expect(markdown).toContain('[seq:12](https://so.example/api/v1/events/a%7Cb?source=%2Falertmanager)');
    expect(markdown).toContain('  - checkout-api / availability (production): 12.3% of the period\'s budget');
    expect(markdown).toContain('| Lint migrations | ana | 2026-12-01 |  |');
    expect(markdown).toContain('Published at https://wiki.example.com/pm.');
  });

  it('says why there is no SLO data', () => {
    const markdown = renderPostmortem(resolvedIncident(), timeline, { measured: false, reason: 'no SLO data (could not reach http://prom:9090)' }, { now: at(2_000) });
    expect(markdown).toContain('- **SLO budget burned:** no SLO data (could not reach http://prom:9090)');
  });
});

describe('durations and budget burn', () => {
  it.each([
    [45_000, '45s'],
    [12 * 60_000, '12m'],
    [65 * 60_000, '1h 05m'],
    [(26 * 60 + 3) * 60_000, '1d 2h 03m'],
  ])('%i ms reads %s', (ms, text) => expect(humanDuration(ms)).toBe(text));

  it('is the budget left at the declaration minus the budget left at the end, never negative', () => {
    const status = (slo: string, budgetRemaining: number | undefined) => ({ service: 's', slo, environment: 'production', budgetRemaining }) as SloStatus;
    expect(sloBudgetBurns([status('a', 0.8), status('b', 0.5), status('c', undefined)], [status('a', 0.65), status('b', 0.6), status('c', 0.1)])).toEqual([
      { service: 's', slo: 'a', environment: 'production', budgetBurnedPercent: expect.closeTo(15, 6) },
      { service: 's', slo: 'b', environment: 'production', budgetBurnedPercent: 0 },
      { service: 's', slo: 'c', environment: 'production', budgetBurnedPercent: undefined },
    ]);
  });
});
