import { prometheusFor } from '../../src/connectors/prometheus/prometheus-for.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { loadModelOrThrow } from '../../src/model/load-model.ts';
import { createSaturationService } from '../../src/release/saturation-service.ts';
import { testServer, type TestServer } from '../../src/server/test-support/test-server.ts';
import { createSloStatusService } from '../../src/slo/slo-status-service.ts';

/** A test server over the model at `config`, its Prometheus-backed routes wired as `steadyops serve` wires them. */
export async function prometheusApiServer(config: string, cwd: string): Promise<TestServer> {
  const { model } = await loadModelOrThrow(config, cwd);
  const deps = { prometheus: prometheusFor(model), clock: systemClock };
  return testServer({
    clock: systemClock,
    model: { current: () => model },
    slos: createSloStatusService(deps),
    saturation: createSaturationService(deps),
  });
}
