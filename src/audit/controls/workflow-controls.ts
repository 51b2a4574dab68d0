import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts, WorkflowFact, WorkflowStepFact } from '../facts.ts';
import { asRecord, asString, listed } from './plain-values.ts';
import {
  commandsOf,
  isDeployCommand,
  jobCommands,
  jobDraft,
  productionDeploys,
  shortCommand,
  toolOf,
  triggersOf,
  upstreamJobs,
  withText,
  workflowDraft,
  type Command,
  type ProductionDeploy,
} from './workflow-jobs.ts';

/** REL-010..029: how the GitHub Actions workflows release to production. */
export const workflowControls: readonly Control[] = [
  {
    id: 'REL-010',
    title: 'Production deploy job has no GitHub environment',
    domain: 'release',
    severity: 'high',
    risk: 'A job without `environment:` cannot have required reviewers, wait timers, branch restrictions or deployment protection rules: any push that reaches the workflow goes straight to production, and GitHub records no deployment.',
    detection: 'Workflow jobs that deploy (kubectl apply/set image, helm upgrade, terraform apply, argocd app sync, a deploy action, ...) to production (by job id or name, or a deploy command naming a production environment or Kubernetes context from the model) and set no `environment:`.',
    remediation: 'Deploy from a job bound to a GitHub environment named like the model Environment, and protect it with required reviewers or the steadyops deployment protection rule.',
    example: ['jobs:', '  production:', '    needs: [build, staging]', '    runs-on: ubuntu-latest', '    environment: production   # required reviewers + steadyops protection rule', '    steps:', '      - run: kubectl --context prod-eu set image deployment/checkout-api checkout-api=$IMAGE'].join('\n'),
    effort: 'S',
    soc2: ['CC8.1', 'CC6.1'],
    needs: ['workflows'],
    evaluate: (facts) =>
      productionDeploys(facts)
        .filter(({ job }) => job.environment === undefined)
        .map(({ workflow, job, deployStep, because }) =>
          jobDraft(workflow, job, `Job ${job.id} deploys to production (${because}) at line ${job.steps[deployStep]?.line ?? job.line} without a GitHub environment, so no reviewer or protection rule can stop it.`),
        ),
  },
  {
    id: 'REL-011',
    title: 'Third-party action not pinned to a commit SHA',
    domain: 'release',
    severity: 'high',
    risk: "A tag or branch of someone else's action can be moved to new code at any time (as with tj-actions/changed-files in 2025): the next run executes it with this workflow's secrets and token.",
    detection: 'Steps and reusable-workflow jobs whose `uses:` points outside the actions/ and github/ organisations (those are REL-012) at a ref that is not a full 40-character commit SHA, and docker:// actions without a digest.',
    remediation: 'Pin every third-party action to the full commit SHA of a reviewed release, keep the version in a comment, and let Dependabot or Renovate propose updates.',
    example: [
      '# the commit a reviewed tag points to: git ls-remote https://github.com/tj-actions/changed-files refs/tags/v46.0.5',
      '- uses: tj-actions/changed-files@<that 40-character commit SHA> # v46.0.5',
      '',
      '# .github/dependabot.yml',
      'version: 2',
      'updates:',
      '  - package-ecosystem: github-actions',
      '    directory: /',
      '    schedule: { interval: weekly }',
    ].join('\n'),
    effort: 'S',
    soc2: ['CC8.1', 'CC9.2', 'CC6.8'],
    needs: ['workflows'],
    evaluate: (facts) => unpinnedActionDrafts(facts, false),
  },
  {
    id: 'REL-012',
    title: 'GitHub-owned action not pinned to a commit SHA',
    domain: 'release',
    severity: 'low',
    risk: 'Actions of the actions/ and github/ organisations are maintained by GitHub, so a moved tag is unlikely to be malicious, but the workflow still runs whatever the tag points to today: builds are not reproducible and a compromised maintainer account would reach every pipeline.',
    detection: 'Steps whose `uses:` is an actions/* or github/* action at a ref that is not a full 40-character commit SHA.',
    remediation: 'Pin GitHub-owned actions to a commit SHA too (with the version in a comment) and let Dependabot update them; this is hygiene, so it is reported apart from third-party actions (REL-011).',
    example: '- uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    effort: 'S',
    soc2: ['CC8.1'],
    needs: ['workflows'],
    evaluate: (facts) => unpinnedActionDrafts(facts, true),
  },
  {
    id: 'REL-013',
    title: 'Workflow token keeps default or write-all permissions',
    domain: 'release',
    severity: 'medium',
    risk: 'Without `permissions:` the GITHUB_TOKEN gets the repository default, which is read-write on older repositories and organisations; any compromised step or dependency can then push code, create releases or change packages.',
    detection: 'Workflows with no top-level `permissions:` and jobs that set none, or with `permissions: write-all` at the top level or in a job.',
    remediation: 'Set `permissions: contents: read` at the top of every workflow and grant each job only the scopes it needs (packages: write to push an image, id-token: write for OIDC).',
    example: ['permissions:', '  contents: read', 'jobs:', '  build:', '    permissions:', '      contents: read', '      packages: write', '      id-token: write'].join('\n'),
    effort: 'S',
    soc2: ['CC6.1', 'CC6.3'],
    needs: ['workflows'],
    evaluate: (facts) =>
      facts.workflows.flatMap((workflow) => {
        const problems = permissionProblems(workflow);
        return problems.length > 0 ? [workflowDraft(workflow, `${workflow.file}: ${problems.join('; ')}.`)] : [];
      }),
  },
  {
    id: 'REL-014',
    title: 'Production deploy has no steadyops gate before it',
    domain: 'release',
    severity: 'high',
    risk: 'Nothing checks the error budget, firing alerts, open incidents, freeze windows or approvals before the release: a deploy goes out in the middle of an incident, and the audit trail has no gate decision for it.',
    detection: 'Production deploy jobs with no step running `steadyops gate check` (or the steadyops action) before the first deploy step, in the job itself or in a job it needs; a job whose GitHub environment already has gate decisions in the ledger (the steadyops deployment protection rule) passes.',
    remediation: 'Run the steadyops gate before the deploy step (or install the steadyops GitHub App as a deployment protection rule of the environment).',
    example: [
      'steps:',
      '  - uses: steadyops/steadyops@v1   # pin to a SHA',
      '    with:',
      '      server: https://steadyops.example',
      '      token: ${{ secrets.STEADYOPS_TOKEN }}',
      '      service: checkout-api',
      '      environment: production',
      '  - run: kubectl --context prod-eu set image deployment/checkout-api checkout-api=$IMAGE',
    ].join('\n'),
    effort: 'S',
    soc2: ['CC8.1'],
    needs: ['workflows'],
    evaluate: (facts) =>
      productionDeploys(facts)
        .filter((deploy) => !isGated(deploy) && !gatedInLedger(facts, deploy.job.environment))
        .map(({ workflow, job, deployStep, because }) => {
          const step = job.steps[deployStep];
          return jobDraft(
            workflow,
            job,
            `Job ${job.id} deploys to production (${because}) at line ${step?.line ?? job.line} with no steadyops gate before it${job.environment ? `, and the ledger holds no gate decision for ${job.environment}` : ''}.`,
          );
        }),
  },
  {
    id: 'REL-015',
    title: 'pull_request_target workflow runs code from the pull request',
    domain: 'release',
    severity: 'critical',
    risk: "`pull_request_target` runs with the base repository's secrets and a write token; checking out the pull request's head and then running anything from it (a build, a script, a local action) lets any outside contributor run code with those secrets: the classic 'pwn request'.",
    detection: 'Jobs of workflows triggered by pull_request_target that check out the pull request head (actions/checkout with ref or repository from github.event.pull_request.head, github.head_ref or refs/pull/, or `gh pr checkout`) and run a script or local action after it.',
    remediation: 'Build untrusted code in a `pull_request` workflow without secrets; if a privileged follow-up is needed, pass data through an artifact to a `workflow_run` workflow that never executes it.',
    example: ['on: pull_request          # not pull_request_target', 'permissions:', '  contents: read', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', '      - run: npm ci && npm test'].join('\n'),
    effort: 'M',
    soc2: ['CC6.1', 'CC6.8'],
    needs: ['workflows'],
    evaluate: (facts) =>
      facts.workflows
        .filter((workflow) => triggersOf(workflow).includes('pull_request_target'))
        .flatMap((workflow) =>
          workflow.jobs.flatMap((job) => {
            const checkout = job.steps.findIndex((step, index) => checksOutPullRequest(step, index));
            const runs = checkout === -1 ? undefined : job.steps.slice(checkout + 1).find((step) => step.run !== undefined || step.uses?.startsWith('./'));
            const checkoutStep = job.steps[checkout];
            return runs && checkoutStep
              ? [jobDraft(workflow, job, `Job ${job.id} runs on pull_request_target, checks out the pull request head at line ${checkoutStep.line} and runs it at line ${runs.line}.`, checkoutStep.line)]
              : [];
          }),
        ),
  },
  {
    id: 'REL-016',
    title: 'Workflow script interpolates untrusted event text',
    domain: 'release',
    severity: 'high',
    risk: 'A `${{ github.event.pull_request.title }}` (or issue body, comment, branch name, commit message) inside `run:` is pasted into the shell before it runs: anyone who can open an issue or a pull request can inject commands that run with the job\'s secrets.',
    detection: "`run:` scripts and actions/github-script `script:` inputs containing `${{ }}` expressions over attacker-controlled event fields (GitHub Security Lab's list: titles, bodies, comments, head_ref, branch and commit fields).",
    remediation: 'Pass the value through an environment variable and quote it in the script, so the shell sees data, not code.',
    example: ['- env:', '    TITLE: ${{ github.event.pull_request.title }}', '  run: echo "Checking $TITLE"'].join('\n'),
    effort: 'S',
    soc2: ['CC6.8', 'CC8.1'],
    needs: ['workflows'],
    evaluate: (facts) =>
      facts.workflows.flatMap((workflow) =>
        workflow.jobs.flatMap((job) => {
          const found = job.steps.flatMap((step) => untrustedExpressions(step).map((expression) => ({ expression, line: step.line })));
          if (found.length === 0) return [];
          const expressions = [...new Set(found.map(({ expression }) => expression))];
          return [jobDraft(workflow, job, `Job ${job.id} pastes ${listed(expressions)} into a script (line ${found[0]?.line ?? job.line}).`, found[0]?.line)];
        }),
      ),
  },
  {
    id: 'REL-017',
    title: 'Production deploy does not wait for the rollout',
    domain: 'release',
    severity: 'medium',
    risk: "`kubectl apply` or `set image` returns as soon as the API server accepts the change, and `helm upgrade` without --wait as soon as the manifests are sent: the pipeline reports success while the new pods crash-loop, and nobody rolls back.",
    detection: 'Production deploy jobs with a kubectl apply/set image/patch/replace/rollout restart not followed by `kubectl rollout status` (or `kubectl wait`, `kubectl argo rollouts status`), or a helm upgrade/install/rollback without --wait or --atomic.',
    remediation: 'Wait for the rollout with a timeout so a failed rollout fails the job (and can trigger `kubectl rollout undo` or the steadyops rollout guard).',
    example: ['- run: kubectl --context prod-eu set image deployment/checkout-api checkout-api=$IMAGE', '- run: kubectl --context prod-eu rollout status deployment/checkout-api --timeout=15m', '# or', '- run: helm upgrade --install checkout-api ./chart --atomic --timeout 15m'].join('\n'),
    effort: 'S',
    soc2: ['CC8.1', 'CC7.2'],
    needs: ['workflows'],
    evaluate: (facts) =>
      productionDeploys(facts).flatMap(({ workflow, job }) => {
        const unwaited = unwaitedDeploy(jobCommands(job));
        return unwaited ? [jobDraft(workflow, job, `Job ${job.id} runs \`${shortCommand(unwaited.command)}\` at line ${unwaited.command.line} ${unwaited.why}.`, unwaited.command.line)] : [];
      }),
  },
  {
    id: 'REL-018',
    title: 'Workflow signs in to the cloud with a static key',
    domain: 'release',
    severity: 'medium',
    risk: 'A long-lived cloud key stored as a repository secret works from anywhere until someone rotates it, is shared by every workflow that can read it, and leaks with any step that prints or uploads it.',
    detection: 'Steps using aws-actions/configure-aws-credentials with aws-access-key-id, google-github-actions/auth with credentials_json, or azure/login with creds.',
    remediation: "Use GitHub's OIDC token to assume a role scoped to the repository and environment (role-to-assume, workload_identity_provider, client-id with federated credentials), and delete the static key.",
    example: ['permissions:', '  id-token: write', '  contents: read', 'steps:', '  - uses: aws-actions/configure-aws-credentials@<commit SHA> # v4', '    with:', '      role-to-assume: arn:aws:iam::123456789012:role/deploy-production', '      aws-region: eu-west-1'].join('\n'),
    effort: 'M',
    soc2: ['CC6.1'],
    needs: ['workflows'],
    evaluate: (facts) =>
      facts.workflows.flatMap((workflow) =>
        workflow.jobs.flatMap((job) => {
          const found = job.steps.flatMap((step) => staticKeyInput(step));
          return found.length > 0 && found[0]
            ? [jobDraft(workflow, job, `Job ${job.id} signs in with a static key: ${listed(found.map(({ what }) => what))}.`, found[0].line)]
            : [];
        }),
      ),
  },
];

interface ActionUse {
  readonly uses: string;
  readonly line: number;
}

function actionUses(workflow: WorkflowFact): readonly ActionUse[] {
  return workflow.jobs.flatMap((job) => [
    ...(job.uses ? [{ uses: job.uses, line: job.line }] : []),
    ...job.steps.flatMap((step) => (step.uses ? [{ uses: step.uses, line: step.line }] : [])),
  ]);
}

/** A ref is pinned when it is a full commit SHA (or a docker:// image digest); local actions are part of the repository. */
export function isPinnedAction(uses: string): boolean {
  if (uses.startsWith('./')) return true;
  if (uses.startsWith('docker://')) return uses.includes('@sha256:');
  const ref = uses.slice(uses.lastIndexOf('@') + 1);
  return uses.includes('@') && /^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(ref);
}

function isGithubOwned(uses: string): boolean {
  return /^(actions|github)\//i.test(uses);
}

function unpinnedActionDrafts(facts: AuditFacts, githubOwned: boolean): FindingDraft[] {
  return facts.workflows.flatMap((workflow) => {
    const unpinned = actionUses(workflow).filter(({ uses }) => !isPinnedAction(uses) && isGithubOwned(uses) === githubOwned);
    const first = unpinned[0];
    if (!first) return [];
    const refs = [...new Set(unpinned.map(({ uses }) => uses))];
    return [workflowDraft(workflow, `${workflow.file} uses ${listed(refs)} by tag or branch, not by commit SHA.`, first.line)];
  });
}

function permissionProblems(workflow: WorkflowFact): string[] {
  const problems: string[] = [];
  if (workflow.permissions === 'write-all') problems.push('permissions: write-all at the top level');
  const writeAll = workflow.jobs.filter((job) => job.permissions === 'write-all').map((job) => job.id);
  if (writeAll.length > 0) problems.push(`permissions: write-all in job ${listed(writeAll)}`);
  if (workflow.permissions === undefined) {
    const unset = workflow.jobs.filter((job) => job.permissions === undefined).map((job) => job.id);
    if (unset.length > 0) problems.push(`no top-level permissions, and job ${listed(unset)} ${unset.length === 1 ? 'sets' : 'set'} none, so the token gets the repository's default rights`);
  }
  return problems;
}

/** `steadyops gate check` in a script, the steadyops action (`owner/steadyops@ref`), or a local action of the steadyops repository itself. */
export function isGateStep(step: WorkflowStepFact): boolean {
  if (step.run && /\bsteadyops(\.js)?\s+gate\s+check\b/.test(step.run)) return true;
  const action = step.uses?.split('@')[0]?.replace(/\/+$/, '');
  if (action === undefined) return false;
  return /^[^/]+\/steadyops(\/|$)/i.test(action) || action === '.' || (action.startsWith('./') && /steadyops/i.test(action));
}

function isGated({ workflow, job, deployStep }: ProductionDeploy): boolean {
  return job.steps.slice(0, deployStep).some(isGateStep) || upstreamJobs(workflow, job).some((upstream) => upstream.steps.some(isGateStep));
}

/** Gate decisions for the environment in the ledger: the steadyops deployment protection rule gates it outside the workflow. */
function gatedInLedger(facts: AuditFacts, environment: string | undefined): boolean {
  if (environment === undefined) return false;
  return (facts.ledger?.events ?? []).some(
    (event) => event.type === 'dev.steadyops.gate.decided' && (event.environment ?? asString(asRecord(event.data)?.['environment'])) === environment,
  );
}

const pullRequestHead = /github\.event\.pull_request\.head\.(sha|ref|repo)|github\.head_ref|refs\/pull\/|pull_request\.merge_commit_sha/;

function checksOutPullRequest(step: WorkflowStepFact, index: number): boolean {
  if (step.uses && /^actions\/checkout@/i.test(step.uses)) {
    return [withText(step, 'ref'), withText(step, 'repository')].some((value) => value !== undefined && pullRequestHead.test(value));
  }
  return commandsOf(step, index).some(
    ({ words }) => (words[0] === 'gh' && words[1] === 'pr' && words[2] === 'checkout') || (words[0] === 'git' && ['fetch', 'checkout', 'pull'].includes(words[1] ?? '') && pullRequestHead.test(words.join(' '))),
  );
}

/** Event fields anyone who opens an issue or a pull request controls (GitHub Security Lab's list). */
const untrusted =
  /\$\{\{\s*(github\.head_ref|github\.event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.ref|head\.label|head\.repo\.default_branch)|comment\.body|review\.body|review_comment\.body|discussion\.(?:title|body)|pages\.[\w*]+\.page_name|commits\.[\w*]+\.(?:message|author\.(?:email|name))|head_commit\.(?:message|author\.(?:email|name))|workflow_run\.(?:head_branch|display_title|head_commit\.(?:message|author\.(?:email|name)))))\s*\}\}/g;

