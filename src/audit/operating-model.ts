import type { LedgerEvent } from '../ledger/types.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import type { OperatingModel, OperatingModelAssessment } from './audit-report.ts';
import { deploysOf, eventsOfLastDays, isProductionEnvironment } from './controls/ledger-history.ts';
import type { Finding } from './run-audit.ts';

/**
 * The decision matrix, two questions:
 *   size: is production big enough that running it is a job of its own? (two or more size signals)
 *   gaps: is production carrying risk its owners have not closed? (any gap signal)
 *
 *                   few gaps                        serious gaps
 *   smaller         ad hoc help                     fractional SRE ownership
 *   larger          developer-owned operations      full platform team
 */
export const sizeSignals = { services: 12, teams: 4, tier1Services: 4, deploysPerWeek: 20 } as const;
export const sizeSignalsNeeded = 2;
export const gapSignals = { openCritical: 1, openHigh: 5, onCallCoveragePercent: 100 } as const;

export const matrix: Readonly<Record<'smaller' | 'larger', Readonly<Record<'few' | 'serious', OperatingModel>>>> = {
  smaller: { few: 'ad-hoc-help', serious: 'fractional-sre-ownership' },
  larger: { few: 'developer-owned-operations', serious: 'full-platform-team' },
};

const why: Readonly<Record<OperatingModel, string>> = {
  'ad-hoc-help': 'a small production estate with few open gaps: the developers run it, with expert help when they ask for it',
  'developer-owned-operations': 'a larger estate that its teams already run well: keep "you build it, you run it", with shared tooling and standards',
  'fractional-sre-ownership': 'a small estate with serious open gaps: a part-time SRE owner closes them and sets the habits, without a team of their own',
  'full-platform-team': 'a larger estate with serious open gaps: production needs a dedicated platform team to close them and keep them closed',
};

export interface OperatingModelInput {
  readonly findings: readonly Finding[];
  readonly model?: ResolvedModel;
  /** ledger history, for the deploy rate over the last 30 days */
  readonly events?: readonly LedgerEvent[];
  readonly now: Date;
}

export function assessOperatingModel(input: OperatingModelInput): OperatingModelAssessment {
  const facts = operatingFacts(input);
  const size = sizeReasons(facts);
  const gaps = gapReasons(facts);
  const scale = size.length >= sizeSignalsNeeded ? 'larger' : 'smaller';
  const risk = gaps.length > 0 ? 'serious' : 'few';
  const recommended = matrix[scale][risk];
  const reasons = [
    scale === 'larger'
      ? `larger estate: ${size.join('; ')}`
      : `smaller estate: ${size.length === 0 ? 'no size signal' : `only ${size.join('; ')}`} (${sizeSignalsNeeded} of ${Object.keys(sizeSignals).length} size signals make it larger)`,
    risk === 'serious' ? `serious gaps: ${gaps.join('; ')}` : 'few gaps: no open critical finding, fewer than 5 open high findings and every production team on call',
    ...(input.model ? [] : ['no ownership model: services, teams and on-call coverage are unknown, so the estate counts as smaller']),
    ...(input.events ? [] : ['no ledger: the deploy rate is unknown']),
    `${recommended}: ${why[recommended]}`,
  ];
  return { recommended, reasons, facts };
}

function operatingFacts(input: OperatingModelInput): Record<string, number> {
  const open = input.findings.filter((finding) => finding.status === 'open');
  const model = input.model;
  const coverage = model ? onCallCoverage(model) : undefined;
  const deploys = input.events ? deploysPerWeek(input.events, model, input.now) : undefined;
  return {
    ...(model
      ? {
          services: model.services.filter((service) => service.lifecycle === 'production').length,
          teams: model.teams.length,
          tier1Services: model.services.filter((service) => service.lifecycle === 'production' && service.tier === 1).length,
        }
      : {}),
    ...(coverage === undefined ? {} : { onCallCoveragePercent: coverage }),
    openCritical: open.filter((finding) => finding.severity === 'critical').length,
    openHigh: open.filter((finding) => finding.severity === 'high').length,
    ...(deploys === undefined ? {} : { deploysPerWeek: deploys }),
  };
}

function sizeReasons(facts: Record<string, number>): string[] {
  const reasons: string[] = [];
  const at = (key: keyof typeof sizeSignals, text: (value: number) => string) => {
    const value = facts[key];
    if (value !== undefined && value >= sizeSignals[key]) reasons.push(`${text(value)} (${sizeSignals[key]} or more)`);
  };
  at('services', (value) => `${value} production services`);
  at('teams', (value) => `${value} teams`);
  at('tier1Services', (value) => `${value} tier-1 services`);
  at('deploysPerWeek', (value) => `${value} production deploys a week`);
  return reasons;
}

function gapReasons(facts: Record<string, number>): string[] {
  const reasons: string[] = [];
  if ((facts.openCritical ?? 0) >= gapSignals.openCritical) reasons.push(`${facts.openCritical} open critical finding${facts.openCritical === 1 ? '' : 's'}`);
  if ((facts.openHigh ?? 0) >= gapSignals.openHigh) reasons.push(`${facts.openHigh} open high findings (${gapSignals.openHigh} or more)`);
  const coverage = facts.onCallCoveragePercent;
  if (coverage !== undefined && coverage < gapSignals.onCallCoveragePercent) reasons.push(`only ${coverage}% of the teams owning production services are on call`);
  return reasons;
}

/** Percent of the teams owning a production service that have an on-call rotation or schedule (100 when none owns one). */
function onCallCoverage(model: ResolvedModel): number {
  const owners = new Set(model.services.filter((service) => service.lifecycle === 'production').map((service) => service.owner));
  const teams = model.teams.filter((team) => owners.has(team.name));
  if (teams.length === 0) return 100;
  return Math.round((100 * teams.filter((team) => team.oncall !== undefined).length) / teams.length);
}

function deploysPerWeek(events: readonly LedgerEvent[], model: ResolvedModel | undefined, now: Date): number {
  const deploys = deploysOf(eventsOfLastDays(events, now, 30)).filter((deploy) => isProductionEnvironment(model, deploy.environment)).length;
  return Math.round((deploys * 7 * 10) / 30) / 10;
}
