import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { apiGet } from './api.ts';
import { isMissingRoute } from './feature-detect.ts';
import { ErrorNote, Panel } from './Panel.tsx';
import { frontMatterLines, type RunbookView, runbooksOf, withoutFrontMatter } from './runbooks-view.ts';

// react-markdown is a chunk of its own, fetched only when a runbook is shown
const RunbookMarkdown = lazy(() => import('./RunbookMarkdown.tsx'));

type ModelRunbook = { readonly name: string; readonly url?: string; readonly path?: string };

/** The service's runbooks rendered from the repository, with their lint problems; the model's list when the server cannot read them. */
export function RunbooksPanel(props: { readonly service: string; readonly runbooks: readonly ModelRunbook[] }) {
  const answer = useQuery({
    queryKey: ['runbooks', props.service],
    staleTime: 60_000,
    queryFn: async () => {
      try {
        return runbooksOf(await apiGet<unknown>(`/api/v1/services/${encodeURIComponent(props.service)}/runbooks`));
      } catch (error) {
        // a server without the runbooks route: said plainly below, the model's list shown instead
        if (isMissingRoute(error)) return null;
        throw error;
      }
    },
  });
  const rendered = answer.data ?? undefined;
  const linted = rendered?.some((runbook) => runbook.lint.length > 0) ?? false;
  const tone = props.runbooks.length === 0 ? 'bad' : linted ? 'warn' : rendered ? 'ok' : 'unknown';
  return (
    <Panel name="runbooks" title="Runbooks" tone={tone}>
      {props.runbooks.length === 0 ? <p className="answer">The model lists no runbook for this service.</p> : null}
      {answer.isPending ? <p className="muted">Loading the runbooks…</p> : null}
      {answer.isError ? <ErrorNote error={answer.error} what="the runbooks" /> : null}
      {answer.data === null ? (
        <>
          <p className="muted">This server does not serve runbook files (no runbooks route), so only the model's list is shown; open them in the model's repository.</p>
          <ModelList runbooks={props.runbooks} />
        </>
      ) : null}
      {rendered?.map((runbook) => <RenderedRunbook key={runbook.name} runbook={runbook} />)}
    </Panel>
  );
}

function ModelList(props: { readonly runbooks: readonly ModelRunbook[] }) {
  return (
    <ul className="rows">
      {props.runbooks.map((runbook) => (
        <li key={runbook.name}>
          {runbook.url ? <a href={runbook.url}>{runbook.name}</a> : runbook.name} {runbook.path ? <code>{runbook.path}</code> : null}
        </li>
      ))}
    </ul>
  );
}

function RenderedRunbook(props: { readonly runbook: RunbookView }) {
  const { runbook } = props;
  return (
    <details className="runbook" data-runbook={runbook.name} open={runbook.lint.length > 0 || undefined}>
      <summary>
        <strong>{runbook.name}</strong> {runbook.path ? <code>{runbook.path}</code> : null}{' '}
        {runbook.lint.length > 0 ? <span className="bad-text">{runbook.lint.length} lint problem{runbook.lint.length === 1 ? '' : 's'}</span> : <span className="muted">lint clean</span>}
      </summary>
      {runbook.url ? (
        <p>
          <a href={runbook.url}>Open {runbook.name}</a>
        </p>
      ) : null}
      {runbook.lint.length > 0 ? (
        <ul className="rows lint" aria-label={`Lint problems of ${runbook.name}`}>
          {runbook.lint.map((problem) => (
            <li key={problem} className="bad">
              {problem}
            </li>
          ))}
        </ul>
      ) : null}
      {frontMatterLines(runbook.frontMatter).length > 0 ? (
        <ul className="rows muted front-matter" aria-label={`Front matter of ${runbook.name}`}>
          {frontMatterLines(runbook.frontMatter).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {runbook.markdown !== undefined ? (
        <Suspense fallback={<p className="muted">Loading the runbook…</p>}>
          <RunbookMarkdown markdown={withoutFrontMatter(runbook.markdown)} />
        </Suspense>
      ) : runbook.path ? (
        <p className="muted">The server could not read this file.</p>
      ) : null}
    </details>
  );
}