function untrustedExpressions(step: WorkflowStepFact): string[] {
  const script = step.uses && /^actions\/github-script@/i.test(step.uses) ? withText(step, 'script') : undefined;
  return [step.run, script].flatMap((text) => (text ? [...text.matchAll(untrusted)].map((match) => match[1] ?? '') : []));
}

const rolloutVerbs = [['apply'], ['replace'], ['patch'], ['set', 'image'], ['set', 'env'], ['rollout', 'restart'], ['argo', 'rollouts', 'set']];

function startsWithVerbs(args: readonly string[], verbs: readonly (readonly string[])[]): boolean {
  return verbs.some((sequence) => args.slice(0, 4).some((_, index) => sequence.every((verb, offset) => args[index + offset] === verb)));
}

function waitsForRollout(command: Command): boolean {
  const found = toolOf(command);
  return found !== undefined && ['kubectl', 'oc'].includes(found.tool) && startsWithVerbs(found.args, [['rollout', 'status'], ['wait'], ['argo', 'rollouts', 'status']]);
}

/** The first deploy command that does not wait for its rollout, and why. */
function unwaitedDeploy(commands: readonly Command[]): { command: Command; why: string } | undefined {
  for (const [index, command] of commands.entries()) {
    const found = toolOf(command);
    if (!found || !isDeployCommand(command)) continue;
    if (found.tool === 'helm' && !command.words.some((word) => /^--(wait|atomic|rollback-on-failure)(=(?!false).*)?$/.test(word))) {
      return { command, why: 'without --wait or --atomic' };
    }
    if (['kubectl', 'oc'].includes(found.tool) && startsWithVerbs(found.args, rolloutVerbs) && !commands.slice(index + 1).some(waitsForRollout)) {
      return { command, why: 'and never waits for `kubectl rollout status`' };
    }
  }
  return undefined;
}

const staticKeyInputs: readonly (readonly [action: string, input: string])[] = [
  ['aws-actions/configure-aws-credentials', 'aws-access-key-id'],
  ['google-github-actions/auth', 'credentials_json'],
  ['azure/login', 'creds'],
];

function staticKeyInput(step: WorkflowStepFact): { what: string; line: number }[] {
  const action = step.uses?.split('@')[0]?.toLowerCase();
  return staticKeyInputs
    .filter(([name, input]) => action === name && step.with?.[input] !== undefined)
    .map(([name, input]) => ({ what: `${name} with ${input} (line ${step.line})`, line: step.line }));
}

