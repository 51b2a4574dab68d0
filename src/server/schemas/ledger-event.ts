import { z } from 'zod';

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

/** The stored envelope (`LedgerEvent`), for responses. */
export const ledgerEvent = z.object({
  seq: z.number().int(),
  specversion: z.literal('1.0'),
  id: z.string(),
  source: z.string(),
  type: z.string(),
  subject: z.string().optional(),
  time: z.string(),
  datacontenttype: z.string().optional(),
  dataschema: z.string().optional(),
  data: z.unknown().optional(),
  extensions: z.record(z.string(), attributeValue).optional(),
  actor: z.string(),
  environment: z.string().optional(),
  ingested_at: z.string(),
  leaf_hash: z.string(),
});

export const signedCheckpoint = z.object({
  origin: z.string(),
  size: z.number().int(),
  rootHash: z.string(),
  note: z.string(),
  createdAt: z.string(),
});

export const inclusionProof = z.object({
  seq: z.number().int(),
  leafIndex: z.number().int(),
  treeSize: z.number().int(),
  leafHash: z.string(),
  canonical: z.string().describe("base64 of the event's stored canonical bytes"),
  hashes: z.array(z.string()),
  checkpoint: z.string(),
});

export const consistencyProof = z.object({
  oldSize: z.number().int(),
  newSize: z.number().int(),
  hashes: z.array(z.string()),
  oldCheckpoint: z.string(),
  newCheckpoint: z.string(),
});
