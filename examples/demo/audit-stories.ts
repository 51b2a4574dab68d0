import { HOUR, MINUTE, alertsOf, loginOf, teamOf, tierServices } from './demo-context.ts';
import type { DemoContext, Origin } from './demo-context.ts';
import { dayAt } from './incident-stories.ts';
import { accessRequest, credentialOf } from './operations-activity.ts';
import { alertPair, handDeployed } from './release-activity.ts';

/**
 * Warning signs `steadyops audit` must find in the ledger, told as the stories they come from (README
 * "Gaps left on purpose"). They run after everything else, so the rest of the history stays as it was.
 */
export function auditStories(context: DemoContext): void {
  nightFix(context);
  billingDataFix(context);
}

/**
 * A night page on the last tier-1 service (fraud-scorer): the on-call is granted prod-k8s-operator from the
 * access broker's console with no approval (ACC-002), raises a timeout in the service's ConfigMap by hand, which
 * the Kubernetes watcher records with no commit, deploy or change record (DOC-004), and never commits it.
 * At 04:00 UTC no release of the day can be near it: merges happen in working hours.
 */
function nightFix(context: DemoContext): void {
  const tier1 = tierServices(context, 1);
  const service = tier1[tier1.length - 1]!;
  const team = teamOf(context, service.owner);
  const oncall = loginOf(team.members[1] ?? team.members[0]!);
  const platform = teamOf(context, 'platform');
  const granter = loginOf(platform.members[1] ?? platform.members[0]!);
  const role = (context.model.accessRoles[1] ?? context.model.accessRoles[0]!).name;
  const alert = alertsOf(service)[0]!;
  const paged = dayAt(context, 5, 3, 52);
  alertPair(context, service, 'production', alert, paged, paged + 31 * MINUTE);

  const requestId = 'AR-1977';
  const request = { role, requester: oncall, requestId, reason: `${alert.alertname} page: scorer timing out on the model service`, environment: 'production' };
  const access = (actor: string): Origin => ({ source: '/steadyops/access', subject: service.name, actor });
  const grantedAt = paged + 12 * MINUTE;
  context.emit(paged + 9 * MINUTE, 'dev.steadyops.access.requested', access(oncall), { ...request, duration: '2h' });
  context.emit(grantedAt, 'dev.steadyops.access.granted', access(granter), {
    ...request,
    expiresAt: new Date(grantedAt + 2 * HOUR).toISOString(),
    credentialId: credentialOf(context, role, oncall),
  });
  context.emit(grantedAt + 2 * HOUR, 'dev.steadyops.access.revoked', access('system:steadyops'), { ...request, reason: 'grant expired' });

  context.emit(paged + 19 * MINUTE, 'dev.steadyops.config.changed', { source: '/kubernetes/prod-eu', subject: service.name, actor: 'system:kubernetes' }, {
    service: service.name,
    environment: 'production',
    resource: `configmap/${service.owner}/${service.name}`,
    keys: ['MODEL_TIMEOUT_MS'],
    summary: 'changed MODEL_TIMEOUT_MS',
  });
}

/**
 * A month-end billing data fix, approved the proper way; but prod-db-admin hands out the shared `northwind_admin`
 * login, so this grant and the incident's break-glass use one credential as two people (ACC-001).
 */
function billingDataFix(context: DemoContext): void {
  const billing = handDeployed(context);
  const service = context.model.services.find((candidate) => candidate.name === billing?.service) ?? context.model.services[0]!;
  accessRequest(context, dayAt(context, 2, 10, 30), 'AR-1988', {
    approve: true,
    role: context.model.accessRoles[0]!.name,
    service: service.name,
    requester: billing?.person ?? loginOf(teamOf(context, service.owner).members[0]!),
    reason: `month-end data fix: re-run the failed ${service.name} invoice batch`,
  });
}
