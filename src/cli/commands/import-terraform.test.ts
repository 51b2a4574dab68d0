import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeCli } from '../../../test/fixtures/model/fake-cli-context.ts';
import { fixedClock } from '../../lib/clock.ts';
import { withRuntime } from '../runtime.ts';
import { registerImportTerraformCommand } from './import-terraform.ts';

const root = resolve('.');
const dir = mkdtempSync(join(tmpdir(), 'steadyops-terraform-'));
const db = `sqlite:${join(dir, 'steadyops.db')}`;
const plan = join(root, 'test/fixtures/terraform/plan.json');
const config = join(root, 'examples/demo/.steadyops');

async function run(args: string[]) {
  const cli = fakeCli(dir, { db, config });
  await cli.run(registerImportTerraformCommand, ['terraform', ...args]);
  return cli;
}

const ledgerSize = () => withRuntime({ db, cwd: dir, env: {}, clock: fixedClock('2026-01-05T09:00:00Z') }, ({ ledger }) => ledger.size());

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('steadyops import terraform', () => {
  it('records one event per service of the demo model and flags the replaced database', async () => {
    const cli = await run(['--plan', plan, '--workspace', 'prod-eu', '--environment', 'production']);
    expect(cli.out().split('\n')).toEqual([
      'checkout-api: 1 to add, 0 to change, 0 to destroy',
      'core-postgres: 1 to add, 0 to change, 1 to destroy  DESTRUCTIVE: replace aws_db_instance.core',
      'session-redis: 0 to add, 1 to change, 0 to destroy',
      '(no service): 0 to add, 0 to change, 1 to destroy',
      'recorded 4 event(s) (0 already in the ledger)',
      '',
    ]);
    expect(await ledgerSize()).toBe(4);
  });

  it('stores nothing twice for the same plan, and records the apply separately', async () => {
    const again = await run(['--plan', plan, '--workspace', 'prod-eu', '--environment', 'production', '--format', 'json']);
    expect(JSON.parse(again.out())).toMatchObject({ stored: 0, duplicates: 4 });
    const applied = await run(['--plan', plan, '--workspace', 'prod-eu', '--environment', 'production', '--applied', '--format', 'json']);
    const body = JSON.parse(applied.out()) as { stored: number; events: Array<{ type: string; time: string }> };
    expect(body.stored).toBe(4);
    expect(body.events.every((event) => event.type === 'dev.steadyops.infra.applied' && event.time === '2026-01-05T09:00:00.000Z')).toBe(true);
    expect(await ledgerSize()).toBe(8);
  });

  it.each([
    { name: 'a malformed plan', content: JSON.stringify({ format_version: '1.2', resource_changes: [{ address: 'a.b', type: 'a', name: 'b', change: { actions: ['explode'] } }] }), message: /resource_changes\[0\]\.change\.actions\[0\]/ },
    { name: 'a file that is not JSON', content: 'Terraform will perform the following actions:', message: /is not JSON/ },
  ])('rejects $name naming the problem, nothing written', async ({ content, message }) => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, content);
    const before = await ledgerSize();
    await expect(run(['--plan', file])).rejects.toMatchObject({ code: 'SO_E_INPUT_INVALID', message });
    expect(await ledgerSize()).toBe(before);
  });

  it('rejects a plan file that does not exist', async () => {
    await expect(run(['--plan', join(dir, 'missing.json')])).rejects.toMatchObject({ code: 'SO_E_INPUT_INVALID', message: /cannot read/ });
  });
});
