/**
 * The id a deploy is known by: its `deployId`, else service/environment/version (a version ships once to an
 * environment). Rollbacks, hotfixes and incidents name deploys by it.
 */
export function deployIdOf(data: Readonly<Record<string, unknown>>, environment: string): string | undefined {
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const explicit = text(data['deployId']);
  if (explicit) return explicit;
  const service = text(data['service']);
  const version = text(data['version']);
  return service && version ? `${service}/${environment}/${version}` : undefined;
}
