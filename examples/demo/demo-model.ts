/**
 * The part of the ownership model the event generator needs. A `ResolvedModel` from `src/model` fits this
 * shape; `northwindModel` mirrors `.steadyops/` so the generator runs without loading YAML.
 */
export interface DemoModel {
  readonly teams: readonly DemoTeam[];
  readonly services: readonly DemoService[];
  readonly datastores: readonly DemoDatastore[];
  readonly accessRoles: readonly { readonly name: string }[];
}

export interface DemoTeam {
  readonly name: string;
  readonly members: readonly { readonly email: string; readonly github?: string }[];
}

export interface DemoService {
  readonly name: string;
  readonly owner: string;
  readonly tier: number;
  readonly alerts?: readonly { readonly alertname: string; readonly severity?: string }[];
}

export interface DemoDatastore {
  readonly name: string;
  readonly owner: string;
  readonly engine: string;
  readonly restoreDrill?: { readonly verification?: readonly { readonly name: string }[] };
}

const member = (login: string): { email: string; github: string } => ({
  email: `${login.replace('-', '.')}@northwindpay.example`,
  github: login,
});

export const northwindModel: DemoModel = {
  teams: [
    { name: 'payments', members: ['ana-lima', 'tomas-ruiz', 'priya-nair', 'jonas-weber'].map(member) },
    { name: 'identity', members: ['mei-chen', 'omar-haddad', 'sara-koval'].map(member) },
    { name: 'platform', members: ['lukas-berg', 'fatima-diallo', 'ivan-petrov', 'grace-okafor'].map(member) },
    { name: 'growth', members: ['chloe-martin', 'daniel-kim', 'rosa-alvarez'].map(member) },
  ],
  services: [
    {
      name: 'checkout-api',
      owner: 'payments',
      tier: 1,
      alerts: [
        { alertname: 'CheckoutHighErrorRate', severity: 'page' },
        { alertname: 'CheckoutLatencyHigh', severity: 'ticket' },
      ],
    },
    {
      name: 'payments-gateway',
      owner: 'payments',
      tier: 1,
      alerts: [
        { alertname: 'PaymentsAuthorisationErrors', severity: 'page' },
        { alertname: 'AcquirerRateLimited', severity: 'ticket' },
      ],
    },
    { name: 'ledger-service', owner: 'payments', tier: 1, alerts: [{ alertname: 'LedgerPostingFailures', severity: 'page' }] },
    {
      name: 'auth-service',
      owner: 'identity',
      tier: 1,
      alerts: [
        { alertname: 'AuthLoginErrors', severity: 'page' },
        { alertname: 'AuthTokenSigningKeyExpiry', severity: 'ticket' },
      ],
    },
    { name: 'user-profile', owner: 'identity', tier: 2, alerts: [{ alertname: 'UserProfileErrors', severity: 'ticket' }] },
    { name: 'fraud-scorer', owner: 'payments', tier: 1, alerts: [{ alertname: 'FraudScorerSlow', severity: 'page' }] },
    { name: 'billing-scheduler', owner: 'payments', tier: 2, alerts: [{ alertname: 'BillingRunLate', severity: 'ticket' }] },
    { name: 'web-frontend', owner: 'growth', tier: 2, alerts: [{ alertname: 'WebFrontendErrors', severity: 'page' }] },
    { name: 'search-api', owner: 'growth', tier: 2, alerts: [{ alertname: 'SearchLatencyHigh', severity: 'ticket' }] },
    { name: 'notification-worker', owner: 'growth', tier: 3, alerts: [{ alertname: 'NotificationBacklog', severity: 'info' }] },
  ],
  datastores: [
    {
      name: 'core-postgres',
      owner: 'platform',
      engine: 'postgresql',
      restoreDrill: { verification: [{ name: 'ledger-rows-present' }, { name: 'latest-payment-recent' }] },
    },
    { name: 'session-redis', owner: 'identity', engine: 'redis', restoreDrill: { verification: [{ name: 'keyspace-restored' }] } },
    { name: 'events-kafka', owner: 'platform', engine: 'kafka', restoreDrill: { verification: [{ name: 'payments-topic-offsets' }] } },
    {
      name: 'search-elasticsearch',
      owner: 'growth',
      engine: 'elasticsearch',
      restoreDrill: { verification: [{ name: 'merchants-index-count' }] },
    },
  ],
  accessRoles: [{ name: 'prod-db-admin' }, { name: 'prod-k8s-operator' }],
};
