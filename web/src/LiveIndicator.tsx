import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { forgetToken, storedToken } from './api.ts';
import type { LedgerEvent } from './api-types.ts';
import { connectLiveEvents, type LiveStatus } from './live-events.ts';

const labels: Record<LiveStatus, string> = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', stopped: 'not live' };

/**
 * The one live connection of the app, shown in the header: every ledger event refreshes the lists read from
 * /api/v1/changes (the Now panels, the Changes timeline, a service's history), batched so a burst costs one
 * refetch. Other code can listen to the window's `steadyops:ledger` event (detail: the LedgerEvent).
 */
export function LiveIndicator() {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [lastSeq, setLastSeq] = useState<number | undefined>(undefined);
  useEffect(() => {
    const token = storedToken();
    if (!token) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let previous: LiveStatus = 'connecting';
    const refresh = (): void => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        void queryClient.invalidateQueries({ queryKey: ['changes'] });
      }, 300);
    };
    const stop = connectLiveEvents({
      token,
      onStatus: (next: LiveStatus) => {
        // back after a drop: Last-Event-ID replays the missed events, but a tab that had seen none resumes from now, so reload the lists
        if (next === 'live' && previous === 'reconnecting') refresh();
        previous = next;
        setStatus(next);
      },
      onEvent: (event: LedgerEvent) => {
        setLastSeq(event.seq);
        window.dispatchEvent(new CustomEvent('steadyops:ledger', { detail: event }));
        refresh();
      },
      onTruncated: refresh,
      onUnauthorized: forgetToken,
    });
    return () => {
      stop();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [queryClient]);
  return (
    <span className={`live live-${status}`} data-testid="live" data-status={status} role="status" title={lastSeq === undefined ? 'New ledger events appear without reload' : `Newest live event #${lastSeq}`}>
      <span className="live-dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
