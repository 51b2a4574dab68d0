import type { ReactNode } from 'react';
import { formatAge } from './format.ts';
import type { RestoreStatus } from './now-panels.ts';

/** One datastore's restore status: red when overdue or never tested, and when its last drill failed. */
export function RestoreRow(props: { readonly status: RestoreStatus; readonly now: Date; readonly name: ReactNode; readonly verified?: (age: string) => ReactNode }) {
  const { status, now } = props;
  const age = status.lastVerified ? formatAge(status.lastVerified.time, now) : undefined;
  return (
    <tr className={status.state === 'overdue' || status.state === 'never' ? 'bad' : ''} data-restore={status.state}>
      <td>{props.name}</td>
      <td>
        {age === undefined ? <strong>never</strong> : (props.verified?.(age) ?? age)}
        {status.state === 'overdue' ? <strong> overdue</strong> : null}
        {status.lastFailed && (!status.lastVerified || status.lastFailed.seq > status.lastVerified.seq) ? <span className="bad-text"> last drill failed</span> : null}
      </td>
      <td>{status.every ?? 'no drill policy'}</td>
    </tr>
  );
}
