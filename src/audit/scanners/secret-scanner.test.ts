import { describe, expect, it } from 'vitest';
import { kubeconfigSecrets, scanTextForSecrets } from './secret-scanner.ts';
import { parseYamlFile } from './yaml-documents.ts';

// every credential below is fake: made for these tests, valid nowhere
const fakeKeyBody = 'RkFLRSBLRVkgRk9SIFRIRSBTVEVBRFlPUFMgU0NBTk5FUiBURVNUUw==';
const fakeSecret = 'FakeSecretForTests0nly/NotReal/AAAAAAAAA';

describe('scanTextForSecrets', () => {
  it('finds PEM private keys with key material, also inside JSON strings; a mention of the header is not a key', () => {
    const text = [
      'Keys look like -----BEGIN RSA PRIVATE KEY----- in the docs.',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      fakeKeyBody,
      '-----END OPENSSH PRIVATE KEY-----',
      `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${fakeKeyBody}\\n-----END PRIVATE KEY-----\\n"}`,
      '-----BEGIN ENCRYPTED PRIVATE KEY-----',
      fakeKeyBody,
    ].join('\n');
    expect(scanTextForSecrets('keys.txt', text)).toEqual([
      { location: { file: 'keys.txt', line: 2, column: 1 }, kind: 'private-key', detail: 'OPENSSH private key committed in the file' },
      { location: { file: 'keys.txt', line: 5, column: 45 }, kind: 'private-key', detail: 'PKCS#8 private key committed in the file' },
      { location: { file: 'keys.txt', line: 6, column: 1 }, kind: 'private-key', detail: 'ENCRYPTED private key committed in the file' },
    ]);
  });

  it('finds AWS access key ids with a secret access key nearby, and never keeps either value', () => {
    const text = [
      '[default]',
      'aws_access_key_id = AKIAFAKEFAKEFAKEFAKE',
      `aws_secret_access_key = ${fakeSecret}`,
      ...Array.from({ length: 6 }, () => ''),
      'AKIAIOSFODNN7EXAMPLE is the documentation key',
      'AKIAFAKENOSECRET0000 sits next to a commit, not a secret:',
      'e83c5163316f89bfbde7d9ab23ca2e25604af290',
    ].join('\n');
    const found = scanTextForSecrets('.aws/credentials', text);
    expect(found).toEqual([
      { location: { file: '.aws/credentials', line: 2, column: 21 }, kind: 'cloud-access-key', detail: 'AWS access key id AKIA…FAKE with a secret access key on line 3' },
    ]);
    expect(JSON.stringify(found)).not.toContain(fakeSecret);
  });

  it('finds nothing in ordinary text', () => {
    expect(scanTextForSecrets('README.md', '# Hello\nNothing to see.\n')).toEqual([]);
  });
});

describe('kubeconfigSecrets', () => {
  const kubeconfig = `apiVersion: v1
kind: Config
users:
  - name: kubernetes-admin
    user: { client-certificate-data: RkFLRQ==, client-key-data: RkFLRQ== }
  - name: deployer
    user: { token: fake-token }
  - name: ops
    user: { username: ops, password: fake-password }
  - name: sso
    user: { exec: { command: aws } }
contexts:
  - { name: prod-admin, context: { cluster: prod, user: ops } }
  - { name: prod, context: { cluster: prod, user: deployer } }
`;

  it('reports each user with an embedded credential; admin by its own name or a context’s', () => {
    const yaml = parseYamlFile('ops/kubeconfig', kubeconfig, () => undefined);
    expect(kubeconfigSecrets(yaml.file, yaml.documents[0]!, yaml.lineCounter)).toEqual([
      { location: { file: 'ops/kubeconfig', line: 4 }, kind: 'kubeconfig-admin', detail: 'kubeconfig user "kubernetes-admin" with an embedded client-key-data' },
      { location: { file: 'ops/kubeconfig', line: 6 }, kind: 'kubeconfig-token', detail: 'kubeconfig user "deployer" (context "prod") with an embedded token' },
      { location: { file: 'ops/kubeconfig', line: 8 }, kind: 'kubeconfig-admin', detail: 'kubeconfig user "ops" (context "prod-admin") with an embedded password' },
    ]);
  });
});
