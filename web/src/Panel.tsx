import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { ApiError } from './api.ts';
import { Link } from './Link.tsx';

/** One question of the Now page: its answer, and a link to the detail behind it. */
export function Panel(props: { readonly title: string; readonly detail?: { readonly to: string; readonly label: string }; readonly tone?: 'ok' | 'warn' | 'bad' | 'unknown'; readonly children: ReactNode; readonly name: string }) {
  const id = useId();
  return (
    <section className={`panel tone-${props.tone ?? 'unknown'}`} aria-labelledby={id} data-panel={props.name}>
      <h2 id={id}>{props.title}</h2>
      {props.children}
      {props.detail ? (
        <p className="detail-link">
          <Link to={props.detail.to}>{props.detail.label} →</Link>
        </p>
      ) : null}
    </section>
  );
}

/** Loading and error states of a query, said plainly; children render the data. */
export function Loaded<T>(props: { readonly query: UseQueryResult<T>; readonly children: (data: T) => ReactNode; readonly what: string }) {
  if (props.query.isPending) return <p className="muted">Loading {props.what}…</p>;
  if (props.query.isError) return <ErrorNote error={props.query.error} what={props.what} />;
  return <>{props.children(props.query.data)}</>;
}

export function ErrorNote(props: { readonly error: unknown; readonly what: string }) {
  const error = props.error;
  if (error instanceof ApiError && error.code === 'SO_E_UNREACHABLE') {
    return (
      <p className="error" role="status">
        <strong>Prometheus is unreachable</strong>, so {props.what} cannot be answered now. {error.message}
      </p>
    );
  }
  if (error instanceof ApiError && error.code === 'SO_E_NOT_CONFIGURED') {
    return (
      <p className="error" role="status">
        <strong>Not configured:</strong> {error.message}
      </p>
    );
  }
  return (
    <p className="error" role="status">
      Could not load {props.what}: {error instanceof Error ? error.message : String(error)}
    </p>
  );
}
