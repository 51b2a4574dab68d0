import { useQuery } from '@tanstack/react-query';
import { ApiError, apiGet } from './api.ts';
import type { ChangesResponse, OwnershipModel } from './api-types.ts';

/** The resolved model, or null when the server runs without one (404 SO_E_MODEL_NOT_FOUND). */
export function useModel() {
  return useQuery({
    queryKey: ['model'],
    staleTime: 60_000,
    queryFn: async () => {
      try {
        return await apiGet<OwnershipModel>('/api/v1/model');
      } catch (error) {
        if (error instanceof ApiError && error.code === 'SO_E_MODEL_NOT_FOUND') return null;
        throw error;
      }
    },
  });
}

export function useChanges(path: string, options: { enabled?: boolean; refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ['changes', path],
    queryFn: () => apiGet<ChangesResponse>(path),
    enabled: options.enabled ?? true,
    ...(options.refetchInterval ? { refetchInterval: options.refetchInterval } : {}),
  });
}
