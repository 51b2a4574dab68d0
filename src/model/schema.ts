import { z } from 'zod';
import { Cron } from 'croner';
import { isDuration } from '../lib/duration.ts';

export const apiVersion = 'steadyops.dev/v1';
export const modelKinds = ['Team', 'Service', 'Datastore', 'ReleasePolicy', 'AccessRole', 'Environment'] as const;
export type ModelKind = (typeof modelKinds)[number];

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A string schema whose extra rule explains itself with the offending value. */
function stringWhere(accepts: (value: string) => boolean, explain: (value: string) => string) {
  return z.string().check((ctx) => {
    if (!accepts(ctx.value)) ctx.issues.push({ code: 'custom', message: explain(ctx.value), input: ctx.value });
  });
}

export const nameSchema = stringWhere(
  (value) => value.length <= 63 && dnsLabel.test(value),
  (value) =>
    `"${value}" is not a valid name; use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. checkout-api)`,
).meta({ pattern: dnsLabel.source, maxLength: 63 });

export const durationSchema = stringWhere(
  isDuration,
  (value) => `"${value}" is not a duration; use a number and a unit (ms, s, m, h, d, w), e.g. 30m, 4h, 7d, 1w`,
).meta({ pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$', description: 'a duration such as 30m, 4h, 7d, 1w' });

export function isTimezone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timezoneSchema = stringWhere(
  (value) => value.length > 0 && isTimezone(value),
  (value) => `"${value}" is not an IANA time zone; use e.g. UTC, Europe/Berlin, America/New_York`,
);

export function isCron(value: string): boolean {
  try {
    new Cron(value, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

export const cronSchema = stringWhere(
  isCron,
  (value) => `"${value}" is not a cron expression; use five fields (minute hour day month weekday), e.g. "0 3 * * *"`,
);

const clockTime = /^([01]\d|2[0-3]):[0-5]\d$/;
export const clockTimeSchema = stringWhere(
  (value) => clockTime.test(value),
  (value) => `"${value}" is not a time of day; use 24-hour HH:MM, e.g. 09:00`,
).meta({ pattern: clockTime.source });

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

export const dateSchema = stringWhere(isCalendarDate, (value) => `"${value}" is not a date; use YYYY-MM-DD, e.g. 2026-01-05`);

const promqlSchema = z.string().min(1, 'a PromQL expression is required');
const tierSchema = z.literal([1, 2, 3]);
const emailSchema = z.email();

const metadataSchema = z.strictObject({
  name: nameSchema,
  title: z.string().optional(),
  description: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

function documentSchema<K extends ModelKind, S extends z.ZodType>(kind: K, spec: S) {
  return z.strictObject({
    apiVersion: z.literal(apiVersion),
    kind: z.literal(kind),
    metadata: metadataSchema,
    spec,
  });
}

// ---------------------------------------------------------------- Team

const teamMemberSchema = z.strictObject({
  name: z.string().min(1),
  email: emailSchema,
  github: z.string().optional(),
  role: z.enum(['lead', 'member']).optional(),
});

const rotationSchema = z.strictObject({
  members: z.array(emailSchema).min(1),
  period: durationSchema,
  handoff: clockTimeSchema,
  start: dateSchema,
});

const scheduleSchema = z.strictObject({
  provider: z.enum(['pagerduty', 'opsgenie', 'grafana-oncall', 'other']),
  id: z.string().min(1),
  url: z.url().optional(),
});

const oncallSchema = z
  .strictObject({ rotation: rotationSchema.optional(), schedule: scheduleSchema.optional() })
  .check((ctx) => {
    const given = [ctx.value.rotation, ctx.value.schedule].filter((part) => part !== undefined).length;
    if (given !== 1) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: 'oncall needs exactly one of "rotation" (members, period, handoff, start) or "schedule" (provider, id)',
      });
    }
  });

export const teamSpecSchema = z.strictObject({
  members: z.array(teamMemberSchema).min(1, 'a team needs at least one member'),
  timezone: timezoneSchema,
  oncall: oncallSchema.optional(),
  chat: z.strictObject({ channel: z.string().min(1), url: z.url().optional() }).optional(),
});

// ---------------------------------------------------------------- Service

const saturationSchema = z.strictObject({
  query: promqlSchema,
  threshold: z.number().nonnegative(),
  description: z.string().optional(),
});

const dependencySchema = z
  .strictObject({
    service: nameSchema.optional(),
    datastore: nameSchema.optional(),
    external: z.string().min(1).optional(),
    saturation: saturationSchema.optional(),
    critical: z.boolean().optional(),
  })
  .check((ctx) => {
    const targets = [ctx.value.service, ctx.value.datastore, ctx.value.external].filter((part) => part !== undefined);
    if (targets.length !== 1) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: 'a dependency names exactly one of "service", "datastore" or "external"',
      });
    }
  });

const sliSchema = z.strictObject({
  ratio: z
    .strictObject({ errors: promqlSchema.optional(), good: promqlSchema.optional(), total: promqlSchema })
    .check((ctx) => {
      if ((ctx.value.errors === undefined) === (ctx.value.good === undefined)) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: 'a ratio SLI has "total" and exactly one of "errors" or "good"',
        });
      }
    }),
});

