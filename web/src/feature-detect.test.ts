import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import { canWriteIncidents, isMissingRoute } from './feature-detect.ts';

describe('feature detection', () => {
  it('tells a missing route from a missing record', () => {
    expect(isMissingRoute(new ApiError(404, 'SO_E_NOT_FOUND', 'route GET /api/v1/incidents?limit=50 was not found'))).toBe(true);
    expect(isMissingRoute(new ApiError(404, 'SO_E_NOT_FOUND', 'incident INC-9 was not found'))).toBe(false);
    expect(isMissingRoute(new ApiError(404, 'SO_E_INCIDENT_NOT_FOUND', 'route-ish'))).toBe(false);
    expect(isMissingRoute(new Error('route x'))).toBe(false);
  });

  it('lets operators and above write incidents, never viewers', () => {
    expect(['viewer', 'operator', 'approver', 'admin', undefined].map(canWriteIncidents)).toEqual([false, true, true, true, false]);
  });
});
