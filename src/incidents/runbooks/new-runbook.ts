import { stringify } from 'yaml';
import type { ResolvedModel, ResolvedService } from '../../model/resolve.ts';
import { isCommandSpan } from './lint-runbooks.ts';
import { isRepositoryPath } from './read-runbooks.ts';

function dependencyLine(dependency: NonNullable<ResolvedService['dependsOn']>[number]): string {
  const kind = dependency.service ? 'service' : dependency.datastore ? 'datastore' : 'external';
  const name = dependency.service ?? dependency.datastore ?? dependency.external;
  return `- ${kind} \`${name}\`${dependency.critical ? ' (critical)' : ''}`;
}

function dashboardLinks(service: ResolvedService): string[] {
  return Object.entries(service.annotations)
    .filter(([key, value]) => /dashboard/i.test(key) && /^https?:\/\//.test(value))
    .map(([key, value]) => `- [${key}](${value})`);
}

/** A first action as a list item; commands written as code spans move into a fenced block below it. */
function actionItem(label: string, action: string): string[] {
  const commands = [...action.matchAll(/`([^`]+)`/g)].map((match) => match[1]!).filter(isCommandSpan);
  let index = 0;
  const text = action.trim().replace(/`([^`]+)`/g, (span, inner: string) => {
    if (!isCommandSpan(inner)) return span;
    index += 1;
    return commands.length === 1 ? 'the command below' : `command ${index} below`;
  });
  return [`- ${label}: ${text}`, ...(commands.length > 0 ? ['', ...shell(commands).map((line) => `  ${line}`), ''] : [])];
}

function shell(lines: readonly string[]): string[] {
  return ['```shell', ...lines, '```'];
}

function kubernetesSections(service: ResolvedService): { checks: string[]; rollback: string[] } {
  const runtime = service.runtime;
  if (runtime?.kind !== 'kubernetes') {
    return {
      checks: ['The model gives no Kubernetes runtime for this service; write how to check a release here.', '', ...shell(['git rev-parse --short HEAD'])],
      rollback: ['Write how to return to the previous release here.'],
    };
  }
  const { namespace, deployment } = runtime;
  const context = runtime.context ? ` --context ${runtime.context}` : '';
  return {
    checks: [
      `Which commit is checked out, whether the rollout of \`${deployment}\` finished, where its pods run, and what they log:`,
      '',
      ...shell([
        'git rev-parse --short HEAD',
        `kubectl${context} rollout status deployment/${deployment} -n ${namespace}`,
        `kubectl${context} get pods -n ${namespace} -o wide`,
        `kubectl${context} logs -n ${namespace} deploy/${deployment} --tail=100`,
      ]),
    ],
    rollback: [
      `Check first that the release can go back (the first command reads its migrations), then return \`${deployment}\` to its previous ReplicaSet:`,
      '',
      ...shell([`steadyops rollback check ${service.name}`, `kubectl${context} rollout undo deployment/${deployment} -n ${namespace}`, `kubectl${context} rollout status deployment/${deployment} -n ${namespace}`]),
    ],
  };
}

/** A runbook for a service, from the model (pure; `today` is YYYY-MM-DD). It passes `steadyops runbook lint`. */
export function newRunbook(model: ResolvedModel, service: ResolvedService, today: string): string {
  const routes = service.alerts ?? [];
  const frontMatter = stringify({ service: service.name, alerts: routes.map((route) => route.alertname), owner: service.owner, lastReviewed: today }).trimEnd();
  const team = model.teams.find((entry) => entry.name === service.owner);
  const { checks, rollback } = kubernetesSections(service);
  const dashboards = dashboardLinks(service);
  const firstActions = routes.filter((route) => route.firstAction?.trim());
  return [
    '---',
    frontMatter,
    '---',
    '',
    `# ${service.title ?? service.name} runbook`,
    '',
    `Owner: team \`${service.owner}\`${team?.chat ? ` (${team.chat.channel})` : ''}. Tier ${service.tier}.${service.description ? ` ${service.description}` : ''}`,
    '',
    '## First action',
    '',
    ...(firstActions.length > 0 ? firstActions.flatMap((route) => actionItem(route.alertname, route.firstAction!)) : ['Write the first safe step here (roll back, fail over, switch a flag off).']),
    '',
    '## Alerts',
    '',
    ...(routes.length > 0 ? routes.map((route) => `- ${route.alertname} (${route.severity ?? 'no severity'})${route.runbook && !isRepositoryPath(route.runbook) ? `: ${route.runbook}` : ''}`) : ['The model routes no alerts to this service.']),
    '',
    '## Dependencies',
    '',
    ...((service.dependsOn ?? []).length > 0 ? service.dependsOn!.map(dependencyLine) : ['None declared in the model.']),
    ...(dashboards.length > 0 ? ['', '## Dashboards', '', ...dashboards] : []),
    '',
    '## Release confidence checks',
    '',
    ...checks,
    '',
    '## Rollback',
    '',
    ...rollback,
    '',
  ].join('\n');
}
