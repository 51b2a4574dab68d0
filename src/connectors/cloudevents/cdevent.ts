import { z } from 'zod';

/** The CDEvents (v0.3 / v0.4) types steadyops maps onto its own catalogue. */
export const mappedCdeventKinds = [
  'service.deployed',
  'service.upgraded',
  'service.rolledback',
  'incident.detected',
  'incident.resolved',
  'change.merged',
  'pipelinerun.started',
  'pipelinerun.finished',
] as const;

export type CdeventKind = (typeof mappedCdeventKinds)[number];

const cdeventType = /^dev\.cdevents\.([a-z]+\.[a-z]+)\.\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** `dev.cdevents.service.deployed.0.1.1` -> `service.deployed` when steadyops maps that kind. */
export function cdeventKindOf(type: string): CdeventKind | undefined {
  const kind = cdeventType.exec(type)?.[1];
  return (mappedCdeventKinds as readonly string[]).includes(kind ?? '') ? (kind as CdeventKind) : undefined;
}

const text = z.string().min(1);
/** A reference to another CDEvents subject: `{ id, source? }`. */
const reference = z.looseObject({ id: text, source: z.string().optional() });

const serviceContent = z.looseObject({ environment: reference, artifactId: text });
const incidentContent = z.looseObject({
  description: z.string().optional(),
  environment: reference,
  service: reference.optional(),
  artifactId: text.optional(),
});
const changeContent = z.looseObject({ repository: reference.optional() });
const pipelineRunContent = z.looseObject({
  pipelineName: z.string().optional(),
  url: z.string().optional(),
  outcome: z.string().optional(),
  errors: z.string().optional(),
});

export const cdeventContentSchemas = {
  'service.deployed': serviceContent,
  'service.upgraded': serviceContent,
  'service.rolledback': serviceContent,
  'incident.detected': incidentContent,
  'incident.resolved': incidentContent,
  'change.merged': changeContent,
  'pipelinerun.started': pipelineRunContent,
  'pipelinerun.finished': pipelineRunContent,
} as const satisfies Record<CdeventKind, z.ZodType>;

/**
 * The CDEvent carried as the CloudEvent's data (the CDEvents CloudEvents binding): `context` repeats
 * the CloudEvent's id, source, type and time; v0.3 names the spec version `version`, v0.4 `specversion`.
 */
export function cdeventSchema<Kind extends CdeventKind>(kind: Kind) {
  return z.looseObject({
    context: z
      .looseObject({
        version: z.string().optional(),
        specversion: z.string().optional(),
        id: z.string().optional(),
        source: z.string().optional(),
        type: z.string().optional(),
        timestamp: z.string().optional(),
      })
      .optional(),
    subject: z.looseObject({
      id: text,
      source: z.string().optional(),
      type: z.string().optional(),
      content: cdeventContentSchemas[kind],
    }),
    customData: z.unknown().optional(),
  });
}

export type Cdevent<Kind extends CdeventKind> = z.output<ReturnType<typeof cdeventSchema<Kind>>>;
