import { describe, expect, it } from 'vitest';
import { filterIncidents } from './filter-incidents.ts';
import { applyTransition, declareTransition } from './incident-state.ts';
import type { IncidentState } from './incident-types.ts';

const at = (day: number): Date => new Date(Date.UTC(2026, 10, day, 10));
function incident(n: number, severity: string, service: string, resolved: boolean): IncidentState {
  const state = declareTransition({ incidentId: `INC-${n}`, title: `t${n}`, severity, services: [service] }, at(n), 'x').state;
  return resolved ? applyTransition(state, { kind: 'resolve' }, at(n + 1), 'x').state : state;
}
// newest first, as the service hands them over
const incidents = [incident(4, 'sev1', 'api', false), incident(3, 'sev2', 'web', true), incident(2, 'sev1', 'web', false), incident(1, 'sev3', 'api', true)];
const ids = (page: { items: IncidentState[] }) => page.items.map((item) => item.id);

describe('filterIncidents', () => {
  it.each([
    [{ state: 'open' as const }, ['INC-4', 'INC-2']],
    [{ state: 'resolved' as const }, ['INC-3', 'INC-1']],
    [{ severity: 'sev1' as const }, ['INC-4', 'INC-2']],
    [{ service: 'web' }, ['INC-3', 'INC-2']],
    [{ since: at(3) }, ['INC-4', 'INC-3']],
    [{ state: 'open' as const, service: 'api' }, ['INC-4']],
  ])('selects %o', (filter, expected) => {
    expect(ids(filterIncidents(incidents, filter))).toEqual(expected);
  });

  it('pages with the id of the last item as cursor', () => {
    const first = filterIncidents(incidents, { limit: 3 });
    expect(ids(first)).toEqual(['INC-4', 'INC-3', 'INC-2']);
    expect(first.nextCursor).toBe('INC-2');
    const second = filterIncidents(incidents, { limit: 3, cursor: 'INC-2' });
    expect(ids(second)).toEqual(['INC-1']);
    expect(second.nextCursor).toBeUndefined();
    expect(() => filterIncidents(incidents, { state: 'open', cursor: 'INC-1' })).toThrow('cursor: INC-1 is not an incident this filter lists');
  });
});
