import type { Ledger, LedgerEvent } from '../ledger/types.ts';
import type { Clock } from '../lib/clock.ts';
import { SteadyopsError } from '../lib/errors.ts';
import { findService, type ResolvedModel } from '../model/resolve.ts';
import { filterIncidents, type IncidentFilter, type IncidentPage } from './filter-incidents.ts';
import { findFiringAlert, fromAlertLookbackMs, incidentSource, nextIncidentId, readAllIncidentEvents, readIncidentEvents } from './incident-ledger.ts';
import type { IncidentNotifier } from './incident-notifier.ts';
import { applyTransition, declareTransition, incidentState, incidentStates, type Transition } from './incident-state.ts';
import { deployIdOf } from '../release/deploy-id.ts';
import type { SloImpact } from './slo-impact.ts';
import type { BudgetBurned, CausedBy, DeclareInput, FollowUpDraft, IncidentCommand, IncidentRoles, IncidentSeverity, IncidentState, TriggerReference, UpdateStatus } from './incident-types.ts';

/** Who asks: `actor` is recorded on the event (token:NAME, cli:USER), `name` is the person. */
export interface Caller {
  readonly actor: string;
  readonly name: string;
}

export interface DeclareRequest {
  readonly title?: string;
  readonly severity?: string;
  readonly services?: readonly string[];
  readonly environment?: string;
  readonly roles?: IncidentRoles;
  readonly summary?: string;
  /** the fingerprint of a firing alert: title, services, environment and severity default from it */
  readonly fromAlert?: string;
}

export interface UpdateRequest {
  readonly message: string;
  readonly status?: UpdateStatus;
  readonly severity?: string;
  readonly roles?: IncidentRoles;
  /** the deploy that caused it: its deploy id, or `seq:N` for its deploy event in the ledger */
  readonly causedBy?: string;
}

/** An incident as a write left it, with the sequence number of the event written. */
export interface IncidentRecord {
  readonly incident: IncidentState;
  readonly seq: number;
}

export interface IncidentService {
  declare(request: DeclareRequest, caller: Caller): Promise<IncidentRecord>;
  acknowledge(id: string, caller: Caller): Promise<IncidentRecord>;
  update(id: string, request: UpdateRequest, caller: Caller): Promise<IncidentRecord>;
  mitigate(id: string, summary: string, caller: Caller): Promise<IncidentRecord>;
  resolve(id: string, summary: string | undefined, caller: Caller): Promise<IncidentRecord>;
  postmortem(id: string, published: { url: string; followUps?: readonly FollowUpDraft[]; trigger?: TriggerReference }, caller: Caller): Promise<IncidentRecord>;
  list(filter: IncidentFilter): Promise<IncidentPage>;
  /** the incident's state; SO_E_NOT_FOUND for an unknown id */
  show(id: string): Promise<IncidentState>;
  /** the incident's own ledger events, in ledger order */
  events(id: string): Promise<LedgerEvent[]>;
}

export interface IncidentServiceDeps {
  readonly ledger: Ledger;
  readonly clock: Clock;
  readonly model: () => ResolvedModel | undefined;
  readonly notify?: IncidentNotifier;
  /**
   * The SLO budget an incident burned from its declaration until `end` (Prometheus, optional): measured when it is
   * resolved and recorded on the resolution, so the metrics count what Prometheus said then.
   */
  readonly sloImpact?: (incident: IncidentState, end: Date) => Promise<SloImpact>;
}

/** Alert severities as receivers write them, to the incident severity a declaration from them starts at. */
const severityOfAlert: Readonly<Record<string, IncidentSeverity>> = {
  critical: 'sev1',
  page: 'sev2',
  error: 'sev2',
  high: 'sev2',
  warning: 'sev3',
  ticket: 'sev3',
  medium: 'sev3',
  info: 'sev4',
  low: 'sev4',
};

/** Concurrent writers (other replicas) take the same idempotent id: re-read and try again this often. */
const maxAttempts = 5;

const deployEventTypes = new Set(['dev.steadyops.deploy.started', 'dev.steadyops.deploy.finished', 'dev.steadyops.deploy.failed']);

