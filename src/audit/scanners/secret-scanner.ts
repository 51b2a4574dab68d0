import type { LineCounter } from 'yaml';
import type { CommittedSecretFact } from '../facts.ts';
import { lineIndex } from './text-lines.ts';
import { isRecord, lineOf, mapValue, seqItems, stringOf, type YamlDocument } from './yaml-documents.ts';

/** A PEM private key header followed by key material (not a mention of the header in docs or code). */
const privateKey = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----(?:\r?\n|\\n)(?:[A-Za-z-]+: [^\n]*(?:\r?\n|\\n))*(?:\r?\n|\\n)?[A-Za-z0-9+/=]{20,}/g;
const accessKeyId = /\bAKIA[0-9A-Z]{16}\b/g;
/** 40 characters of base64 with both cases and a digit: a secret access key, not a git SHA */
const secretAccessKey = /(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/;
const nearbyLines = 5;

/** Private keys and AWS access keys (with their secret nearby) written in a text file; never their values. */
export function scanTextForSecrets(file: string, text: string): CommittedSecretFact[] {
  const mayHaveKey = text.includes('PRIVATE KEY-----');
  const mayHaveAccessKey = text.includes('AKIA');
  if (!mayHaveKey && !mayHaveAccessKey) return [];
  const positionOf = lineIndex(text);
  const facts: CommittedSecretFact[] = [];
  if (mayHaveKey) {
    for (const match of text.matchAll(privateKey)) {
      const { line, column } = positionOf(match.index);
      facts.push({ location: { file, line, column }, kind: 'private-key', detail: `${keyKind(match[1] ?? '')} committed in the file` });
    }
  }
  if (mayHaveAccessKey) {
    const lines = text.split('\n');
    for (const match of text.matchAll(accessKeyId)) {
      // AWS's documentation keys end in EXAMPLE
      if (match[0].endsWith('EXAMPLE')) continue;
      const { line, column } = positionOf(match.index);
      const secretLine = lines.slice(Math.max(0, line - 1 - nearbyLines), line + nearbyLines).findIndex((candidate) => secretAccessKey.test(candidate));
      if (secretLine === -1) continue;
      const masked = `${match[0].slice(0, 4)}…${match[0].slice(-4)}`;
      facts.push({
        location: { file, line, column },
        kind: 'cloud-access-key',
        detail: `AWS access key id ${masked} with a secret access key on line ${Math.max(1, line - nearbyLines) + secretLine}`,
      });
    }
  }
  return facts;
}

/** `RSA private key`, `OPENSSH private key`; a bare header is PKCS#8. */
function keyKind(prefix: string): string {
  return `${prefix.trim() || 'PKCS#8'} private key`;
}

const adminName = /(^|[^a-z0-9])(cluster-?admin|admin|administrator|root|superuser)([^a-z0-9]|$)/i;

/**
 * Static credentials of a kubeconfig (`kind: Config`): a user with an embedded client key, token or
 * password. One used by a context or user named like admin is an admin credential.
 */
export function kubeconfigSecrets(file: string, document: YamlDocument, lineCounter: LineCounter): CommittedSecretFact[] {
  const data = document.data();
  if (!isRecord(data) || data.kind !== 'Config' || !Array.isArray(data.users)) return [];
  const contexts = Array.isArray(data.contexts) ? data.contexts.filter(isRecord) : [];
  const userNodes = seqItems(mapValue(document.document.contents, 'users'));
  return data.users.flatMap((entry: unknown, index): CommittedSecretFact[] => {
    if (!isRecord(entry) || !isRecord(entry.user)) return [];
    const credentials = ['client-key-data', 'token', 'password'].filter((field) => typeof (entry.user as Record<string, unknown>)[field] === 'string');
    if (credentials.length === 0) return [];
    const name = stringOf(entry.name) ?? '';
    const usedBy = contexts.filter((context) => isRecord(context.context) && context.context.user === name).map((context) => stringOf(context.name) ?? '');
    const admin = [name, ...usedBy].find((candidate) => adminName.test(candidate));
    const via = usedBy.length > 0 ? ` (context ${usedBy.map((context) => `"${context}"`).join(', ')})` : '';
    return [
      {
        location: { file, line: lineOf(userNodes[index], lineCounter) },
        kind: admin !== undefined ? 'kubeconfig-admin' : 'kubeconfig-token',
        detail: `kubeconfig user "${name}"${via} with an embedded ${credentials.join(', ')}`,
      },
    ];
  });
}
