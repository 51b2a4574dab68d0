import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts, CommittedSecretFact } from '../facts.ts';
import { asString, compareStrings, listed } from './plain-values.ts';
import { objectResource, objectsOfKind, stringMap } from './pod-workloads.ts';
import { resourcesOfType } from './terraform-resources.ts';

/** ACC-020..029: credentials committed to the repository. */
export const credentialControls: readonly Control[] = [
  {
    id: 'ACC-020',
    title: 'Private key committed to the repository',
    domain: 'access',
    severity: 'critical',
    risk: 'Everyone who can read the repository, its forks and every clone ever made holds the key: whatever it signs or unlocks (TLS, SSH, a GitHub App, a service account) can be impersonated, and deleting the file does not remove it from history.',
    detection: 'PEM private key blocks (RSA, EC, OPENSSH, PKCS#8, ...) with key material in committed files, found by the secret scanner.',
    remediation: 'Revoke and replace the key now, store the new one in a secret manager (mounted at run time), purge it from history, and add the path to a pre-commit secret scan.',
    example: [
      '# keep keys out of git; load them at run time',
      'kubectl create secret tls checkout-api-tls --cert=tls.crt --key=tls.key --dry-run=client -o yaml | kubeseal > k8s/checkout-api-tls.sealed.yaml',
      '',
      '# .gitignore',
      '*.pem',
      '*.key',
    ].join('\n'),
    effort: 'M',
    soc2: ['CC6.1'],
    needs: [],
    evaluate: (facts) => secretDrafts(facts, 'private-key', 'private key'),
  },
  {
    id: 'ACC-021',
    title: 'Admin kubeconfig committed to the repository',
    domain: 'access',
    severity: 'critical',
    risk: 'A committed admin kubeconfig is a shared cluster-admin credential: anyone with the repository can change or delete anything in the cluster, and every action shows up under the same user, so nobody can tell who did what.',
    detection: 'Kubeconfig files (kind: Config) whose user or context is named like admin, cluster-admin or root and embeds a client key, token or password.',
    remediation: 'Revoke the credential (rotate the cluster CA or the token), purge the file from history, and give people their own short-lived access through OIDC and a steadyops AccessRole with approvals.',
    example: [
      'apiVersion: steadyops.dev/v1',
      'kind: AccessRole',
      'metadata: { name: prod-cluster-admin }',
      'spec:',
      '  grants: [{ system: kubernetes, resource: prod-eu, permissions: [cluster-admin] }]',
      '  approvers: { teams: [platform] }',
      '  minApprovals: 1',
      '  maxDuration: 2h',
    ].join('\n'),
    effort: 'M',
    soc2: ['CC6.1', 'CC6.2', 'CC6.3'],
    needs: [],
    evaluate: (facts) => secretDrafts(facts, 'kubeconfig-admin', 'admin kubeconfig'),
  },
  {
    id: 'ACC-022',
    title: 'Kubeconfig with an embedded credential committed',
    domain: 'access',
    severity: 'high',
    risk: 'A kubeconfig with an embedded token or client key gives its cluster rights to anyone with the repository, for as long as the credential lives, and is shared by everyone who uses it.',
    detection: 'Kubeconfig files (kind: Config) whose users embed client-key-data, a token or a password (users not named like admin; those are ACC-021).',
    remediation: 'Revoke the token or certificate, purge the file from history, and use exec-based credentials (OIDC, cloud IAM) that fetch short-lived tokens per person or per workload.',
    example: ['users:', '  - name: ci', '    user:', '      exec:', '        apiVersion: client.authentication.k8s.io/v1beta1', '        command: aws', '        args: [eks, get-token, --cluster-name, prod-eu]'].join('\n'),
    effort: 'M',
    soc2: ['CC6.1'],
    needs: [],
    evaluate: (facts) => secretDrafts(facts, 'kubeconfig-token', 'kubeconfig credential'),
  },
  {
    id: 'ACC-023',
    title: 'Cloud access key committed to the repository',
    domain: 'access',
    severity: 'critical',
    risk: 'An access key id with its secret in the repository lets anyone with a clone act as that IAM identity, from anywhere, until the key is deactivated; leaked keys are found by scanners within minutes of a push to a public repository.',
    detection: 'AWS access key ids (AKIA...) with a secret access key a few lines away in committed files (AWS documentation keys ending in EXAMPLE are ignored).',
    remediation: 'Deactivate and delete the key now, check CloudTrail for its use, purge it from history, and move the workload to role-based credentials (OIDC from CI, IAM roles for service accounts).',
    example: ['# CI: no stored key, a role assumed through OIDC', '- uses: aws-actions/configure-aws-credentials@<commit SHA> # v4', '  with:', '    role-to-assume: arn:aws:iam::123456789012:role/ci-deploy', '    aws-region: eu-west-1'].join('\n'),
    effort: 'M',
    soc2: ['CC6.1'],
    needs: [],
    evaluate: (facts) => secretDrafts(facts, 'cloud-access-key', 'cloud access key'),
  },
  {
    id: 'ACC-024',
    title: 'Kubernetes Secret with values committed',
    domain: 'access',
    severity: 'high',
    risk: 'A Secret manifest with data in git is a plain-text credential (base64 is not encryption) readable by everyone with the repository, and it is rotated only when someone remembers to edit the file.',
    detection: 'Kubernetes manifests of kind Secret whose data or stringData hold values other than empty strings or placeholders (${VAR}, <value>, changeme).',
    remediation: 'Rotate the values, remove the Secret from git, and deliver it encrypted (Sealed Secrets, SOPS) or from a secret manager (External Secrets Operator).',
    example: [
      'apiVersion: external-secrets.io/v1beta1',
      'kind: ExternalSecret',
      'metadata: { name: checkout-api-db, namespace: payments }',
      'spec:',
      '  refreshInterval: 1h',
      '  secretStoreRef: { name: aws-secrets-manager, kind: ClusterSecretStore }',
      '  target: { name: checkout-api-db }',
      '  dataFrom: [{ extract: { key: prod/checkout-api/db } }]',
    ].join('\n'),
    effort: 'M',
    soc2: ['CC6.1'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      [...objectsOfKind(facts, 'Secret')]
        .sort((a, b) => compareStrings(objectResource(a), objectResource(b)))
        .flatMap((secret) => {
          const keys = secretKeys(secret.object);
          return keys.length > 0
            ? [{ resource: objectResource(secret), location: secret.location, evidence: `${objectResource(secret)} in ${secret.location.file} carries values for ${listed(keys)}.` }]
            : [];
        }),
  },
  {
    id: 'ACC-025',
    title: 'Database password written in Terraform',
    domain: 'access',
    severity: 'high',
    risk: 'A literal password in a .tf file is in the repository for everyone who can read it, and in every state file and plan; it is also the same password every environment built from that code gets.',
    detection: '.tf resources whose password, master_password, admin_password, root_password or auth_token argument is a literal string rather than a variable, a random_password or a secret manager reference.',
    remediation: 'Rotate the password and let the provider manage it (manage_master_user_password for RDS) or read it from a secret manager; never write it in the code.',
    example: ['resource "aws_db_instance" "core" {', '  # ...', '  username                    = "northwind"', '  manage_master_user_password = true   # stored and rotated in Secrets Manager', '}'].join('\n'),
    effort: 'S',
    soc2: ['CC6.1'],
    needs: ['terraform'],
    evaluate: (facts) =>
      resourcesOfType(facts)
        .filter((resource) => resource.source === 'hcl')
        .flatMap((resource) => {
          const literal = passwordFields.filter((field) => {
            const value = asString(resource.attributes[field]);
            return value !== undefined && value !== '' && !value.includes('${');
          });
          return literal.length > 0
            ? [{ resource: resource.address, location: resource.location, evidence: `${resource.address} sets ${listed(literal)} to a literal string in ${resource.location.file}.` }]
            : [];
        }),
  },
];

const passwordFields = ['password', 'master_password', 'admin_password', 'administrator_login_password', 'root_password', 'auth_token'];

/** Long base64/hex runs are redacted, in case a scanner's detail ever quotes key material. */
function redacted(detail: string): string {
  return detail.replace(/[A-Za-z0-9+/=_-]{32,}/g, '[redacted]');
}

/** One finding per file and kind, at the first occurrence, listing each one without its value. */
function secretDrafts(facts: AuditFacts, kind: CommittedSecretFact['kind'], label: string): FindingDraft[] {
  const byFile = new Map<string, CommittedSecretFact[]>();
  for (const secret of facts.secrets.filter((candidate) => candidate.kind === kind)) {
    byFile.set(secret.location.file, [...(byFile.get(secret.location.file) ?? []), secret]);
  }
  return [...byFile.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([file, found]) => {
      const ordered = [...found].sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
      const first = ordered[0] as CommittedSecretFact;
      const details = ordered.map((secret) => `line ${secret.location.line ?? '?'}: ${redacted(secret.detail)}`);
      return { resource: `${file} (${label})`, location: first.location, evidence: `${file} holds a committed ${label}; ${listed(details, 3)}.` };
    });
}

const placeholder = /^(\$\{.*\}|<.*>|\{\{.*\}\}|changeme|change-me|replace[-_ ]?me|todo|x{3,}|placeholder|dummy|example|redacted)$/i;

/** Keys of a Secret whose values are real (not empty, not a placeholder); base64 `data` is decoded to tell. */
function secretKeys(object: Readonly<Record<string, unknown>>): string[] {
  const decoded = Object.entries(stringMap(object['data'])).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')] as const);
  const plain = Object.entries(stringMap(object['stringData']));
  return [...new Set([...decoded, ...plain].filter(([, value]) => value.trim() !== '' && !placeholder.test(value.trim())).map(([key]) => key))].sort(compareStrings);
}
