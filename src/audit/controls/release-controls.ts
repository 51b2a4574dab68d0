import type { Control } from '../control.ts';
import { modelLocation } from './model-location.ts';
import { releaseHistoryControls } from './release-history-controls.ts';

/** REL: how releases go out and come back. */
export const releaseControls: readonly Control[] = [
  {
    id: 'REL-001',
    title: 'Service has no rollback criteria',
    domain: 'release',
    severity: 'high',
    risk: 'Nobody has written down when a release must be rolled back, so the call is made under pressure, late, by whoever is awake; a bad release keeps hurting customers while people argue.',
    detection: 'A Service in the ownership model without spec.rollback.criteria.',
    remediation: 'Add measurable rollback criteria (a PromQL query and a threshold) to the service; `steadyops rollout guard` then evaluates them during every rollout.',
    example: [
      'spec:',
      '  rollback:',
      '    strategy: kubernetes-undo',
      '    criteria:',
      '      - name: error-ratio',
      "        query: 'sum(rate(http_requests_total{service=\"checkout-api\",code=~\"5..\"}[1m])) / sum(rate(http_requests_total{service=\"checkout-api\"}[1m]))'",
      '        threshold: 0.02',
    ].join('\n'),
    effort: 'S',
    soc2: ['CC8.1', 'CC7.4'],
    needs: ['model'],
    evaluate: (facts) =>
      (facts.model?.model.services ?? [])
        .filter((service) => service.lifecycle !== 'deprecated' && (service.rollback?.criteria.length ?? 0) === 0)
        .map((service) => {
          const location = modelLocation(facts, 'Service', service.name);
          return {
            resource: `Service ${service.name}`,
            ...(location ? { location } : {}),
            evidence: `${service.name} (tier ${service.tier}, owned by ${service.owner}) declares no spec.rollback.criteria.`,
            service: service.name,
            team: service.owner,
          };
        }),
  },
  ...releaseHistoryControls,
];