/** `seq:N` names a deploy event in the ledger, read for its deploy id; anything else is a deploy id as given. */
async function causeOf(ledger: Ledger, causedBy: string): Promise<CausedBy> {
  const bySeq = /^seq:(\d+)$/.exec(causedBy.trim());
  if (!bySeq) {
    if (causedBy.trim() === '') throw causeInvalid('name a deploy id or seq:N of a deploy event');
    return { deployId: causedBy.trim() };
  }
  const event = await ledger.getBySeq(Number(bySeq[1]));
  if (!event) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'ledger event', id: causedBy });
  const data = (event.data ?? {}) as Record<string, unknown>;
  const environment = event.environment ?? (typeof data.environment === 'string' ? data.environment : '');
  const deployId = deployEventTypes.has(event.type) ? deployIdOf(data, environment) : undefined;
  if (!deployId) throw causeInvalid(`${causedBy} is a ${event.type} event, not a deploy (dev.steadyops.deploy.*) with a deployId or a service and version`);
  return { deployId, seq: event.seq };
}

function causeInvalid(message: string): SteadyopsError {
  return new SteadyopsError('SO_E_INPUT_INVALID', { detail: `causedBy: ${message}` }, [{ path: 'causedBy', message }]);
}

export function notFound(id: string): SteadyopsError {
  return new SteadyopsError('SO_E_NOT_FOUND', { what: 'incident', id });
}

