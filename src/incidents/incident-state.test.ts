import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSteadyopsError } from '../lib/errors.ts';
import { applyTransition, declareTransition, incidentState, incidentStates, type IncidentFact } from './incident-state.ts';
import type { IncidentCommand, IncidentState } from './incident-types.ts';

const t0 = Date.parse('2026-11-20T10:00:00Z');
const at = (minutes: number): Date => new Date(t0 + minutes * 60_000);

const declared = (): IncidentState =>
  declareTransition({ incidentId: 'INC-1', title: 'checkout failing', severity: 'sev2', services: ['checkout-api'], roles: { commander: 'ana' } }, at(0), 'cli:ana').state;

/** Runs commands in order, each a minute apart; returns the last state. */
function run(commands: readonly IncidentCommand[]): IncidentState {
  return commands.reduce((state, command, index) => applyTransition(state, command, at(index + 1), 'cli:ana').state, declared());
}

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    return isSteadyopsError(error) ? error.code : 'not coded';
  }
}

const ack: IncidentCommand = { kind: 'acknowledge', by: 'bo' };
const mitigate: IncidentCommand = { kind: 'mitigate', summary: 'rolled back' };
const resolve: IncidentCommand = { kind: 'resolve', summary: 'fixed' };
const update: IncidentCommand = { kind: 'update', message: 'looking', status: 'investigating' };
const postmortem: IncidentCommand = { kind: 'postmortem', url: 'https://wiki.example.com/pm/INC-1' };

describe('incident lifecycle', () => {
  it.each([
    ['acknowledge, update, mitigate, resolve', [ack, update, mitigate, resolve], 'resolved'],
    ['resolve straight away (a false alarm)', [resolve], 'resolved'],
    ['update before acknowledging', [update], 'investigating'],
    ['update after mitigation', [mitigate, { kind: 'update', message: 'watching', status: 'monitoring' }], 'monitoring'],
    ['acknowledge', [ack], 'acknowledged'],
    ['postmortem after resolution', [resolve, postmortem], 'resolved'],
  ] as const)('allows %s', (_name, commands, status) => {
    expect(run(commands).status).toBe(status);
  });

  it.each([
    ['resolving a resolved incident', [resolve], resolve, 'SO_E_INCIDENT_TRANSITION'],
    ['acknowledging twice', [ack], ack, 'SO_E_INCIDENT_TRANSITION'],
    ['acknowledging a mitigated incident', [mitigate], ack, 'SO_E_INCIDENT_TRANSITION'],
    ['mitigating after resolve', [resolve], mitigate, 'SO_E_INCIDENT_TRANSITION'],
    ['mitigating twice', [mitigate], mitigate, 'SO_E_INCIDENT_TRANSITION'],
    ['updating a resolved incident', [resolve], update, 'SO_E_INCIDENT_TRANSITION'],
    ['a postmortem before resolution', [ack], postmortem, 'SO_E_INCIDENT_TRANSITION'],
    ['an unknown severity', [], { kind: 'update', message: 'worse', severity: 'sev0' }, 'SO_E_INPUT_INVALID'],
  ] as const)('refuses %s with %s', (_name, before, command, code) => {
    const state = run(before);
    expect(codeOf(() => applyTransition(state, command, at(30), 'cli:ana'))).toBe(code);
  });

  it('names the incident and why in a refusal', () => {
    const state = run([resolve]);
    expect(() => applyTransition(state, resolve, at(5), 'cli:ana')).toThrow(`cannot resolve INC-1: it was already resolved at ${at(1).toISOString()}`);
  });

  it('refuses a command timed before the declaration', () => {
    expect(codeOf(() => applyTransition(declared(), resolve, at(-5), 'cli:ana'))).toBe('SO_E_INCIDENT_TRANSITION');
  });

  it('refuses a declaration with an unknown severity or no service, naming the field', () => {
    expect(() => declareTransition({ incidentId: 'INC-2', title: 'x', severity: 'critical', services: ['a'] }, at(0), 'cli:ana')).toThrow('severity: unknown severity "critical"; use one of sev1, sev2, sev3, sev4');
    expect(() => declareTransition({ incidentId: 'INC-2', title: 'x', severity: 'sev3', services: [] }, at(0), 'cli:ana')).toThrow('services: name at least one affected service');
  });

  it('records severity changes, roles and timestamps', () => {
    const state = run([ack, { kind: 'update', message: 'worse', severity: 'sev1', roles: { scribe: 'cy' } }, mitigate, resolve]);
    expect(state).toMatchObject({
      severity: 'sev1',
      roles: { commander: 'ana', scribe: 'cy' },
      declaredAt: at(0).toISOString(),
      acknowledgedAt: at(1).toISOString(),
      acknowledgedBy: 'bo',
      mitigatedAt: at(3).toISOString(),
      resolvedAt: at(4).toISOString(),
      eventCount: 5,
    });
    expect(state.severityHistory.map((change) => change.severity)).toEqual(['sev2', 'sev1']);
    expect(state.updates.map((entry) => entry.kind)).toEqual(['declared', 'acknowledged', 'updated', 'mitigated', 'resolved']);
  });

  it('folds stored events in time order into the same state the transitions produced', () => {
    let state = declared();
    const facts: IncidentFact[] = [{ type: 'dev.steadyops.incident.declared', time: at(0).toISOString(), actor: 'cli:ana', data: { incidentId: 'INC-1', title: 'checkout failing', severity: 'sev2', services: ['checkout-api'], commander: 'ana', roles: { commander: 'ana' } } }];
    [ack, update, mitigate, resolve].forEach((command, index) => {
      const transition = applyTransition(state, command, at(index + 1), 'cli:ana');
      state = transition.state;
      facts.push({ ...transition.event, time: at(index + 1).toISOString(), actor: 'cli:ana' });
    });
    expect(incidentState([...facts].reverse())).toEqual(state);
  });

  it('groups many incidents, newest declaration first, ignoring events without a declaration', () => {
    const declaration = (id: string, minute: number): IncidentFact => ({ type: 'dev.steadyops.incident.declared', time: at(minute).toISOString(), actor: 'x', data: { incidentId: id, title: id, severity: 'sev3', services: ['a'] } });
    const orphan: IncidentFact = { type: 'dev.steadyops.incident.resolved', time: at(9).toISOString(), actor: 'x', data: { incidentId: 'INC-9' } };
    expect(incidentStates([declaration('INC-1', 0), declaration('INC-2', 5), orphan]).map((state) => state.id)).toEqual(['INC-2', 'INC-1']);
  });
});

