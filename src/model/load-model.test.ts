import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SteadyopsError, formatIssue } from '../lib/errors.ts';
import { loadModel, loadModelFromSources, loadModelOrThrow } from './load-model.ts';

const team = `apiVersion: steadyops.dev/v1
kind: Team
metadata:
  name: payments
spec:
  members:
    - { name: Ada, email: ada@acme.example }
  timezone: UTC
`;

function issuesOf(text: string, withTeam = true): string[] {
  const sources = [{ file: 'model.yaml', text }];
  if (withTeam) sources.unshift({ file: 'team.yaml', text: team });
  return loadModelFromSources(sources).issues.map(formatIssue);
}

const service = (spec: string) => `apiVersion: steadyops.dev/v1
kind: Service
metadata:
  name: checkout
spec:
${spec}`;

describe('loadModelFromSources messages', () => {
  const cases: Array<{ name: string; text: string; expected: string[] }> = [
    {
      name: 'unknown field points at the key and suggests the closest field',
      text: service('  owner: payments\n  tier: 1\n  releasePolcy: standard\n'),
      expected: [
        'model.yaml:8:3: spec.releasePolcy: unknown field "releasePolcy" (did you mean "releasePolicy"?); valid fields here: owner, tier, lifecycle, description, repo, runtime, dependsOn, slos, alerts, runbooks, releasePolicy, rollback, migrations, environments',
      ],
    },
    {
      name: 'missing owner points at the parent mapping',
      text: service('  tier: 1\n'),
      expected: [
        'model.yaml:6:3: spec.owner: missing required field "owner"; every service and datastore names the Team that owns it (spec.owner: TEAM-NAME)',
      ],
    },
    {
      name: 'enum value points at the value',
      text: service('  owner: payments\n  tier: 4\n'),
      expected: ['model.yaml:7:9: spec.tier: number 4 is not allowed; use one of: 1, 2, 3'],
    },
    {
      name: 'unknown owner team suggests by edit distance and lists teams',
      text: service('  owner: paymnets\n  tier: 1\n'),
      expected: [
        'model.yaml:6:10: spec.owner: unknown Team "paymnets" (did you mean "payments"?); defined Team names: payments',
      ],
    },
    {
      name: 'bad duration inside a list item',
      text: service(
        '  owner: payments\n  tier: 2\n  slos:\n    - name: avail\n      objective: 99.9\n      period: 30 days\n      sli: { ratio: { errors: a, total: b } }\n',
      ),
      expected: [
        'model.yaml:11:15: spec.slos[0].period: "30 days" is not a duration; use a number and a unit (ms, s, m, h, d, w), e.g. 30m, 4h, 7d, 1w',
      ],
    },
    {
      name: 'objective outside (0, 100)',
      text: service(
        '  owner: payments\n  tier: 2\n  slos:\n    - name: avail\n      objective: 100\n      sli: { ratio: { good: a, total: b } }\n',
      ),
      expected: ['model.yaml:10:18: spec.slos[0].objective: objective is a percentage between 0 and 100 (exclusive), e.g. 99.9'],
    },
    {
      name: 'discriminated check type with a typo',
      text: `apiVersion: steadyops.dev/v1
kind: ReleasePolicy
metadata: { name: standard }
spec:
  checks:
    - type: errorBuget
      minRemaining: 0.1
`,
      expected: [
        'model.yaml:6:13: spec.checks[0].type: "errorBuget" is not allowed; use one of: errorBudget, firingAlerts, openIncidents, freezeWindow, approvals, restoreFreshness, rollbackPlan, changeFrequency (did you mean "errorBudget"?)',
      ],
    },
    {
      name: 'unknown kind lists the valid kinds',
      text: 'apiVersion: steadyops.dev/v1\nkind: Servce\nmetadata: { name: x }\nspec: {}\n',
      expected: [
        'model.yaml:2:7: kind: unknown kind "Servce" (did you mean "Service"?); valid kinds: Team, Service, Datastore, ReleasePolicy, AccessRole, Environment',
      ],
    },
    {
      name: 'unknown apiVersion',
      text: 'apiVersion: steadyops.dev/v2\nkind: Team\nmetadata: { name: x }\nspec: {}\n',
      expected: ['model.yaml:1:13: apiVersion: "steadyops.dev/v2" is not supported; use steadyops.dev/v1'],
    },
    {
      name: 'YAML syntax error keeps its line and column',
      text: 'apiVersion: steadyops.dev/v1\nkind: Team\nmetadata:\n  name: "broken\n',
      expected: ['model.yaml:5:1: YAML syntax: Missing closing "quote'],
    },
    {
      name: 'duplicate name points at the second and names the first',
      text: team,
      expected: [
        'model.yaml:4:9: metadata.name: duplicate Team "payments", first defined at team.yaml:4:9; names are unique per kind',
      ],
    },
    {
      name: 'rotation member who is not in the team',
      text: `apiVersion: steadyops.dev/v1
kind: Team
metadata: { name: web }
spec:
  members: [{ name: Bo, email: bo@acme.example }]
  timezone: Mars/Olympus
  oncall:
    rotation: { members: [al@acme.example], period: 1w, handoff: "9am", start: 2026-01-05 }
`,
      expected: [
        'model.yaml:6:13: spec.timezone: "Mars/Olympus" is not an IANA time zone; use e.g. UTC, Europe/Berlin, America/New_York',
        'model.yaml:8:27: spec.oncall.rotation.members[0]: "al@acme.example" is not a member of this team; rotation members are among: bo@acme.example',
        'model.yaml:8:66: spec.oncall.rotation.handoff: "9am" is not a time of day; use 24-hour HH:MM, e.g. 09:00',
      ],
    },
    {
      name: 'access role without approvers and a bad cron in a freeze window',
      text: `apiVersion: steadyops.dev/v1
kind: AccessRole
metadata: { name: db }
spec:
  grants: [{ system: database, resource: orders, permissions: [select] }]
  approvers: {}
  maxDuration: 4h
---
apiVersion: steadyops.dev/v1
kind: ReleasePolicy
metadata: { name: freeze }
spec:
  checks:
    - type: freezeWindow
      windows: [{ cron: "every friday", duration: 2d, timezone: UTC }]
`,
      expected: [
        'model.yaml:6:14: spec.approvers: approvers needs at least one team (teams: [name]) or user (users: [email])',
        'model.yaml:15:25: spec.checks[0].windows[0].cron: "every friday" is not a cron expression; use five fields (minute hour day month weekday), e.g. "0 3 * * *"',
      ],
    },
    {
      name: 'a dependency on the service itself and on an unknown datastore',
      text: service('  owner: payments\n  tier: 1\n  dependsOn:\n    - service: checkout\n    - datastore: orders\n'),
      expected: [
        'model.yaml:9:16: spec.dependsOn[0].service: a service cannot depend on itself',
        'model.yaml:10:18: spec.dependsOn[1].datastore: unknown Datastore "orders"; defined Datastore names: (none defined)',
      ],
    },
  ];

  it.each(cases)('$name', ({ text, expected }) => {
    expect(issuesOf(text)).toEqual(expected);
  });

  it('accepts a clean model and applies defaults', () => {
    const result = loadModelFromSources([
      { file: 'team.yaml', text: team },
      { file: 'model.yaml', text: service('  owner: payments\n  tier: 1\n') },
    ]);
    expect(result.issues).toEqual([]);
    expect(result.model.services).toEqual([
      { name: 'checkout', labels: {}, annotations: {}, owner: 'payments', tier: 1, lifecycle: 'production' },
    ]);
  });

  it('skips empty documents and comment-only files', () => {
    expect(issuesOf('# nothing yet\n---\n')).toEqual([]);
  });

  it('rejects a document that is not a mapping', () => {
    expect(issuesOf('- a\n- b\n', false)).toEqual([
      'model.yaml:1:1: a model document must be a mapping with apiVersion, kind, metadata and spec',
    ]);
  });
});

