import type { DemoService } from './demo-model.ts';
import { DAY, HOUR, MINUTE, alertsOf, loginOf, teamOf, tierServices, versionText } from './demo-context.ts';
import type { DemoContext, Origin, Version } from './demo-context.ts';
import { accessRequest, configChange, credentialOf, flagChange } from './operations-activity.ts';
import { alertPair, demoDeployId, fixForwardNext } from './release-activity.ts';
import type { ScriptedRelease } from './release-activity.ts';

/** A moment `daysAgo` days before now at hh:mm UTC, kept inside the window. */
export function dayAt(context: DemoContext, daysAgo: number, hour: number, minute: number): number {
  const clamped = Math.min(daysAgo, Math.max(context.days - 1, 0));
  return Math.floor((context.now - clamped * DAY) / DAY) * DAY + hour * HOUR + minute * MINUTE;
}

function incidentOrigin(context: DemoContext, service: DemoService, actor: string): Origin {
  return { source: '/steadyops/incidents', subject: service.name, actor };
}

/** Incident A: an acquirer outage on the second tier-1 service, mitigated by a failover flag. */
export function acquirerIncident(context: DemoContext): void {
  const tier1 = tierServices(context, 1);
  const service = tier1[1] ?? tier1[0]!;
  const team = teamOf(context, service.owner);
  const commander = loginOf(team.members[0]!);
  const responder = loginOf(team.members[1] ?? team.members[0]!);
  const start = dayAt(context, 9, 14, 10);
  const incidentId = 'INC-2041';
  const origin = (actor: string) => incidentOrigin(context, service, actor);
  const alert = alertsOf(service)[0]!;
  const fingerprint = alertPair(context, service, 'production', alert, start, start + 52 * MINUTE);
  context.emit(start + 4 * MINUTE, 'dev.steadyops.incident.declared', origin(responder), {
    incidentId,
    title: `${service.name}: card authorisations failing`,
    severity: 'sev2',
    services: [service.name],
    environment: 'production',
    commander,
    summary: 'Authorisation error ratio at 18% for card payments.',
    fromAlert: fingerprint,
  });
  context.emit(start + 6 * MINUTE, 'dev.steadyops.incident.acknowledged', origin(responder), { incidentId, by: responder });
  context.emit(start + 15 * MINUTE, 'dev.steadyops.incident.updated', origin(commander), {
    incidentId,
    message: 'Primary acquirer returns HTTP 502 for about a fifth of calls; their status page confirms degradation.',
    status: 'identified',
  });
  flagChange(context, start + 22 * MINUTE, 'acquirer-failover', true, service.name);
  context.emit(start + 26 * MINUTE, 'dev.steadyops.incident.mitigated', origin(commander), {
    incidentId,
    summary: 'Traffic failed over to the secondary acquirer; authorisations back to normal.',
  });
  context.emit(start + 40 * MINUTE, 'dev.steadyops.incident.updated', origin(commander), {
    incidentId,
    message: 'Monitoring; the primary acquirer is still degraded.',
    status: 'monitoring',
  });
  context.emit(start + 2 * HOUR, 'dev.steadyops.incident.resolved', origin(commander), {
    incidentId,
    summary: 'Primary acquirer recovered; failover flag left on until their post-incident report.',
  });
  const postmortemAt = start + 2 * DAY;
  const dueIn = (days: number): string => new Date(postmortemAt + days * DAY).toISOString().slice(0, 10);
  // the alert is due four days after the postmortem and nothing merged ever names PAY-302 (a planted gap: INC-001); the failover is due later
  context.emit(postmortemAt, 'dev.steadyops.incident.postmortem', origin(commander), {
    incidentId,
    url: `https://wiki.northwindpay.example/postmortems/${incidentId}`,
    followUps: [
      { title: 'Automatic acquirer failover on error ratio', owner: commander.replace('github:', ''), issue: 'PAY-301', due: dueIn(21) },
      { title: 'Alert on acquirer 5xx before customers notice', owner: responder.replace('github:', ''), issue: 'PAY-302', due: dueIn(4) },
    ],
  });
}

/** Incident B: a bad release of the first tier-1 service, break-glass access, and a rollback. */
function badReleaseIncident(context: DemoContext): ScriptedRelease {
  const service = tierServices(context, 1)[0]!;
  return {
    at: dayAt(context, 4, 9, 40),
    service,
    options: {
      productionDelay: 35 * MINUTE,
      clean: true,
      afterProduction: (deployedAt, version, previous) => incidentAfterRelease(context, service, deployedAt, version, previous),
    },
  };
}