const commandArb: fc.Arbitrary<IncidentCommand> = fc.oneof(
  fc.constant(ack),
  fc.record({
    kind: fc.constant('update' as const),
    message: fc.constant('news'),
    status: fc.constantFrom('investigating' as const, 'identified' as const, 'monitoring' as const),
    severity: fc.constantFrom('sev1', 'sev2', 'sev3', 'sev4', 'sev9'),
  }),
  fc.constant(mitigate),
  fc.constant(resolve),
  fc.constant(postmortem),
);

describe('incident lifecycle properties', () => {
  it('never yields a resolvedAt before declaredAt, and a refused command leaves the state unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(commandArb, fc.integer({ min: -120, max: 600 })), { maxLength: 25 }), (steps) => {
        let state = declared();
        for (const [command, minute] of steps) {
          const before = structuredClone(state);
          try {
            state = applyTransition(state, command, at(minute), 'cli:ana').state;
          } catch (error) {
            expect(isSteadyopsError(error)).toBe(true);
            expect(state).toEqual(before);
          }
          if (state.resolvedAt) expect(Date.parse(state.resolvedAt)).toBeGreaterThanOrEqual(Date.parse(state.declaredAt));
          if (state.mitigatedAt) expect(Date.parse(state.mitigatedAt)).toBeGreaterThanOrEqual(Date.parse(state.declaredAt));
        }
      }),
    );
  });

  it('once resolved, an incident only takes postmortems', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 20 }), (commands) => {
        let state = applyTransition(declared(), resolve, at(1), 'cli:ana').state;
        for (const command of commands) {
          const accepted = codeOf(() => (state = applyTransition(state, command, at(2), 'cli:ana').state)) === undefined;
          expect(accepted).toBe(command.kind === 'postmortem');
          expect(state.status).toBe('resolved');
        }
      }),
    );
  });
});
