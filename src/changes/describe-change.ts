import { changeKindOf } from '../ledger/event-types.ts';
import type { LedgerEvent } from '../ledger/types.ts';

type Data = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

/** What the change was, for the kinds people ask about first; undefined falls back to the generic line. */
const describers: Record<string, (data: Data) => string | undefined> = {
  deploy: (data) => {
    const version = text(data.version);
    const previous = text(data.previousVersion);
    return version && previous && previous !== version ? `${previous} -> ${version}` : version;
  },
  rollback: (data) => {
    const from = text(data.fromVersion);
    const to = text(data.toVersion);
    const reason = text(data.reason);
    return from && to ? `${from} -> ${to}${reason ? ` (${reason})` : ''}` : undefined;
  },
  config: (data) => {
    const keys = Array.isArray(data.keys) ? data.keys.filter((key): key is string => typeof key === 'string') : [];
    const resource = text(data.resource);
    return resource ? `${resource}${keys.length > 0 ? `: ${keys.join(', ')}` : ''}` : undefined;
  },
  flag: (data) => {
    const flag = text(data.flag);
    if (!flag || typeof data.enabled !== 'boolean') return undefined;
    const rollout = typeof data.rolloutPercent === 'number' ? ` at ${data.rolloutPercent}%` : '';
    return `${flag} ${data.enabled ? 'on' : 'off'}${rollout}`;
  },
  infra: (data) => {
    const counts = [data.add, data.change, data.destroy].map((count) => (typeof count === 'number' ? count : undefined));
    if (counts.some((count) => count === undefined)) return undefined;
    const [add, change, destroy] = counts as number[];
    return `${text(data.workspace) ?? 'plan'}: +${add} ~${change} -${destroy}${data.destructive === true ? ', DESTRUCTIVE' : ''}`;
  },
  alert: (data) => {
    const alertname = text(data.alertname);
    const severity = text(data.severity);
    return alertname ? `${alertname}${severity ? ` (${severity})` : ''}` : undefined;
  },
  gate: (data) => {
    const version = text(data.version);
    if (text(data.overriddenBy)) return `${version ?? ''} override by ${text(data.overriddenBy)}: ${text(data.reason) ?? ''}`.trim();
    if (text(data.approver)) return `${version ?? ''} approved by ${text(data.approver)}`.trim();
    const decision = text(data.decision);
    return decision ? `${decision.toUpperCase()} ${version ?? ''}${text(data.policy) ? ` (${text(data.policy)})` : ''}`.trim() : undefined;
  },
  access: (data) => {
    const role = text(data.role);
    const requester = text(data.requester);
    const approver = text(data.approver);
    return role ? `${role}${requester ? ` for ${requester}` : ''}${approver ? `, approved by ${approver}` : ''}` : undefined;
  },
};

/** One line a person reads at 2 a.m.: what happened, from what to what, in the words of the payload. */
export function describeChange(event: LedgerEvent): string {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Data;
  const verb = event.type.startsWith('dev.steadyops.') ? event.type.split('.').slice(2).join(' ') : event.type;
  const specific = describers[changeKindOf(event.type)]?.(data);
  const generic = text(data.title) ?? text(data.summary) ?? text(data.message) ?? text(data.ref) ?? text(data.version);
  const outcome = text(data.outcome) ?? text(data.status);
  return [verb, specific ?? generic, outcome].filter((part): part is string => Boolean(part)).join(' — ').slice(0, 140);
}

/** Where to look at the change at its source: a deploy's log, a pull request, an alert's graph. */
export function linkOf(event: LedgerEvent): string | undefined {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Data;
  for (const key of ['url', 'htmlUrl', 'targetUrl', 'logUrl', 'generatorURL']) {
    const value = data[key];
    if (typeof value === 'string' && /^https?:\/\//.test(value)) return value;
  }
  return undefined;
}

