import { emptyModel, type ResolvedModel, type ResolvedService } from '../../model/resolve.ts';
import { emptyFacts, type AuditFacts } from '../facts.ts';
import { describeControl } from './control-cases.ts';
import { releaseControls } from './release-controls.ts';

const control = (id: string) => releaseControls.find((entry) => entry.id === id)!;

const service = (name: string, extra: Partial<ResolvedService> = {}): ResolvedService => ({
  name,
  labels: {},
  annotations: {},
  owner: 'payments',
  tier: 1,
  lifecycle: 'production',
  ...extra,
});

const withModel = (model: Partial<ResolvedModel>): AuditFacts => ({
  ...emptyFacts(),
  model: { model: { ...emptyModel(), ...model }, locations: new Map() },
});

const criteria = { criteria: [{ name: 'errors', query: 'up', threshold: 1, failWhen: 'below' as const, consecutiveFailures: 3 }], bake: '10m', interval: '30s' };

describeControl(control('REL-001'), {
  triggers: [
    { name: 'a service without rollback', facts: withModel({ services: [service('billing'), service('checkout', { rollback: criteria })] }), resources: ['Service billing'] },
  ],
  passes: [
    { name: 'every service has criteria', facts: withModel({ services: [service('checkout', { rollback: criteria })] }) },
    { name: 'a deprecated service is exempt', facts: withModel({ services: [service('legacy', { lifecycle: 'deprecated' })] }) },
  ],
});
