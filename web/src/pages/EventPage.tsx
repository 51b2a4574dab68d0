import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiGet } from '../api.ts';
import type { EventsResponse, InclusionProof, LedgerEvent } from '../api-types.ts';
import { changesLink } from '../changes-filter.ts';
import { formatTime, personOf, shortType } from '../format.ts';
import { Link } from '../Link.tsx';
import { ErrorNote, Loaded } from '../Panel.tsx';
import { decodeCanonical, openNote, parseCheckpointBody, parseVerifierKey, type ProofVerdict, type VerifyStep, verifyInclusionProof } from '../verify-proof.ts';

/** One ledger event with its inclusion proof, and a Verify button that checks the proof in this browser. */
export function EventPage(props: { readonly id: string; readonly search: string }) {
  const source = new URLSearchParams(props.search).get('source');
  const path = `/api/v1/events/${encodeURIComponent(props.id)}${source ? `?source=${encodeURIComponent(source)}` : ''}`;
  const events = useQuery({ queryKey: ['event', path], queryFn: () => apiGet<EventsResponse>(path) });
  return (
    <>
      <p>
        <Link to="/changes">← Changes</Link>
      </p>
      <Loaded query={events} what="the event">
        {(data: EventsResponse) => (
          <>
            {data.events.map(({ event, proof }) => (
              <EventDetail key={event.seq} event={event} proof={proof} />
            ))}
          </>
        )}
      </Loaded>
    </>
  );
}

function EventDetail(props: { readonly event: LedgerEvent; readonly proof: InclusionProof }) {
  const { event, proof } = props;
  return (
    <article className="event" aria-labelledby={`event-${event.seq}`}>
      <h1 id={`event-${event.seq}`}>
        {shortType(event.type)} <span className="subject">{event.subject ?? 'unowned'}</span>
      </h1>
      <dl className="facts">
        <dt>Time</dt>
        <dd>{formatTime(event.time)}</dd>
        <dt>Type</dt>
        <dd>
          <code>{event.type}</code>
        </dd>
        <dt>Subject</dt>
        <dd>{event.subject ? <Link to={changesLink({ service: event.subject, since: '7d' })}>{event.subject}</Link> : 'unowned'}</dd>
        <dt>Environment</dt>
        <dd>{event.environment ?? '–'}</dd>
        <dt>Actor</dt>
        <dd>{personOf(event.actor)}</dd>
        <dt>Source and id</dt>
        <dd>
          <code>{event.source}</code> <code>{event.id}</code>
        </dd>
        <dt>Ledger position</dt>
        <dd>
          #{event.seq}, ingested {formatTime(event.ingested_at)}
        </dd>
        <dt>Leaf hash</dt>
        <dd>
          <code>{event.leaf_hash}</code>
        </dd>
      </dl>
      <h2>Data</h2>
      <pre className="data">{JSON.stringify(event.data ?? null, null, 2)}</pre>
      <Verify event={event} proof={proof} />
    </article>
  );
}

function Verify(props: { readonly event: LedgerEvent; readonly proof: InclusionProof }) {
  const [verdict, setVerdict] = useState<ProofVerdict | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const { proof, event } = props;
  async function verify(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      const { verifierKey } = await apiGet<{ verifierKey: string }>('/api/v1/ledger/key');
      const latest = await apiGet<string>('/api/v1/ledger/checkpoint', { accept: 'text/plain' });
      const result = await verifyInclusionProof(proof, verifierKey);
      const head = result.ok ? [await latestHeadStep(proof, latest, verifierKey)] : [];
      setVerdict({ ...result, steps: [...result.steps, ...(result.ok ? sameEvent(event, proof) : []), ...head] });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="proof" aria-labelledby="proof-title">
      <h2 id="proof-title">Inclusion proof</h2>
      <p>
        Leaf {proof.leafIndex} of a tree of {proof.treeSize} events, {proof.hashes.length} hashes up to the signed root. Verifying recomputes it here with WebCrypto (SHA-256, Ed25519), trusting only
        the ledger's public key.
      </p>
      <button type="button" onClick={() => void verify()} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify'}
      </button>
      {error ? <ErrorNote error={error} what="the proof" /> : null}
      {verdict ? (
        <div role="status" className={verdict.ok && verdict.steps.every((step) => step.ok) ? 'verdict ok' : 'verdict bad'} data-verdict={verdict.ok && verdict.steps.every((step) => step.ok) ? 'verified' : 'failed'}>
          <p className="answer">{verdict.ok && verdict.steps.every((step) => step.ok) ? 'Verified: this event is in the signed ledger.' : 'NOT verified.'}</p>
          <ol>
            {verdict.steps.map((step) => (
              <li key={step.name} className={step.ok ? 'ok' : 'bad'}>
                <strong>
                  {step.ok ? '✓' : '✗'} {step.name}
                </strong>
                : {step.detail}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </section>
  );
}

/** The proven bytes are this event: same source, id and type as the page shows. */
function sameEvent(event: LedgerEvent, proof: InclusionProof): VerifyStep[] {
  try {
    const decoded = decodeCanonical(proof.canonical) as Partial<LedgerEvent>;
    const ok = decoded.id === event.id && decoded.source === event.source && decoded.type === event.type && proof.seq === event.seq;
    return [{ name: 'shown event', ok, detail: ok ? 'the proven bytes are the event on this page (source, id, type, seq)' : 'the proven bytes describe another event than the one shown' }];
  } catch {
    return [{ name: 'shown event', ok: false, detail: 'the canonical bytes are not JSON' }];
  }
}

/** The server's latest signed tree head: signed by the same key, and at least as large as the proof's. */
async function latestHeadStep(proof: InclusionProof, latest: string, verifierKey: string): Promise<VerifyStep> {
  const name = 'latest tree head';
  try {
    const body = parseCheckpointBody(await openNote(latest, await parseVerifierKey(verifierKey)));
    if (body.size < proof.treeSize) return { name, ok: false, detail: `the latest checkpoint signs ${body.size} events, fewer than the proof's ${proof.treeSize}` };
    if (latest === proof.checkpoint) return { name, ok: true, detail: 'the proof is against the latest signed checkpoint' };
    return { name, ok: true, detail: `the latest checkpoint (${body.size} events) is signed by the same key; \`steadyops ledger consistency ${proof.treeSize} ${body.size}\` proves it extends this one` };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
