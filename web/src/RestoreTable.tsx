import type { ReactNode } from 'react';
import { formatAge } from './format.ts';
import type { RestoreStatus } from './now-panels.ts';

const needsAttention = (status: RestoreStatus) => status.state === 'overdue' || status.state === 'never';

/** A restore panel's tone: unknown until the drills are loaded, bad when a datastore is overdue or never tested. */
export function restoreTone(statuses: readonly RestoreStatus[] | undefined): 'unknown' | 'bad' | 'ok' {
  if (!statuses) return 'unknown';
  return statuses.some(needsAttention) ? 'bad' : 'ok';
}

/**
 * The last verified restore drill per datastore: red when overdue or never tested, and when its last
 * drill failed. `name` and `verified` let a page link the datastore or the drill event.
 */
export function RestoreTable(props: {
  readonly caption: string;
  readonly statuses: readonly RestoreStatus[];
  readonly now: Date;
  readonly name?: (status: RestoreStatus) => ReactNode;
  readonly verified?: (status: RestoreStatus, age: string) => ReactNode;
}) {
  const { now } = props;
  return (
    <table>
      <caption className="sr-only">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Datastore</th>
          <th scope="col">Last verified drill</th>
          <th scope="col">Every</th>
        </tr>
      </thead>
      <tbody>
        {props.statuses.map((status) => {
          const age = status.lastVerified ? formatAge(status.lastVerified.time, now) : undefined;
          return (
            <tr key={status.datastore} className={needsAttention(status) ? 'bad' : ''} data-restore={status.state}>
              <td>{props.name?.(status) ?? status.datastore}</td>
              <td>
                {age === undefined ? <strong>never</strong> : (props.verified?.(status, age) ?? age)}
                {status.state === 'overdue' ? <strong> overdue</strong> : null}
                {status.lastFailed && (!status.lastVerified || status.lastFailed.seq > status.lastVerified.seq) ? <span className="bad-text"> last drill failed</span> : null}
              </td>
              <td>{status.every ?? 'no drill policy'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