const sloSchema = z.strictObject({
  name: nameSchema,
  objective: z
    .number()
    .gt(0, 'objective is a percentage between 0 and 100 (exclusive), e.g. 99.9')
    .lt(100, 'objective is a percentage between 0 and 100 (exclusive), e.g. 99.9'),
  period: durationSchema.default('30d'),
  description: z.string().optional(),
  sli: sliSchema,
});

const alertRouteSchema = z.strictObject({
  alertname: z.string().min(1),
  severity: z.enum(['page', 'ticket', 'info']).optional(),
  runbook: z.string().min(1).optional(),
  firstAction: z.string().optional(),
});

const runbookSchema = z
  .strictObject({ name: z.string().min(1), url: z.url().optional(), path: z.string().min(1).optional() })
  .check((ctx) => {
    if ((ctx.value.url === undefined) === (ctx.value.path === undefined)) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: 'a runbook has exactly one of "url" or "path"' });
    }
  });

const runtimeSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('kubernetes'),
    namespace: z.string().min(1),
    deployment: z.string().min(1),
    context: z.string().optional(),
  }),
  z.strictObject({ kind: z.literal('other'), description: z.string().min(1) }),
]);

/** One analysis measurement, like an Argo Rollouts metric: the query's value breaches the threshold or not. */
const rollbackCriterionSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  query: promqlSchema,
  threshold: z.number(),
  /** a measurement fails when the value is above (default) or below the threshold */
  failWhen: z.enum(['above', 'below']).default('above'),
  /** consecutive failed measurements before the rollout is rolled back */
  consecutiveFailures: z.int().min(1).default(3),
});

const rollbackSchema = z
  .strictObject({
    criteria: z.array(rollbackCriterionSchema).min(1, 'rollback needs at least one criterion'),
    strategy: z.enum(['kubernetes-undo', 'redeploy-previous', 'feature-flag', 'manual']).optional(),
    automatic: z.boolean().optional(),
    /** how long the guard keeps watching after the rollout completes */
    bake: durationSchema.default('10m'),
    /** time between measurements */
    interval: durationSchema.default('30s'),
  })
  .check((ctx) => {
    const seen = new Set<string>();
    ctx.value.criteria.forEach((criterion, index) => {
      if (seen.has(criterion.name)) {
        ctx.issues.push({
          code: 'custom',
          input: criterion.name,
          path: ['criteria', index, 'name'],
          message: `rollback criterion "${criterion.name}" is defined twice; criterion names are unique within a service`,
        });
      }
      seen.add(criterion.name);
    });
  });

export const migrationLayouts = ['flyway', 'prisma', 'rails', 'alembic', 'golang-migrate', 'sql'] as const;

/** Where the service's database migrations live in its repository, for rollback safety and restore checks. */
const migrationsSchema = z.strictObject({
  paths: z.array(z.string().min(1)).min(1, 'migrations needs at least one path'),
  layout: z.enum(migrationLayouts).default('sql'),
  datastore: nameSchema.optional(),
});

