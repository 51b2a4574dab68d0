import type { EventToAppend } from '../../src/ledger/types.ts';
import { auditStories } from './audit-stories.ts';
import { createContext } from './demo-context.ts';
import { northwindModel } from './demo-model.ts';
import type { DemoModel } from './demo-model.ts';
import { acquirerIncident, recentBurst, scriptedReleases } from './incident-stories.ts';
import { accessRequests, alertNoise, backups, configAndFlags, infraChanges, platformAdmin, restoreDrills } from './operations-activity.ts';
import { developmentActivity, releaseTrain } from './release-activity.ts';
import { seededRandom } from './seeded-random.ts';

export interface DemoEventOptions {
  readonly now: Date;
  /** how many days of history, default 14 */
  readonly days?: number;
  readonly seed?: number;
  /** the organisation to generate for; defaults to Northwind Pay (`.steadyops/`) */
  readonly model?: DemoModel;
}

/**
 * A few thousand CloudEvents of Northwind Pay's last `days` days, oldest first: the same for the same
 * `now` and `seed`. Every event uses a catalogue type with a valid payload. One restore drill is older
 * than the window on purpose (its datastore is overdue), and the audit stories plant the ledger's other
 * warning signs (README "Gaps left on purpose").
 */
export function generateDemoEvents(options: DemoEventOptions): EventToAppend[] {
  const days = options.days ?? 14;
  const { context, finish } = createContext(options.now.getTime(), days, seededRandom(options.seed ?? 42), options.model ?? northwindModel);
  platformAdmin(context);
  developmentActivity(context);
  releaseTrain(context, scriptedReleases(context));
  alertNoise(context);
  configAndFlags(context);
  infraChanges(context);
  accessRequests(context);
  backups(context);
  restoreDrills(context);
  acquirerIncident(context);
  recentBurst(context);
  auditStories(context);
  return finish();
}
