import type { z } from 'zod';
import type { EventType, eventTypes } from '../../src/ledger/event-types.ts';
import type { EventToAppend } from '../../src/ledger/types.ts';
import type { DemoModel, DemoService } from './demo-model.ts';
import type { SeededRandom } from './seeded-random.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The payload an event type takes, as written (checked against the catalogue at compile time). */
export type Payload<T extends EventType> = z.input<(typeof eventTypes)[T]['schemas'][1]>;

export interface DemoContext {
  readonly now: number;
  readonly start: number;
  readonly days: number;
  readonly random: SeededRandom;
  readonly model: DemoModel;
  emit<T extends EventType>(at: number, type: T, origin: Origin, data: Payload<T>): void;
  /** The release train's current version of a service in an environment (`service@environment`). */
  readonly versions: Map<string, Version>;
  /** When each `service@environment` is free for its next deploy. */
  readonly busyUntil: Map<string, number>;
}

export interface Origin {
  readonly source: string;
  readonly subject: string;
  readonly actor: string;
}

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

interface Pending {
  readonly at: number;
  readonly order: number;
  readonly item: EventToAppend;
}

export function createContext(now: number, days: number, random: SeededRandom, model: DemoModel) {
  const pending: Pending[] = [];
  const counters = new Map<string, number>();
  const context: DemoContext = {
    now,
    start: now - days * DAY,
    days,
    random,
    model,
    versions: new Map(),
    busyUntil: new Map(),
    emit(at, type, origin, data) {
      const count = (counters.get(origin.source) ?? 0) + 1;
      counters.set(origin.source, count);
      const event = {
        specversion: '1.0' as const,
        id: `${type.split('.').slice(2).join('-')}-${String(count).padStart(5, '0')}`,
        source: origin.source,
        type,
        subject: origin.subject,
        time: new Date(Math.floor(at)).toISOString(),
        datacontenttype: 'application/json',
        data,
      };
      pending.push({ at: Math.floor(at), order: pending.length, item: { event, actor: origin.actor } });
    },
  };
  const finish = (): EventToAppend[] =>
    pending
      .filter((entry) => entry.at <= now)
      .sort((a, b) => a.at - b.at || a.order - b.order)
      .map((entry) => entry.item);
  return { context, finish };
}

const hourWeights = [0, 0, 0, 0, 0, 0, 0.2, 0.6, 1, 1.2, 1.2, 1, 0.8, 1.1, 1.2, 1.1, 0.9, 0.6, 0.3, 0.15, 0.1, 0.05, 0, 0];

/** Start (00:00 UTC) of each day in the window, oldest first, including today. */
export function dayStarts(context: DemoContext): number[] {
  const today = Math.floor(context.now / DAY) * DAY;
  return Array.from({ length: context.days + 1 }, (_, index) => today - (context.days - index) * DAY).filter(
    (day) => day + DAY > context.start,
  );
}

export function isWeekend(dayStart: number): boolean {
  const weekday = new Date(dayStart).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** A moment during the working day, weighted towards business hours (UTC, roughly Europe). */
export function workTime(context: DemoContext, dayStart: number): number {
  return dayStart + context.random.weighted(hourWeights) * HOUR + context.random.int(0, 59) * MINUTE + context.random.int(0, 59) * 1000;
}

export function minutes(context: DemoContext, min: number, max: number): number {
  return context.random.int(min * 60, max * 60) * 1000;
}

export function sha(context: DemoContext): string {
  return context.random.hex(40);
}

export function teamOf(context: DemoContext, name: string) {
  return context.model.teams.find((team) => team.name === name) ?? context.model.teams[0]!;
}

/** `github:<login>` for a member of the team (or any team when it has none). */
export function personOf(context: DemoContext, teamName: string): string {
  const member = context.random.pick(teamOf(context, teamName).members);
  return loginOf(member);
}

export function loginOf(member: { readonly email: string; readonly github?: string }): string {
  return `github:${member.github ?? member.email.split('@')[0]}`;
}

export function repoOf(service: DemoService): string {
  return `northwind/${service.name}`;
}

export function versionText(version: Version): string {
  return `v${version.major}.${version.minor}.${version.patch}`;
}

/** The version a service runs in an environment; every service starts somewhere plausible. */
export function currentVersion(context: DemoContext, service: string, environment: string): Version {
  const key = `${service}@${environment}`;
  let version = context.versions.get(key);
  if (!version) {
    const base = context.versions.get(`${service}@base`) ?? {
      major: context.random.int(1, 4),
      minor: context.random.int(0, 30),
      patch: context.random.int(0, 9),
    };
    context.versions.set(`${service}@base`, base);
    version = { ...base };
    context.versions.set(key, version);
  }
  return version;
}

export function nextVersion(context: DemoContext, service: string): Version {
  const staging = currentVersion(context, service, 'staging');
  return context.random.chance(0.2)
    ? { major: staging.major, minor: staging.minor + 1, patch: 0 }
    : { ...staging, patch: staging.patch + 1 };
}

export function tierServices(context: DemoContext, tier: number): DemoService[] {
  const matching = context.model.services.filter((service) => service.tier === tier);
  return matching.length > 0 ? matching : [...context.model.services];
}

export function alertsOf(service: DemoService): readonly { alertname: string; severity?: string }[] {
  if (service.alerts && service.alerts.length > 0) return service.alerts;
  const pascal = service.name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
  return [{ alertname: `${pascal}HighErrorRate`, severity: 'page' }];
}
