import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'steadyops-cli-'));
const db = `sqlite:${join(dir, 'store', 'steadyops.db')}`;
const cli = (args: string[], stdin?: string) => runCli(['--db', db, ...args], { cwd: dir, ...(stdin !== undefined ? { stdin } : {}) });

function event(n: number, minutesAgo: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: `deploy-${n}`,
    source: '/github/northwind/checkout-api',
    type: 'dev.steadyops.deploy.finished',
    subject: n % 2 === 0 ? 'checkout-api' : 'search-api',
    time: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    data: { service: 'checkout-api', environment: n % 2 === 0 ? 'production' : 'staging', version: `v1.${n}.0` },
    ...extra,
  };
}

async function ledgerSize(): Promise<number> {
  const result = await cli(['ledger', 'verify', '--format', 'json']);
  return (JSON.parse(result.stdout) as { size: number }).size;
}

beforeAll(async () => {
  writeFileSync(join(dir, 'batch.json'), JSON.stringify([event(1, 90), event(2, 20), event(3, 10)]));
  writeFileSync(join(dir, 'more.ndjson'), `${JSON.stringify(event(4, 5))}\n\n${JSON.stringify(event(5, 1))}\n`);
  const pushed = await cli(['events', 'push', 'batch.json', '--format', 'json']);
  expect(pushed.code, pushed.stderr).toBe(0);
  expect(JSON.parse(pushed.stdout)).toMatchObject({ accepted: 3, stored: 3, duplicates: 0 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('steadyops events push and changes', () => {
  it('appends NDJSON from stdin and acknowledges redeliveries as duplicates', async () => {
    const pushed = await cli(['events', 'push', '-'], readFileSync(join(dir, 'more.ndjson'), 'utf8'));
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(/appended 2 event\(s\), 0 duplicate/);
    const again = await cli(['events', 'push', 'batch.json']);
    expect(again.stdout).toMatch(/appended 0 event\(s\), 3 duplicate/);
  });

  it('lists what changed, newest first, with filters, as a table and as JSON', async () => {
    const json = await cli(['changes', '--since', '30m', '--format', 'json']);
    expect(json.code).toBe(0);
    const ids = (JSON.parse(json.stdout) as { events: Array<{ id: string }> }).events.map((e) => e.id);
    expect(ids.filter((id) => id.startsWith('deploy-'))).toEqual(['deploy-5', 'deploy-4', 'deploy-3', 'deploy-2']);
    const filtered = await cli(['changes', '--since', '2h', '--service', 'checkout-api', '--env', 'production', '--format', 'json']);
    expect((JSON.parse(filtered.stdout) as { events: Array<{ id: string }> }).events.map((e) => e.id)).toEqual(['deploy-4', 'deploy-2']);
    const table = await cli(['changes', '--since', '2h', '--type', 'dev.steadyops.deploy.*']);
    const lines = table.stdout.split('\n');
    // grouped by subject, the group with the newest change first
    expect(lines[0]).toBe('search-api');
    expect(lines[1]).toMatch(/^  TIME\s+KIND\s+ENV\s+WHO\s+WHAT\s+LINK$/);
    const checkout = lines.indexOf('checkout-api');
    expect(checkout).toBeGreaterThan(1);
    expect(lines.slice(checkout).join('\n')).toMatch(/deploy\s+production\s+cli:\S+\s+deploy finished — v1\.4\.0/);
    expect(table.stdout).toMatch(/5 change\(s\) in \S+Z \.\. \S+Z\n$/);
  });

  it('lists changes nobody owns, and centres a window on a time', async () => {
    const orphan = { ...event(30, 3), subject: undefined, id: 'orphan-1', source: '/ci/unknown' };
    const pushed = await cli(['events', 'push', '-'], JSON.stringify(orphan));
    expect(pushed.code, pushed.stderr).toBe(0);
    const unowned = await cli(['changes', '--since', '1h', '--unowned', '--format', 'json']);
    expect((JSON.parse(unowned.stdout) as { events: Array<{ id: string }> }).events.map((e) => e.id)).toEqual(['orphan-1']);
    const around = new Date(Date.now() - 20 * 60_000).toISOString();
    const centred = await cli(['changes', '--around', around, '--since', '6m', '--format', 'json']);
    expect((JSON.parse(centred.stdout) as { events: Array<{ id: string }> }).events.map((e) => e.id)).toEqual(['deploy-2']);
    const noModel = await cli(['changes', '--team', 'payments']);
    expect(noModel.code).toBe(2);
  });

  it('rejects a batch with one bad event, says where, and writes nothing', async () => {
    const before = await ledgerSize();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify([event(10, 1), event(11, 1, { time: 'yesterday' }), event(12, 1, { specversion: '0.3' })]));
    const result = await cli(['events', 'push', 'bad.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SO_E_EVENT_INVALID');
    expect(result.stderr).toMatch(/\[1\]\.time/);
    expect(result.stderr).toMatch(/\[2\]\.specversion/);
    expect(await ledgerSize()).toBe(before);
  });

  it('reports malformed JSON and a bad NDJSON line with their position', async () => {
    writeFileSync(join(dir, 'broken.json'), '[\n  {"specversion": "1.0",\n   "id": }\n]');
    const broken = await cli(['events', 'push', 'broken.json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json:3:\d+/);
    const ndjson = `${JSON.stringify(event(20, 1))}\n${JSON.stringify(event(21, 1))}\n{"oops"\n`;
    const bad = await cli(['events', 'push', '-'], ndjson);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/<stdin>:3/);
  });

  it('rejects bad options with exit 2 and a hint', async () => {
    const result = await cli(['changes', '--since', 'yesterday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/neither a duration .* nor an RFC 3339 time/);
    const unknown = await cli(['changes', '--bogus']);
    expect(unknown.code).toBe(2);
  });
});

describe('steadyops ledger', () => {
  it('proves inclusion of an event, checkable offline with only the public key', async () => {
    const proof = await cli(['ledger', 'proof', 'deploy-2', '--out', 'proof.json']);
    expect(proof.code, proof.stderr).toBe(0);
    const key = await cli(['ledger', 'key']);
    writeFileSync(join(dir, 'ledger.vkey'), key.stdout);
    const ok = await runCli(['ledger', 'verify-proof', 'proof.json', '--public-key', '@ledger.vkey'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^proof OK: sequence 2 is in steadyops\.local\/[0-9a-f]+ at tree size \d+/);
    const bySeq = await cli(['ledger', 'proof', 'seq:2']);
    expect(bySeq.code, bySeq.stderr).toBe(0);
    expect(JSON.parse(bySeq.stdout)).toMatchObject({ seq: 2, event: { id: 'deploy-2' } });
    const missing = await cli(['ledger', 'proof', 'seq:999']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('event seq:999 was not found')]);

    const forged = JSON.parse(readFileSync(join(dir, 'proof.json'), 'utf8')) as { canonical: string };
    forged.canonical = Buffer.from(Buffer.from(forged.canonical, 'base64').toString().replace('v1.2.0', 'v6.6.6')).toString('base64');
    writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
    const bad = await runCli(['ledger', 'verify-proof', 'forged.json', '--public-key', '@ledger.vkey'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/SO_E_PROOF_INVALID: proof does not verify: the event bytes do not hash to the leaf hash/);
  });

  it('proves the log only grew between two checkpoints', async () => {
    const list = await cli(['ledger', 'checkpoint', '--list']);
    const sizes = list.stdout.trim().split('\n').map((line) => Number(line.split('\t')[0]));
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    const result = await cli(['ledger', 'consistency', String(sizes[0]), String(sizes[sizes.length - 1])]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^consistent: the log at \d+ extends the log at \d+/);
    const missing = await cli(['ledger', 'consistency', '1', String(sizes[sizes.length - 1])]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SO_E_CHECKPOINT_MISSING');
  });

  it('prints the latest checkpoint as a C2SP signed note', async () => {
    const result = await cli(['ledger', 'checkpoint']);
    expect(result.stdout).toMatch(/^steadyops\.local\/[0-9a-f]+\n\d+\n[A-Za-z0-9+/]{43}=\n\n\u2014 steadyops\.local\/[0-9a-f]+ [A-Za-z0-9+/]+=*\n$/);
  });

  it('verifies an intact ledger, then names the first bad sequence number after a row is edited', async () => {
    const intact = await cli(['ledger', 'verify']);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/^ledger intact: \d+ events, \d+ signed checkpoints verified/);
    const raw = new Database(join(dir, 'store', 'steadyops.db'));
    raw.prepare("update events set canonical = cast(replace(cast(canonical as text), 'v1.3.0', 'v1.3.1') as blob) where event_id = 'deploy-3'").run();
    raw.close();
    const tampered = await cli(['ledger', 'verify', '--format', 'json']);
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });
});

describe('steadyops token', () => {
  it('creates a token shown once, stored hashed, listed without its secret', async () => {
    const created = await cli(['token', 'create', '--name', 'ci-deployer', '--role', 'operator', '--format', 'json']);
    expect(created.code, created.stderr).toBe(0);
    const { token } = JSON.parse(created.stdout) as { token: string };
    expect(token).toMatch(/^so_[A-Za-z0-9_-]{43}$/);
    const listed = await cli(['token', 'list', '--format', 'json']);
    expect(listed.stdout).not.toContain(token);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'ci-deployer', role: 'operator' })]);
    const raw = new Database(join(dir, 'store', 'steadyops.db'), { readonly: true });
    const stored = raw.prepare('select secret_hash from tokens').all() as Array<{ secret_hash: string }>;
    raw.close();
    expect(stored.map((row) => row.secret_hash)).not.toContain(token);
    const badRole = await cli(['token', 'create', '--name', 'x', '--role', 'root']);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/viewer, operator, approver, admin/);
  });
});
