import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { changeKindOf, isKnownEventType, validateEventData } from '../../src/ledger/event-types.ts';
import { parseStructuredEvents } from '../../src/ledger/cloud-event.ts';
import { generateDemoEvents } from './generate-events.ts';
import { northwindModel } from './demo-model.ts';

const now = new Date('2025-03-12T15:40:00Z');
const events = generateDemoEvents({ now, seed: 7 });
const at = (index: number): number => Date.parse(events[index]!.event.time!);

/** Names per kind, read straight from the demo's YAML. */
function modelNames(): Map<string, Set<string>> {
  const folder = join(import.meta.dirname, '.steadyops');
  const names = new Map<string, Set<string>>();
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.yaml'))) {
    for (const document of parseAllDocuments(readFileSync(join(folder, file), 'utf8'))) {
      const { kind, metadata } = document.toJS() as { kind: string; metadata: { name: string } };
      names.set(kind, (names.get(kind) ?? new Set()).add(metadata.name));
    }
  }
  return names;
}

describe('generateDemoEvents', () => {
  it('is deterministic for the same seed and now, and differs for another seed', () => {
    expect(generateDemoEvents({ now, seed: 7 })).toEqual(events);
    expect(generateDemoEvents({ now, seed: 8 })).not.toEqual(events);
  });

  it('produces a few thousand events, oldest first, none after now', () => {
    expect(events.length).toBeGreaterThanOrEqual(3000);
    expect(events.length).toBeLessThanOrEqual(4000);
    for (let index = 1; index < events.length; index++) expect(at(index)).toBeGreaterThanOrEqual(at(index - 1));
    expect(at(events.length - 1)).toBeLessThanOrEqual(now.getTime());
  });

  it('stays in range for other seeds and a weekend now', () => {
    for (const seed of [1, 2, 3]) {
      const count = generateDemoEvents({ now: new Date('2025-03-16T03:00:00Z'), seed }).length;
      expect(count).toBeGreaterThanOrEqual(3000);
      expect(count).toBeLessThanOrEqual(4000);
    }
  });

  it('emits only catalogue types with valid payloads, accepted by the boundary parser', () => {
    for (const { event } of events) {
      expect(isKnownEventType(event.type), event.type).toBe(true);
      expect(validateEventData(event.type, event.data, event.dataschema)).toEqual({ ok: true });
    }
    expect(parseStructuredEvents(JSON.parse(JSON.stringify(events.map(({ event }) => event))))).toHaveLength(events.length);
  });

  it('keeps ids unique per source', () => {
    const keys = new Set(events.map(({ event }) => `${event.source} ${event.id}`));
    expect(keys.size).toBe(events.length);
  });

  it('has activity in the last 30 minutes, including a production deploy and a firing alert', () => {
    const recent = events.filter(({ event }) => Date.parse(event.time!) >= now.getTime() - 30 * 60_000);
    const types = new Set(recent.map(({ event }) => event.type));
    expect(recent.length).toBeGreaterThan(10);
    expect(types).toContain('dev.steadyops.deploy.finished');
    expect(types).toContain('dev.steadyops.config.changed');
    expect(types).toContain('dev.steadyops.flag.changed');
    expect(types).toContain('dev.steadyops.alert.firing');
    expect(recent.some(({ event }) => (event.data as { environment?: string }).environment === 'production')).toBe(true);
  });

  it('only names subjects and roles that exist in the demo model', () => {
    const names = modelNames();
    const subjects = new Set([...names.get('Service')!, ...names.get('Datastore')!, ...names.get('Team')!]);
    for (const { event } of events) expect(subjects, `${event.type} ${event.subject}`).toContain(event.subject);
    const roles = names.get('AccessRole')!;
    for (const { event } of events.filter(({ event }) => changeKindOf(event.type) === 'access' && event.type.includes('.access.'))) {
      expect(roles).toContain((event.data as { role: string }).role);
    }
  });

  it('mirrors the YAML model in its built-in model', () => {
    const names = modelNames();
    expect(new Set(northwindModel.services.map((service) => service.name))).toEqual(names.get('Service'));
    expect(new Set(northwindModel.datastores.map((datastore) => datastore.name))).toEqual(names.get('Datastore'));
    expect(new Set(northwindModel.teams.map((team) => team.name))).toEqual(names.get('Team'));
    expect(new Set(northwindModel.accessRoles.map((role) => role.name))).toEqual(names.get('AccessRole'));
  });

  it('tells the stories the demo is for', () => {
    const count = (type: string) => events.filter(({ event }) => event.type === type).length;
    expect(count('dev.steadyops.incident.declared')).toBe(2);
    expect(count('dev.steadyops.incident.resolved')).toBe(2);
    expect(count('dev.steadyops.access.breakglass')).toBe(1);
    expect(count('dev.steadyops.rollback.finished')).toBeGreaterThanOrEqual(2);
    expect(count('dev.steadyops.backup.failed')).toBe(1);
    expect(count('dev.steadyops.restore.drill.failed')).toBe(1);
    const lastDrill = new Map<string, number>();
    for (const { event } of events.filter(({ event }) => event.type === 'dev.steadyops.restore.drill.verified')) {
      lastDrill.set(event.subject!, Date.parse(event.time!));
    }
    expect(lastDrill.size).toBe(4);
    const overdue = [...lastDrill].filter(([, time]) => now.getTime() - time > 30 * 86_400_000).map(([name]) => name);
    expect(overdue).toEqual(['search-elasticsearch']);
  });

  it('makes production deploys follow their staging deploy', () => {
    const stagedVersions = new Set<string>();
    for (const { event } of events.filter(({ event }) => event.type === 'dev.steadyops.deploy.finished')) {
      const data = event.data as { service: string; environment: string; version: string };
      if (data.environment === 'staging') stagedVersions.add(`${data.service}@${data.version}`);
      else expect(stagedVersions, `${data.service}@${data.version}`).toContain(`${data.service}@${data.version}`);
    }
  });
});
