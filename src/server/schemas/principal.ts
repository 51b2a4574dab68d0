import { z } from 'zod';
import { roles } from '../../access/types.ts';

export const role = z.enum(roles);

export const principal = z.object({
  tokenId: z.string(),
  name: z.string(),
  role,
  actor: z.string(),
});

/** A token's public record: never its secret or hash. */
export const tokenRecord = z.object({
  id: z.string(),
  name: z.string(),
  role,
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.string().optional(),
  revokedAt: z.string().optional(),
  lastUsedAt: z.string().optional(),
});