describe('loadModel on files', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function folder(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'steadyops-model-'));
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    return dir;
  }

  it('reports all ten mistakes spread over a .steadyops folder, in file order', async () => {
    const cwd = await folder({
      '.steadyops/a-teams.yaml': `apiVersion: steadyops.dev/v1
kind: Team
metadata: { name: payments }
spec:
  members: [{ name: Ada, email: not-an-email }]
  timezone: UTC
  slack: "#payments"
`,
      '.steadyops/b-services.yaml': `apiVersion: steadyops.dev/v1
kind: Service
metadata: { name: Checkout }
spec:
  owner: paymnts
  tier: 1
  releasePolicy: fast
---
apiVersion: steadyops.dev/v1
kind: Service
metadata: { name: search }
spec:
  tier: 2
  lifecycle: beta
`,
      '.steadyops/nested/c-stores.yml': `apiVersion: steadyops.dev/v1
kind: Datastore
metadata: { name: orders-db }
spec:
  engine: postgres
  owner: payments
  backup: { schedule: "0 3 * * *", rpo: 1 day, retention: 30d }
---
apiVersion: steadyops.dev/v1
kind: Enviroment
metadata: { name: prod }
spec: { protection: strict }
`,
      'ignored.yaml': 'not: part of the model\n',
    });
    const { issues, files } = await loadModel(undefined, cwd);
    expect(files).toEqual(['.steadyops/a-teams.yaml', '.steadyops/b-services.yaml', '.steadyops/nested/c-stores.yml']);
    expect(issues.map((issue) => `${issue.file}:${issue.line}:${issue.col}`)).toEqual([
      '.steadyops/a-teams.yaml:5:33',
      '.steadyops/a-teams.yaml:7:3',
      '.steadyops/b-services.yaml:3:19',
      '.steadyops/b-services.yaml:5:10',
      '.steadyops/b-services.yaml:7:18',
      '.steadyops/b-services.yaml:13:3',
      '.steadyops/b-services.yaml:14:14',
      '.steadyops/nested/c-stores.yml:5:11',
      '.steadyops/nested/c-stores.yml:7:41',
      '.steadyops/nested/c-stores.yml:10:7',
    ]);
    expect(issues.map((issue) => issue.message.split(':')[0])).toEqual([
      'spec.members[0].email',
      'spec.slack',
      'metadata.name',
      'spec.owner',
      'spec.releasePolicy',
      'spec.owner',
      'spec.lifecycle',
      'spec.engine',
      'spec.backup.rpo',
      'kind',
    ]);
  });

  it('finds steadyops.yaml before a .steadyops folder, and an explicit file', async () => {
    const cwd = await folder({ 'steadyops.yaml': team, '.steadyops/other.yaml': 'kind: Nope\n' });
    expect((await loadModel(undefined, cwd)).files).toEqual(['steadyops.yaml']);
    expect((await loadModel('.steadyops/other.yaml', cwd)).issues).toHaveLength(2);
  });

  it('reads every YAML file of an explicit folder without a model in it', async () => {
    const cwd = await folder({ 'model/b.yml': team, 'model/a/x.yaml': '' });
    expect((await loadModel('model', cwd)).files).toEqual(['model/a/x.yaml', 'model/b.yml']);
  });

  it('raises SO_E_MODEL_NOT_FOUND when there is no model', async () => {
    const cwd = await folder({ 'README.md': '# hi\n' });
    await expect(loadModel(undefined, cwd)).rejects.toMatchObject({ code: 'SO_E_MODEL_NOT_FOUND' });
    await expect(loadModel('missing.yaml', cwd)).rejects.toMatchObject({ code: 'SO_E_MODEL_NOT_FOUND' });
  });

  it('loadModelOrThrow raises SO_E_MODEL_INVALID with every issue', async () => {
    const cwd = await folder({ 'steadyops.yaml': service('  tier: 9\n') });
    const error = await loadModelOrThrow(undefined, cwd).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SteadyopsError);
    expect(error).toMatchObject({ code: 'SO_E_MODEL_INVALID', params: { count: 2 } });
    expect((error as SteadyopsError).issues.map((issue) => issue.line)).toEqual([6, 6]);
  });

  it('loads the shipped valid fixture without issues', async () => {
    const result = await loadModelOrThrow('test/fixtures/model/valid', process.cwd());
    expect(result.model.teams.map((t) => t.name)).toEqual(['payments', 'platform']);
    expect(result.model.services).toHaveLength(2);
  });
});
