export interface IngestResult {
  /** `source|id` of every event the server acknowledged with 200 */
  readonly acknowledged: Set<string>;
  readonly requests: number;
  readonly failures: number;
}

/**
 * Posts batches of fresh deploy events to a server in `workers` parallel loops until `stop()` returns
 * true, recording exactly which events were acknowledged.
 */
export async function sustainedIngest(options: {
  readonly url: string;
  readonly token: string;
  readonly prefix: string;
  readonly batchSize: number;
  readonly workers: number;
  readonly stop: () => boolean;
  readonly maxRequests?: number;
}): Promise<IngestResult> {
  const acknowledged = new Set<string>();
  let requests = 0;
  let failures = 0;
  let next = 0;
  const maxRequests = options.maxRequests ?? 10_000;
  const worker = async (): Promise<void> => {
    while (!options.stop() && requests < maxRequests) {
      const batch = Array.from({ length: options.batchSize }, () => {
        next += 1;
        return {
          specversion: '1.0',
          id: `${options.prefix}-${next}`,
          source: '/github/northwind/checkout-api',
          type: 'dev.steadyops.deploy.finished',
          subject: 'checkout-api',
          time: new Date().toISOString(),
          data: { service: 'checkout-api', environment: 'production', version: `v1.${next}.0` },
        };
      });
      requests += 1;
      try {
        const response = await fetch(`${options.url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/cloudevents-batch+json' },
          body: JSON.stringify(batch),
        });
        if (response.status === 200) {
          await response.json();
          for (const event of batch) acknowledged.add(`${event.source}|${event.id}`);
        } else {
          failures += 1;
        }
      } catch {
        failures += 1;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
  return { acknowledged, requests, failures };
}
