import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * Converts a zod schema into the draft-07 JSON Schema Fastify validates with (Ajv) and
 * @fastify/swagger documents. Request schemas use the input side (defaults optional, extra fields
 * tolerated); response schemas use the output side.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' });
  return rest;
}
