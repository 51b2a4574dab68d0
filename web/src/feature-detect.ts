import { ApiError } from './api.ts';

/** The server has no such route (an older server, or a feature not built in): 404 on the route itself, not on a record. */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code === 'SO_E_NOT_FOUND' && error.message.startsWith('route ');
}

const writeRoles = ['operator', 'approver', 'admin'];

/** Operators and above may declare and update incidents; viewers see no write buttons (the server refuses them too). */
export function canWriteIncidents(role: string | undefined): boolean {
  return role !== undefined && writeRoles.includes(role);
}
