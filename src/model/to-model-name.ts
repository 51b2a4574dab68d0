/** Turns an outside name (Backstage, CODEOWNERS, Kubernetes) into a model name: a DNS label of at most 63 characters. */
export function toModelName(source: string): string {
  const name = source
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'unnamed';
}
