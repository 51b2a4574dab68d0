import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { domains, severities } from '../control.ts';
import { controlCatalog } from './control-catalog.ts';

const folder = fileURLToPath(new URL('.', import.meta.url));
const testedIds = new Set(
  readdirSync(folder)
    .filter((file) => file.endsWith('.test.ts'))
    .flatMap((file) => [...readFileSync(`${folder}/${file}`, 'utf8').matchAll(/describeControl\(\w+\('([A-Z]{2,3}-\d{3})'\)/g)].map((match) => match[1])),
);

describe('the controls catalog', () => {
  it('has at least 60 controls with unique, well-formed ids, covering every domain', () => {
    expect(controlCatalog.length).toBeGreaterThanOrEqual(60);
    const ids = controlCatalog.map((control) => control.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(OWN|REL|RUN|INF|DB|OBS|BAK|ACC|DOC|INC)-\d{3}$/);
    for (const domain of domains) expect(controlCatalog.some((control) => control.domain === domain), domain).toBe(true);
  });

  it.each(controlCatalog.map((control) => [control.id, control] as const))('%s is fully described', (_id, control) => {
    expect(control.title.length).toBeGreaterThan(10);
    expect(control.risk.length).toBeGreaterThan(40);
    expect(control.detection.length).toBeGreaterThan(20);
    expect(control.remediation.length).toBeGreaterThan(20);
    expect(control.example.length).toBeGreaterThan(10);
    expect(severities).toContain(control.severity);
    expect(['S', 'M', 'L']).toContain(control.effort);
    expect(control.soc2.length).toBeGreaterThan(0);
    for (const criterion of control.soc2) expect(criterion).toMatch(/^(CC[1-9]\.\d|A1\.[1-3]|PI1\.\d|C1\.\d|P\d\.\d)$/);
  });

  it('gives every control its own triggering and passing cases (describeControl)', () => {
    expect(controlCatalog.map((control) => control.id).filter((id) => !testedIds.has(id))).toEqual([]);
  });
});
