import { describe, expect, it } from 'vitest';
import { emptyFacts, type AuditFacts, type CommittedSecretFact } from '../facts.ts';
import { describeControl } from './control-cases.ts';
import { credentialControls } from './credential-controls.ts';
import { manifest, terraform, withKubernetes, withTerraform } from './scanned-fixtures.ts';

const control = (id: string) => credentialControls.find((entry) => entry.id === id)!;

const secret = (file: string, line: number, kind: CommittedSecretFact['kind'], detail = 'found'): CommittedSecretFact => ({ location: { file, line }, kind, detail });
const withSecrets = (secrets: readonly CommittedSecretFact[]): AuditFacts => ({ ...emptyFacts(), secrets });

const mixed = withSecrets([
  secret('deploy/id_rsa', 1, 'private-key', 'RSA private key committed in the file'),
  secret('certs/tls.pem', 30, 'private-key', 'PKCS#8 private key committed in the file'),
  secret('certs/tls.pem', 4, 'private-key', 'EC private key committed in the file'),
  secret('ops/prod.kubeconfig', 12, 'kubeconfig-admin', 'kubeconfig user "admin" (context "prod") with an embedded client-key-data'),
  secret('ops/prod.kubeconfig', 20, 'kubeconfig-token', 'kubeconfig user "ci" with an embedded token'),
  secret('scripts/env.sh', 3, 'cloud-access-key', 'AWS access key id AKIA…WXYZ with a secret access key on line 4'),
]);

describeControl(control('ACC-020'), {
  triggers: [{ name: 'two files with keys', facts: mixed, resources: ['certs/tls.pem (private key)', 'deploy/id_rsa (private key)'] }],
  passes: [{ name: 'nothing committed', facts: withSecrets([secret('scripts/env.sh', 3, 'cloud-access-key')]) }],
});

describe('ACC-020 finding', () => {
  it('is one per file, at the first key, and never quotes key material', () => {
    const facts = withSecrets([secret('a.pem', 9, 'private-key', 'RSA key MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC'), secret('a.pem', 2, 'private-key', 'EC private key committed in the file')]);
    expect(control('ACC-020').evaluate(facts, new Date())).toEqual([
      {
        resource: 'a.pem (private key)',
        location: { file: 'a.pem', line: 2 },
        evidence: 'a.pem holds a committed private key; line 2: EC private key committed in the file, line 9: RSA key [redacted].',
      },
    ]);
  });
});

describeControl(control('ACC-021'), {
  triggers: [{ name: 'an admin kubeconfig', facts: mixed, resources: ['ops/prod.kubeconfig (admin kubeconfig)'] }],
  passes: [{ name: 'only a token user', facts: withSecrets([secret('ops/ci.kubeconfig', 5, 'kubeconfig-token')]) }],
});

describeControl(control('ACC-022'), {
  triggers: [{ name: 'a kubeconfig with a token', facts: mixed, resources: ['ops/prod.kubeconfig (kubeconfig credential)'] }],
  passes: [{ name: 'only an admin user', facts: withSecrets([secret('ops/prod.kubeconfig', 12, 'kubeconfig-admin')]) }],
});

describeControl(control('ACC-023'), {
  triggers: [{ name: 'an AWS key pair', facts: mixed, resources: ['scripts/env.sh (cloud access key)'] }],
  passes: [{ name: 'no keys', facts: withSecrets([secret('a.pem', 1, 'private-key')]) }],
});

const k8sSecret = (name: string, body: Record<string, unknown>) => manifest({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'payments' }, type: 'Opaque', ...body }, `k8s/${name}.yaml`);

describeControl(control('ACC-024'), {
  triggers: [
    {
      name: 'base64 data and stringData',
      facts: withKubernetes([
        k8sSecret('db', { data: { password: Buffer.from('s3cr3t-Pa55').toString('base64'), username: Buffer.from('app').toString('base64') } }),
        k8sSecret('api', { stringData: { token: 'not-a-real-token-42', url: '' } }),
      ]),
      resources: ['Secret payments/db', 'Secret payments/api'],
    },
  ],
  passes: [
    { name: 'placeholders only', facts: withKubernetes([k8sSecret('db', { stringData: { password: '${DB_PASSWORD}', user: 'changeme', empty: '' }, data: { other: Buffer.from('<value>').toString('base64') } })]) },
    { name: 'a SealedSecret', facts: withKubernetes([manifest({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'db' }, spec: { encryptedData: { password: 'AgBy8h...' } } })]) },
  ],
});

describeControl(control('ACC-025'), {
  triggers: [
    {
      name: 'literal passwords',
      facts: withTerraform([terraform('aws_db_instance.core', { password: 'hunter2' }), terraform('aws_rds_cluster.ledger', { master_password: 'x-Pa55' }), terraform('aws_db_instance.ok', { password: '${var.db_password}' })]),
      resources: ['aws_db_instance.core', 'aws_rds_cluster.ledger'],
    },
  ],
  passes: [
    {
      name: 'variables, random passwords, and plans (whose values are resolved)',
      facts: withTerraform([
        terraform('aws_db_instance.core', { password: '${var.db_password}' }),
        terraform('aws_rds_cluster.ledger', { master_password: '${random_password.ledger.result}' }),
        terraform('aws_db_instance.planned', { password: 'resolved-from-var' }, 'plan'),
      ]),
    },
  ],
});