export const serviceSpecSchema = z
  .strictObject({
    owner: nameSchema,
    tier: tierSchema,
    lifecycle: z.enum(['production', 'experimental', 'deprecated']).default('production'),
    description: z.string().optional(),
    repo: z.strictObject({ url: z.string().min(1), path: z.string().optional(), branch: z.string().optional() }).optional(),
    runtime: runtimeSchema.optional(),
    dependsOn: z.array(dependencySchema).optional(),
    slos: z.array(sloSchema).optional(),
    alerts: z.array(alertRouteSchema).optional(),
    runbooks: z.array(runbookSchema).optional(),
    releasePolicy: nameSchema.optional(),
    rollback: rollbackSchema.optional(),
    migrations: migrationsSchema.optional(),
    environments: z.array(nameSchema).optional(),
  })
  .check((ctx) => {
    const seen = new Map<string, number>();
    ctx.value.slos?.forEach((slo, index) => {
      const first = seen.get(slo.name);
      if (first !== undefined) {
        ctx.issues.push({
          code: 'custom',
          input: slo.name,
          path: ['slos', index, 'name'],
          message: `SLO name "${slo.name}" is already used by slos[${first}]; SLO names are unique within a service`,
        });
      } else {
        seen.set(slo.name, index);
      }
    });
  });

// ---------------------------------------------------------------- Datastore

export const datastoreEngines = [
  'postgresql',
  'mysql',
  'mariadb',
  'redis',
  'mongodb',
  'elasticsearch',
  'kafka',
  's3',
  'other',
] as const;

export const datastoreSpecSchema = z.strictObject({
  engine: z.enum(datastoreEngines),
  owner: nameSchema,
  tier: tierSchema.optional(),
  environment: nameSchema.optional(),
  backup: z
    .strictObject({ schedule: cronSchema, rpo: durationSchema, retention: durationSchema, method: z.string().optional() })
    .optional(),
  restoreDrill: z
    .strictObject({
      every: durationSchema,
      rto: durationSchema,
      verification: z
        .array(z.strictObject({ name: z.string().min(1), query: z.string().min(1), expect: z.string().optional() }))
        .optional(),
    })
    .optional(),
});

// ---------------------------------------------------------------- ReleasePolicy

const checkMode = z.enum(['enforce', 'shadow']).optional();
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const freezeWindowSchema = z
  .strictObject({
    name: z.string().optional(),
    cron: cronSchema.optional(),
    duration: durationSchema.optional(),
    days: z.array(z.enum(weekdays)).min(1).optional(),
    start: clockTimeSchema.optional(),
    end: clockTimeSchema.optional(),
    timezone: timezoneSchema,
  })
  .check((ctx) => {
    const { cron, duration, days, start, end } = ctx.value;
    const byCron = cron !== undefined && duration !== undefined;
    const byDays = days !== undefined && start !== undefined && end !== undefined;
    const cronParts = cron !== undefined || duration !== undefined;
    const dayParts = days !== undefined || start !== undefined || end !== undefined;
    if (!((byCron && !dayParts) || (byDays && !cronParts))) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: 'a freeze window is either "cron" + "duration" or "days" + "start" + "end" (not both, not partly)',
      });
    }
  });

export const releaseCheckSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('errorBudget'), mode: checkMode, minRemaining: z.number().min(0).max(1) }),
  z.strictObject({
    type: z.literal('firingAlerts'),
    mode: checkMode,
    severities: z.array(z.enum(['page', 'ticket', 'info'])).min(1).default(['page']),
    includeDependencies: z.boolean().default(true),
  }),
  z.strictObject({
    type: z.literal('openIncidents'),
    mode: checkMode,
    severities: z.array(z.enum(['sev1', 'sev2', 'sev3', 'sev4'])).min(1),
  }),
  z.strictObject({ type: z.literal('freezeWindow'), mode: checkMode, windows: z.array(freezeWindowSchema).min(1) }),
  z.strictObject({
    type: z.literal('approvals'),
    mode: checkMode,
    minApprovals: z.int().min(1),
    fromTeams: z.array(nameSchema).optional(),
    allowAuthor: z.boolean().default(false),
  }),
  z.strictObject({ type: z.literal('restoreFreshness'), mode: checkMode, maxAge: durationSchema }),
  z.strictObject({ type: z.literal('rollbackPlan'), mode: checkMode }),
  z.strictObject({ type: z.literal('changeFrequency'), mode: checkMode, max: z.int().min(1), window: durationSchema }),
]);

export const releasePolicySpecSchema = z.strictObject({
  mode: z.enum(['enforce', 'shadow']).default('enforce'),
  onError: z.enum(['deny', 'allow']).default('deny'),
  checks: z.array(releaseCheckSchema).min(1, 'a release policy needs at least one check'),
});

// ---------------------------------------------------------------- AccessRole

