import { describe, expect, it } from 'vitest';
import type { ResolvedEnvironment } from '../../model/resolve.ts';
import { emptyFacts } from '../facts.ts';
import { describeControl } from './control-cases.ts';
import { ledgerEvent, withLedger, withModel } from './control-fixtures.ts';
import { job, withWorkflows, workflow } from './scanned-fixtures.ts';
import { isGateStep, isPinnedAction, workflowControls } from './workflow-controls.ts';
import { isDeployCommand, looksLikeProduction, productionDeploys } from './workflow-jobs.ts';

const control = (id: string) => workflowControls.find((entry) => entry.id === id)!;

const checkout = { uses: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683' };
const gate = { uses: 'steadyops/steadyops@0123456789abcdef0123456789abcdef01234567', with: { environment: 'production' } };
const setImage = (context: string) => ({ run: `kubectl --context ${context} set image deployment/api api=ghcr.io/acme/api:$VERSION` });
const rolloutStatus = (context: string) => ({ run: `kubectl --context ${context} rollout status deployment/api --timeout=10m` });
const deploySteps = (context: string) => [checkout, gate, setImage(context), rolloutStatus(context)];

const environment = (name: string, extra: Partial<ResolvedEnvironment> = {}): ResolvedEnvironment => ({ name, labels: {}, annotations: {}, protection: 'standard', ...extra });
const environments = [environment('staging', { order: 1, kubernetes: { context: 'staging-eu' } }), environment('live', { order: 2, protection: 'strict', kubernetes: { context: 'eu-main' } })];

describe('workflow helpers', () => {
  it('tell production names apart', () => {
    expect(['production', 'prod-eu', 'eu_prod', 'PROD'].map(looksLikeProduction)).toEqual([true, true, true, true]);
    expect(['preprod', 'pre-prod', 'non-prod', 'products', 'staging'].map(looksLikeProduction)).toEqual([false, false, false, false, false]);
  });

  it('find deploy commands behind flags and launchers, not mentions', () => {
    const command = (text: string) => ({ step: 0, line: 1, words: text.split(' ') });
    expect(['kubectl -n payments apply -f k8s/', 'sudo helm upgrade --install api ./chart', 'npx cdk deploy', 'KUBECONFIG=x kubectl set image deploy/a a=b', 'terraform -chdir=infra apply -auto-approve'].map((text) => isDeployCommand(command(text)))).toEqual([true, true, true, true, true]);
    expect(['kubectl rollout status deploy/a', 'echo kubectl apply', 'helm template .', 'terraform plan'].map((text) => isDeployCommand(command(text)))).toEqual([false, false, false, false]);
  });

  it('use the model to know production environments and contexts', () => {
    const facts = withModel({ environments }, { workflows: [workflow([job('ship', [setImage('eu-main')]), job('stage', [setImage('staging-eu')]), job('live-job', [setImage('x')], { environment: 'live' })])] });
    expect(productionDeploys(facts).map(({ job, because }) => `${job.id}: ${because}`)).toEqual(['ship: `kubectl --context eu-main set image …` targets eu-main', 'live-job: environment live']);
  });

  it('know pinned refs and gate steps', () => {
    expect(['actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', './.github/actions/build', 'docker://alpine@sha256:abc'].map(isPinnedAction)).toEqual([true, true, true]);
    expect(['actions/checkout@v4', 'actions/checkout@main', 'docker://alpine:3', 'owner/repo'].map(isPinnedAction)).toEqual([false, false, false, false]);
    expect([{ run: 'npx steadyops gate check --service a --env production', line: 1 }, { uses: './', line: 1 }, { uses: 'acme/steadyops@v1', line: 1 }].map(isGateStep)).toEqual([true, true, true]);
    expect([{ run: 'npx steadyops rollback check a', line: 1 }, { uses: './.github/actions/deploy', line: 1 }].map(isGateStep)).toEqual([false, false]);
  });
});

describeControl(control('REL-010'), {
  triggers: [
    {
      name: 'a prod job without environment, by name and by context',
      facts: withWorkflows([workflow([job('deploy-prod', deploySteps('eks-1')), job('ship', deploySteps('prod-eu')), job('staging', deploySteps('staging-eu'))])]),
      resources: ['.github/workflows/deploy.yml#deploy-prod', '.github/workflows/deploy.yml#ship'],
    },
  ],
  passes: [
    { name: 'production environment set', facts: withWorkflows([workflow([job('production', deploySteps('prod-eu'), { environment: 'production' })])]) },
    { name: 'a production job that only builds', facts: withWorkflows([workflow([job('prod-build', [checkout, { run: 'docker build .' }])])]) },
    { name: 'preprod', facts: withWorkflows([workflow([job('deploy-preprod', deploySteps('preprod-eu'))])]) },
  ],
});

describeControl(control('REL-011'), {
  triggers: [
    {
      name: 'third-party actions by tag, and a reusable workflow by branch',
      facts: withWorkflows([
        workflow([job('build', [checkout, { uses: 'tj-actions/changed-files@v45' }, { uses: 'docker/login-action@v3' }]), job('call', [], { uses: 'acme/shared/.github/workflows/deploy.yml@main' })]),
        workflow([job('lint', [{ uses: 'actions/setup-node@v4' }])], { file: '.github/workflows/lint.yml' }),
      ]),
      resources: ['.github/workflows/deploy.yml'],
    },
  ],
  passes: [
    {
      name: 'pinned, local and GitHub-owned',
      facts: withWorkflows([workflow([job('build', [checkout, { uses: 'actions/setup-node@v4' }, { uses: './.github/actions/build' }, { uses: 'docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772' }])])]),
    },
  ],
});

describeControl(control('REL-012'), {
  triggers: [{ name: 'actions/checkout@v4', facts: withWorkflows([workflow([job('build', [{ uses: 'actions/checkout@v4' }, { uses: 'github/codeql-action/init@v3' }])])]), resources: ['.github/workflows/deploy.yml'] }],
  passes: [{ name: 'pinned', facts: withWorkflows([workflow([job('build', [checkout, { uses: 'tj-actions/changed-files@v45' }])])]) }],
});

describeControl(control('REL-013'), {
  triggers: [
    {
      name: 'no permissions anywhere, and write-all',
      facts: withWorkflows([
        workflow([job('build', [checkout]), job('publish', [checkout], { permissions: { packages: 'write' } })], { permissions: undefined }),
        workflow([job('build', [checkout], { permissions: 'write-all' })], { file: '.github/workflows/release.yml' }),
        workflow([job('lint', [checkout])], { file: '.github/workflows/lint.yml', permissions: 'write-all' }),
      ]),
      resources: ['.github/workflows/deploy.yml', '.github/workflows/release.yml', '.github/workflows/lint.yml'],
    },
  ],
  passes: [
    { name: 'top-level read', facts: withWorkflows([workflow([job('build', [checkout])])]) },
    { name: 'every job sets its own', facts: withWorkflows([workflow([job('build', [checkout], { permissions: { contents: 'read' } }), job('x', [], { permissions: {} })], { permissions: undefined })]) },
  ],
});

const ungated = (environmentName = 'production') => workflow([job('production', [checkout, setImage('prod-eu'), rolloutStatus('prod-eu')], { environment: environmentName })]);

describeControl(control('REL-014'), {
  triggers: [
    { name: 'no gate at all', facts: withWorkflows([ungated()]), resources: ['.github/workflows/deploy.yml#production'] },
    {
      name: 'the gate runs after the deploy',
      facts: withWorkflows([workflow([job('production', [checkout, setImage('prod-eu'), gate], { environment: 'production' })])]),
      resources: ['.github/workflows/deploy.yml#production'],
    },
    {
      name: 'gate decisions for another environment only',
      facts: withLedger([ledgerEvent('gate.decided', 2, { service: 'api', environment: 'staging', decision: 'allow' })], withWorkflows([ungated()])),
      resources: ['.github/workflows/deploy.yml#production'],
    },
  ],
  passes: [
    { name: 'gate step before the deploy', facts: withWorkflows([workflow([job('production', deploySteps('prod-eu'), { environment: 'production' })])]) },
    {
      name: 'gate in a job it needs',
      facts: withWorkflows([workflow([job('gate', [{ run: 'npx steadyops gate check --service api --env production' }]), job('verify', [], { needs: ['gate'] }), job('production', [setImage('prod-eu'), rolloutStatus('prod-eu')], { environment: 'production', needs: ['verify'] })])]),
    },
    { name: 'the protection rule records gate decisions', facts: withLedger([ledgerEvent('gate.decided', 30, { service: 'api', environment: 'production', decision: 'allow' })], withWorkflows([ungated()])) },
    { name: 'a staging deploy', facts: withWorkflows([ungated('staging')]) },
  ],
});

describeControl(control('REL-015'), {
  triggers: [
    {
      name: 'checkout of the head sha, then a build',
      facts: withWorkflows([
        workflow(
          [
            job('test', [{ uses: 'actions/checkout@v4', with: { ref: '${{ github.event.pull_request.head.sha }}' } }, { run: 'npm ci && npm test' }]),
            job('label', [{ uses: 'actions/labeler@v5' }]),
            job('cli', [{ run: 'gh pr checkout ${{ github.event.number }}' }, { uses: './.github/actions/lint' }]),
          ],
          { on: ['pull_request_target'] },
        ),
      ]),
      resources: ['.github/workflows/deploy.yml#test', '.github/workflows/deploy.yml#cli'],
    },
  ],
  passes: [
    { name: 'pull_request, not _target', facts: withWorkflows([workflow([job('test', [{ uses: 'actions/checkout@v4', with: { ref: '${{ github.event.pull_request.head.sha }}' } }, { run: 'npm test' }])], { on: 'pull_request' })]) },
    { name: 'base checkout only', facts: withWorkflows([workflow([job('test', [{ uses: 'actions/checkout@v4' }, { run: 'npm test' }])], { on: { pull_request_target: { types: ['opened'] } } })]) },
    { name: 'head checkout that runs nothing', facts: withWorkflows([workflow([job('diff', [{ uses: 'actions/checkout@v4', with: { ref: '${{ github.head_ref }}' } }])], { on: 'pull_request_target' })]) },
  ],
});

describeControl(control('REL-016'), {
  triggers: [
    {
      name: 'a title in run and a comment in github-script',
      facts: withWorkflows([
        workflow([
          job('greet', [{ run: 'echo "Thanks for ${{ github.event.pull_request.title }}"' }]),
          job('triage', [{ uses: 'actions/github-script@v7', with: { script: 'const body = "${{ github.event.comment.body }}"' } }]),
          job('safe', [{ run: 'echo "$TITLE" ${{ github.event.pull_request.number }}' }]),
        ]),
      ]),
      resources: ['.github/workflows/deploy.yml#greet', '.github/workflows/deploy.yml#triage'],
    },
  ],
  passes: [{ name: 'through env', facts: withWorkflows([workflow([job('greet', [{ run: 'echo "$TITLE" for ${{ github.sha }} by ${{ github.actor }}' }])])]) }],
});

describeControl(control('REL-017'), {
  triggers: [
    {
      name: 'set image without rollout status, and helm without --wait',
      facts: withWorkflows([
        workflow([
          job('production', [checkout, gate, setImage('prod-eu')], { environment: 'production' }),
          job('prod-helm', [gate, { run: 'helm upgrade --install api ./chart --namespace payments' }], { environment: 'prod-us' }),
        ]),
      ]),
      resources: ['.github/workflows/deploy.yml#production', '.github/workflows/deploy.yml#prod-helm'],
    },
  ],
  passes: [
    { name: 'rollout status after', facts: withWorkflows([workflow([job('production', deploySteps('prod-eu'), { environment: 'production' })])]) },
    { name: 'helm --atomic', facts: withWorkflows([workflow([job('production', [gate, { run: 'helm upgrade --install api ./chart --atomic --timeout 10m' }], { environment: 'production' })])]) },
    { name: 'staging does not count', facts: withWorkflows([workflow([job('staging', [setImage('staging-eu')], { environment: 'staging' })])]) },
  ],
});

describeControl(control('REL-018'), {
  triggers: [
    {
      name: 'an AWS key pair from secrets',
      facts: withWorkflows([
        workflow([
          job('deploy', [{ uses: 'aws-actions/configure-aws-credentials@v4', with: { 'aws-access-key-id': '${{ secrets.AWS_ACCESS_KEY_ID }}', 'aws-secret-access-key': '${{ secrets.AWS_SECRET_ACCESS_KEY }}' } }]),
          job('gcp', [{ uses: 'google-github-actions/auth@v2', with: { credentials_json: '${{ secrets.GCP_SA_KEY }}' } }]),
        ]),
      ]),
      resources: ['.github/workflows/deploy.yml#deploy', '.github/workflows/deploy.yml#gcp'],
    },
  ],
  passes: [
    { name: 'OIDC role', facts: withWorkflows([workflow([job('deploy', [{ uses: 'aws-actions/configure-aws-credentials@v4', with: { 'role-to-assume': 'arn:aws:iam::1:role/x', 'aws-region': 'eu-west-1' } }])])]) },
    { name: 'no workflows', facts: emptyFacts() },
  ],
});

describe('workflow findings', () => {
  it('say where and why a deploy is ungated', () => {
    const [finding] = control('REL-014').evaluate(withWorkflows([ungated()]), new Date());
    expect(finding).toEqual({
      resource: '.github/workflows/deploy.yml#production',
      location: { file: '.github/workflows/deploy.yml', line: 5 },
      evidence: 'Job production deploys to production (environment production) at line 11 with no steadyops gate before it, and the ledger holds no gate decision for production.',
    });
  });
});
