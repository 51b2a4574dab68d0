import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, startReadyDaemon } from './processes.ts';
import { reportMissingService } from './services.ts';

export const alertmanagerBinary = process.env.STEADYOPS_ALERTMANAGER ?? '/usr/bin/prometheus-alertmanager';

/** true when the binary is here; otherwise reports it (skip locally, fail under CI=true). */
export function alertmanagerAvailable(): boolean {
  if (existsSync(alertmanagerBinary)) return true;
  reportMissingService(`Alertmanager (${alertmanagerBinary})`, 'install the Debian package prometheus-alertmanager');
  return false;
}

export interface RunningAlertmanager {
  readonly url: string;
  /** everything the process wrote, for failure messages */
  output(): string;
  stop(): Promise<void>;
}

export interface AlertmanagerOptions {
  /** where the webhook receiver posts */
  readonly webhookUrl: string;
  /** sent as `Authorization: Bearer <token>` */
  readonly token: string;
}

/** Starts a real Alertmanager on a free loopback port, routing every alert to one webhook receiver. */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-am-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'am.yml'), stringify(receiverConfig(options)));
  const daemon = await startReadyDaemon(
    'Alertmanager',
    alertmanagerBinary,
    [
      `--config.file=${join(dir, 'am.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
    ],
    `${url}/-/ready`,
    dir,
    15_000,
  );
  return { url, output: daemon.output, stop: daemon.stop };
}

function receiverConfig({ webhookUrl, token }: AlertmanagerOptions) {
  return {
    route: { receiver: 'steadyops', group_by: ['alertname'], group_wait: '1s', group_interval: '1s', repeat_interval: '1h' },
    receivers: [
      {
        name: 'steadyops',
        webhook_configs: [{ url: webhookUrl, send_resolved: true, http_config: { authorization: { credentials: token } } }],
      },
    ],
  };
}

/** Posts alerts to Alertmanager's own API, as Prometheus does. */
export async function postAlerts(alertmanagerUrl: string, alerts: readonly object[]): Promise<void> {
  const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  if (!response.ok) throw new Error(`Alertmanager refused the alerts: ${response.status} ${await response.text()}`);
}