export const accessRoleSpecSchema = z.strictObject({
  description: z.string().optional(),
  grants: z
    .array(
      z.strictObject({
        system: z.enum(['kubernetes', 'database', 'cloud', 'ssh', 'other']),
        resource: z.string().min(1),
        permissions: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1, 'an access role needs at least one grant'),
  approvers: z
    .strictObject({ teams: z.array(nameSchema).optional(), users: z.array(emailSchema).optional() })
    .check((ctx) => {
      if ((ctx.value.teams?.length ?? 0) + (ctx.value.users?.length ?? 0) === 0) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: 'approvers needs at least one team (teams: [name]) or user (users: [email])',
        });
      }
    }),
  minApprovals: z.int().min(1).default(1),
  maxDuration: durationSchema,
  breakGlass: z
    .strictObject({
      allowed: z.boolean(),
      requireReason: z.boolean().optional(),
      notify: z.array(z.string().min(1)).optional(),
    })
    .optional(),
});

// ---------------------------------------------------------------- Environment

export const environmentSpecSchema = z.strictObject({
  protection: z.enum(['none', 'standard', 'strict']),
  prometheus: z.strictObject({ url: z.url() }).optional(),
  alertmanager: z.strictObject({ url: z.url() }).optional(),
  kubernetes: z.strictObject({ context: z.string().min(1), namespace: z.string().optional() }).optional(),
  order: z.int().optional(),
});

// ---------------------------------------------------------------- documents

export const teamDocSchema = documentSchema('Team', teamSpecSchema);
export const serviceDocSchema = documentSchema('Service', serviceSpecSchema);
export const datastoreDocSchema = documentSchema('Datastore', datastoreSpecSchema);
export const releasePolicyDocSchema = documentSchema('ReleasePolicy', releasePolicySpecSchema);
export const accessRoleDocSchema = documentSchema('AccessRole', accessRoleSpecSchema);
export const environmentDocSchema = documentSchema('Environment', environmentSpecSchema);

export const documentSchemas = {
  Team: teamDocSchema,
  Service: serviceDocSchema,
  Datastore: datastoreDocSchema,
  ReleasePolicy: releasePolicyDocSchema,
  AccessRole: accessRoleDocSchema,
  Environment: environmentDocSchema,
} as const;

export const modelDocumentSchema = z.discriminatedUnion('kind', [
  teamDocSchema,
  serviceDocSchema,
  datastoreDocSchema,
  releasePolicyDocSchema,
  accessRoleDocSchema,
  environmentDocSchema,
]);

export type Metadata = z.output<typeof metadataSchema>;
export type TeamSpec = z.output<typeof teamSpecSchema>;
export type ServiceSpec = z.output<typeof serviceSpecSchema>;
export type DatastoreSpec = z.output<typeof datastoreSpecSchema>;
export type ReleasePolicySpec = z.output<typeof releasePolicySpecSchema>;
export type ReleaseCheck = z.output<typeof releaseCheckSchema>;
export type AccessRoleSpec = z.output<typeof accessRoleSpecSchema>;
export type EnvironmentSpec = z.output<typeof environmentSpecSchema>;
export type RollbackSpec = NonNullable<ServiceSpec['rollback']>;
export type RollbackCriterion = RollbackSpec['criteria'][number];
export type MigrationsSpec = NonNullable<ServiceSpec['migrations']>;
export type ServiceDependency = NonNullable<ServiceSpec['dependsOn']>[number];

export type TeamDoc = z.output<typeof teamDocSchema>;
export type ServiceDoc = z.output<typeof serviceDocSchema>;
export type DatastoreDoc = z.output<typeof datastoreDocSchema>;
export type ReleasePolicyDoc = z.output<typeof releasePolicyDocSchema>;
export type AccessRoleDoc = z.output<typeof accessRoleDocSchema>;
export type EnvironmentDoc = z.output<typeof environmentDocSchema>;
export type ModelDocument = z.output<typeof modelDocumentSchema>;
/** What a document looks like as written (defaults not yet applied); importers and `init` produce these. */
export type ModelDocumentInput = z.input<typeof modelDocumentSchema>;

/** One JSON Schema (draft 2020-12) accepting any kind, for editors via yaml-language-server. */
export function modelJsonSchema(kind?: ModelKind): Record<string, unknown> {
  const schema = kind ? documentSchemas[kind] : modelDocumentSchema;
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return {
    ...json,
    $id: `https://steadyops.dev/schema/v1/${kind ?? 'model'}.json`,
    title: kind ? `steadyops ${kind}` : 'steadyops ownership model document',
  };
}