function incidentAfterRelease(context: DemoContext, service: DemoService, deployedAt: number, version: Version, previous: Version): void {
  const team = teamOf(context, service.owner);
  const commander = loginOf(team.members[0]!);
  const oncall = loginOf(team.members[2] ?? team.members[0]!);
  const incidentId = 'INC-2047';
  const origin = (actor: string) => incidentOrigin(context, service, actor);
  const alert = alertsOf(service)[0]!;
  const firingAt = deployedAt + 3 * MINUTE;
  // the on-call engineer declares it from the page it raised
  const fingerprint = alertPair(context, service, 'production', alert, firingAt, firingAt + 16 * MINUTE, { version: versionText(version) });
  context.emit(firingAt + 2 * MINUTE, 'dev.steadyops.incident.declared', origin(oncall), {
    incidentId,
    title: `${service.name}: requests failing after release`,
    severity: 'sev1',
    services: [service.name],
    environment: 'production',
    commander,
    summary: '5xx ratio above 20% right after the production deploy.',
    fromAlert: fingerprint,
    causedBy: { deployId: demoDeployId(service.name, 'production', version) },
  });
  context.emit(firingAt + 3 * MINUTE, 'dev.steadyops.incident.acknowledged', origin(oncall), { incidentId, by: oncall });
  const breakGlassAt = firingAt + 5 * MINUTE;
  const accessOrigin: Origin = { source: '/steadyops/access', subject: service.name, actor: oncall };
  const grant = {
    role: context.model.accessRoles[0]!.name,
    requester: oncall,
    requestId: 'BG-0007',
    reason: `${incidentId}: migration holds a lock on orders; need to cancel it`,
    environment: 'production',
  };
  context.emit(breakGlassAt, 'dev.steadyops.access.breakglass', accessOrigin, {
    ...grant,
    expiresAt: new Date(breakGlassAt + HOUR).toISOString(),
    notified: ['#security', `#team-${team.name}`],
    credentialId: credentialOf(context, grant.role, oncall),
  });
  const rollbackOrigin: Origin = { source: '/kubernetes/prod-eu', subject: service.name, actor: oncall };
  const rollback = {
    service: service.name,
    environment: 'production',
    fromVersion: versionText(version),
    toVersion: versionText(previous),
    reason: `${incidentId}: error ratio after deploy`,
    strategy: 'kubernetes-undo' as const,
    automatic: false,
    deployId: demoDeployId(service.name, 'production', version),
  };
  context.emit(firingAt + 7 * MINUTE, 'dev.steadyops.rollback.started', rollbackOrigin, rollback);
  context.emit(firingAt + 10 * MINUTE, 'dev.steadyops.rollback.finished', rollbackOrigin, { ...rollback, outcome: 'succeeded', durationSeconds: 180 });
  context.versions.set(`${service.name}@production`, previous);
  context.emit(firingAt + 12 * MINUTE, 'dev.steadyops.incident.mitigated', origin(commander), {
    incidentId,
    summary: `Rolled back to ${rollback.toVersion}; error ratio back under 0.1%.`,
  });
  context.emit(firingAt + 35 * MINUTE, 'dev.steadyops.access.revoked', { ...accessOrigin, actor: commander }, {
    ...grant,
    reason: 'break-glass no longer needed',
    revokedBy: commander,
  });
  context.emit(firingAt + 70 * MINUTE, 'dev.steadyops.incident.resolved', origin(commander), {
    incidentId,
    summary: 'A migration in the release locked the orders table; rolled back and fixed forward the next day.',
  });
  fixForwardNext(context, service.name, incidentId);
  context.emit(firingAt + DAY, 'dev.steadyops.incident.postmortem', origin(commander), {
    incidentId,
    url: `https://wiki.northwindpay.example/postmortems/${incidentId}`,
    followUps: [{ title: 'Block releases whose migrations take ACCESS EXCLUSIVE locks', owner: commander.replace('github:', ''), issue: 'PAY-311' }],
  });
}

/** Releases the stories need, for the release train to run in time order with the rest. */
export function scriptedReleases(context: DemoContext): ScriptedRelease[] {
  const tier1 = tierServices(context, 1);
  const tier2 = tierServices(context, 2);
  return [
    badReleaseIncident(context),
    { at: context.now - 29 * MINUTE, service: tier1[0]!, options: { productionDelay: 0, clean: true } },
    { at: context.now - 24 * MINUTE, service: tier2[Math.min(2, tier2.length - 1)]!, options: { productionDelay: HOUR } },
  ];
}

/** The last 30 minutes besides its releases: a config change, a flag, an access grant and a new alert. */
export function recentBurst(context: DemoContext): void {
  const now = context.now;
  const tier1 = tierServices(context, 1);
  const first = tier1[0]!;
  configChange(context, now - 17 * MINUTE, (tier1[1] ?? first).name);
  flagChange(context, now - 12 * MINUTE, 'fraud-rules-v2', true, 'fraud-scorer');
  accessRequest(context, now - 9 * MINUTE, 'AR-2001', { approve: true, team: first.owner });
  alertPair(context, first, 'production', alertsOf(first)[1] ?? alertsOf(first)[0]!, now - 5 * MINUTE, undefined);
}
