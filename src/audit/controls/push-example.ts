/** A remediation example: append this CloudEvent to the ledger with `steadyops events push`. */
export function pushExample(event: Readonly<Record<string, unknown>>): string {
  return ['steadyops events push - <<\'EOF\'', JSON.stringify({ specversion: '1.0', ...event }), 'EOF'].join('\n');
}