/** The incident lifecycle over the ledger: every command is one append whose actor is the caller. */
export function createIncidentService(deps: IncidentServiceDeps): IncidentService {
  let queue: Promise<unknown> = Promise.resolve();
  // one write at a time in this process; ids taken by other processes show up as duplicates and are retried
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const load = async (id: string): Promise<{ state: IncidentState; events: LedgerEvent[] }> => {
    const events = await readIncidentEvents(deps.ledger, id);
    const state = incidentState(events);
    if (!state) throw notFound(id);
    return { state, events };
  };

  /** Appends the transition; undefined when another writer took its id first. */
  const write = async (transition: Transition, eventId: string, subject: string, caller: Caller, at: Date): Promise<IncidentRecord | undefined> => {
    const [outcome] = await deps.ledger.append([
      {
        actor: caller.actor,
        event: {
          specversion: '1.0',
          id: eventId,
          source: incidentSource,
          type: transition.event.type,
          subject,
          time: at.toISOString(),
          datacontenttype: 'application/json',
          data: transition.event.data,
          ...(transition.state.environment ? { extensions: { environment: transition.state.environment } } : {}),
        },
      },
    ]);
    if (!outcome || outcome.duplicate) return undefined;
    if (deps.notify) {
      const stored = await deps.ledger.getBySeq(outcome.seq);
      if (stored) notifySafely(deps.notify, stored);
    }
    return { incident: { ...transition.state, updates: transition.state.updates.map((entry, index, all) => (index === all.length - 1 ? { ...entry, seq: outcome.seq } : entry)) }, seq: outcome.seq };
  };

  const command = (id: string, caller: Caller, make: () => IncidentCommand): Promise<IncidentRecord> =>
    serialised(async () => {
      for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
        const { state } = await load(id);
        const at = deps.clock.now();
        const transition = applyTransition(state, make(), at, caller.actor);
        const recorded = await write(transition, `${id}.${state.eventCount + 1}`, state.services[0] ?? id, caller, at);
        if (recorded) return recorded;
      }
      throw new SteadyopsError('SO_E_INTERNAL', { detail: `${id} kept changing under this write; try again` });
    });

  const declareInput = async (request: DeclareRequest): Promise<Omit<DeclareInput, 'incidentId'>> => {
    const alert = request.fromAlert ? await alertDefaults(request.fromAlert) : {};
    const merged = { ...alert, ...definedOnly(request) };
    checkServices(deps.model(), merged.services ?? []);
    return {
      title: merged.title ?? '',
      severity: merged.severity ?? 'sev3',
      services: merged.services ?? [],
      ...(merged.environment ? { environment: merged.environment } : {}),
      ...(merged.roles ? { roles: merged.roles } : {}),
      ...(merged.summary ? { summary: merged.summary } : {}),
      ...(request.fromAlert ? { fromAlert: request.fromAlert } : {}),
    };
  };

  const alertDefaults = async (fingerprint: string): Promise<DeclareRequest> => {
    const alert = await findFiringAlert(deps.ledger, fingerprint, deps.clock.now(), fromAlertLookbackMs);
    if (!alert) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'firing alert with fingerprint', id: fingerprint });
    const data = (alert.data ?? {}) as Record<string, unknown>;
    const annotations = (data.annotations ?? {}) as Record<string, unknown>;
    const service = typeof data.service === 'string' ? data.service : alert.subject;
    const alertname = typeof data.alertname === 'string' ? data.alertname : 'alert';
    const summary = typeof annotations.summary === 'string' ? annotations.summary : undefined;
    const environment = typeof data.environment === 'string' ? data.environment : alert.environment;
    return {
      title: summary ?? `${alertname}${service ? ` on ${service}` : ''}`,
      severity: severityOfAlert[String(data.severity).toLowerCase()] ?? 'sev3',
      ...(service ? { services: [service] } : {}),
      ...(environment ? { environment } : {}),
      summary: `Declared from alert ${alertname} (fingerprint ${fingerprint}), firing since ${typeof data.startsAt === 'string' ? data.startsAt : alert.time}.`,
    };
  };

  /** Measured before the resolution is written (Prometheus can be slow: never inside the serialised write). */
  const budgetBurnedUntilNow = async (id: string): Promise<BudgetBurned[]> => {
    if (!deps.sloImpact) return [];
    const state = (await load(id)).state;
    if (state.status === 'resolved') return [];
    const impact = await deps.sloImpact(state, deps.clock.now());
    if (!impact.measured) return [];
    return impact.slos.flatMap((burn) =>
      burn.budgetBurnedPercent === undefined
        ? []
        : [{ slo: `${burn.service}/${burn.slo}`, service: burn.service, environment: burn.environment, percent: Math.round(burn.budgetBurnedPercent * 1000) / 1000 }],
    );
  };

  return {
    declare: (request, caller) =>
      serialised(async () => {
        const input = await declareInput(request);
        for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
          const incidentId = await nextIncidentId(deps.ledger);
          const at = deps.clock.now();
          const transition = declareTransition({ ...input, incidentId }, at, caller.actor);
          const recorded = await write(transition, `${incidentId}.1`, transition.state.services[0]!, caller, at);
          if (recorded) return recorded;
        }
        throw new SteadyopsError('SO_E_INTERNAL', { detail: 'could not take a free incident id; try again' });
      }),
    acknowledge: (id, caller) => command(id, caller, () => ({ kind: 'acknowledge', by: caller.name })),
    update: async (id, { causedBy, ...request }, caller) => {
      const cause = causedBy === undefined ? undefined : await causeOf(deps.ledger, causedBy);
      return command(id, caller, () => ({ kind: 'update', ...request, ...(cause ? { causedBy: cause } : {}) }));
    },
    mitigate: (id, summary, caller) => command(id, caller, () => ({ kind: 'mitigate', summary })),
    resolve: async (id, summary, caller) => {
      const budgetBurned = await budgetBurnedUntilNow(id);
      return command(id, caller, () => ({ kind: 'resolve', ...(summary ? { summary } : {}), ...(budgetBurned.length > 0 ? { budgetBurned } : {}) }));
    },
    postmortem: (id, published, caller) => command(id, caller, () => ({ kind: 'postmortem', ...published })),
    async list(filter) {
      return filterIncidents(incidentStates(await readAllIncidentEvents(deps.ledger, filter.since)), filter);
    },
    async show(id) {
      return (await load(id)).state;
    },
    async events(id) {
      return (await load(id)).events.sort((a, b) => a.seq - b.seq);
    },
  };
}

function definedOnly(request: DeclareRequest): DeclareRequest {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)));
}

/** With a model loaded, every affected service must be one it knows. */
function checkServices(model: ResolvedModel | undefined, services: readonly string[]): void {
  if (!model || model.services.length === 0) return;
  const unknown = services.filter((service) => !findService(model, service));
  if (unknown.length === 0) return;
  const issues = unknown.map((service) => ({ path: 'services', message: `unknown service "${service}"; services: ${model.services.map((known) => known.name).join(', ')}` }));
  throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') }, issues);
}

/** A notifier's failure never fails the write it follows. */
function notifySafely(notify: IncidentNotifier, event: LedgerEvent): void {
  try {
    notify.incidentChanged(event);
  } catch {
    // delivery problems are the notifier's to record
  }
}
